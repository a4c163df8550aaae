/** Accessible horizontal bar charts as standalone SVG (title, description, values written out). */
import type { Block } from '../model.ts';
import { formatValue, type DocIndex } from './common.ts';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1).trimEnd()}…`;
}

/** A bar's label on up to `lines` lines of about `width` characters, cut between words (a citizen reads it whole). */
export function wrapLabel(s: string, width = 44, lines = 3): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  if (out.length <= lines) return out.map((l) => truncate(l, width + 8));
  return [...out.slice(0, lines - 1), truncate(out.slice(lines - 1).join(' '), width)];
}

export type ChartBlock = Extract<Block, { type: 'chart' }>;

/** The chart's bars with their values, as text (for <desc>, alt text and fallbacks). */
export function chartSummary(block: ChartBlock, idx: DocIndex): string {
  return block.bars.map((b) => `${b.label} : ${formatValue(idx.figure(b.figure).f)}`).join(' ; ');
}

export function chartSvg(block: ChartBlock, idx: DocIndex, idPrefix: string): string {
  const lineH = 14;
  const labelW = 300;
  const barW = 300;
  const valueW = 70;
  const top = 8;
  const width = labelW + barW + valueW;
  const labels = block.bars.map((b) => wrapLabel(b.label));
  const rowHs = labels.map((l) => Math.max(26, l.length * lineH + 12));
  const height = top * 2 + rowHs.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...block.bars.map((b) => idx.figure(b.figure).f.value));
  const titleId = `${idPrefix}-t`;
  const descId = `${idPrefix}-d`;
  let y = top;
  const rows = block.bars.map((b, i) => {
    const f = idx.figure(b.figure).f;
    const w = Math.max(f.value > 0 ? 2 : 0, Math.round((f.value / max) * barW));
    const rowH = rowHs[i]!;
    const lines = labels[i]!;
    const mid = y + rowH / 2;
    const firstBase = mid + 4 - ((lines.length - 1) * lineH) / 2;
    const label = lines.length === 1
      ? escapeXml(lines[0]!)
      : lines.map((l, k) => `<tspan x="${labelW - 8}" y="${firstBase + k * lineH}">${escapeXml(l)}</tspan>`).join('');
    const row = `<g><text x="${labelW - 8}" y="${firstBase}" text-anchor="end" font-size="12" fill="#1a1a1a">${label}</text>` +
      `<rect x="${labelW}" y="${mid - 8}" width="${w}" height="16" fill="#1d4e89"/>` +
      `<text x="${labelW + w + 6}" y="${mid + 4}" font-size="12" fill="#1a1a1a">${escapeXml(formatValue(f))}</text></g>`;
    y += rowH;
    return row;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Liberation Sans, Arial, sans-serif">` +
    `<title id="${titleId}">${escapeXml(block.title)}</title>` +
    `<desc id="${descId}">${escapeXml(`${block.description} ${chartSummary(block, idx)}.`)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    `<line x1="${labelW}" y1="${top}" x2="${labelW}" y2="${height - top}" stroke="#555555" stroke-width="1"/>${rows}</svg>`;
}
