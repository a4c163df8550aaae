/** Accessible horizontal bar charts as standalone SVG (title, description, values written out). */
import type { Block } from '../model.ts';
import { formatValue, type DocIndex } from './common.ts';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1).trimEnd()}…`;
}

export type ChartBlock = Extract<Block, { type: 'chart' }>;

/** The chart's bars with their values, as text (for <desc>, alt text and fallbacks). */
export function chartSummary(block: ChartBlock, idx: DocIndex): string {
  return block.bars.map((b) => `${b.label} : ${formatValue(idx.figure(b.figure).f)}`).join(' ; ');
}

export function chartSvg(block: ChartBlock, idx: DocIndex, idPrefix: string): string {
  const rowH = 26;
  const labelW = 300;
  const barW = 300;
  const valueW = 70;
  const top = 8;
  const width = labelW + barW + valueW;
  const height = top * 2 + rowH * block.bars.length;
  const max = Math.max(1, ...block.bars.map((b) => idx.figure(b.figure).f.value));
  const titleId = `${idPrefix}-t`;
  const descId = `${idPrefix}-d`;
  const rows = block.bars.map((b, i) => {
    const f = idx.figure(b.figure).f;
    const w = Math.max(f.value > 0 ? 2 : 0, Math.round((f.value / max) * barW));
    const y = top + i * rowH;
    return `<g><text x="${labelW - 8}" y="${y + 17}" text-anchor="end" font-size="12" fill="#1a1a1a">${escapeXml(truncate(b.label, 46))}</text>` +
      `<rect x="${labelW}" y="${y + 5}" width="${w}" height="${rowH - 10}" fill="#1d4e89"/>` +
      `<text x="${labelW + w + 6}" y="${y + 17}" font-size="12" fill="#1a1a1a">${escapeXml(formatValue(f))}</text></g>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Liberation Sans, Arial, sans-serif">` +
    `<title id="${titleId}">${escapeXml(block.title)}</title>` +
    `<desc id="${descId}">${escapeXml(`${block.description} ${chartSummary(block, idx)}.`)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    `<line x1="${labelW}" y1="${top}" x2="${labelW}" y2="${height - top}" stroke="#555555" stroke-width="1"/>${rows}</svg>`;
}
