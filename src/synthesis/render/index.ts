/**
 * Rendering gate: every format goes through verification first, and a document that fails is
 * refused with each failure named (SynthesisVerificationError).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Store } from '../../store/store.ts';
import type { SynthesisDocument } from '../model.ts';
import { assertVerified, type VerificationResult, type VerifyOptions } from '../verify.ts';
import { chromiumAvailable, withBrowser } from './browser.ts';
import { chartSvg } from './charts.ts';
import { DocIndex } from './common.ts';
import { renderDocx } from './docx.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { rasteriseSvg, renderPdf } from './pdf.ts';
import { walkSections } from '../model.ts';

export const SYNTHESIS_FORMATS = ['html', 'pdf', 'docx', 'md', 'json'] as const;
export type SynthesisFormat = (typeof SYNTHESIS_FORMATS)[number];

export const FORMAT_INFO: Record<SynthesisFormat, { extension: string; mediaType: string }> = {
  html: { extension: 'html', mediaType: 'text/html; charset=utf-8' },
  pdf: { extension: 'pdf', mediaType: 'application/pdf' },
  docx: { extension: 'docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  md: { extension: 'md', mediaType: 'text/markdown; charset=utf-8' },
  json: { extension: 'json', mediaType: 'application/json' },
};

export interface RenderOptions {
  /** a running browser to reuse (PDF, charts of the DOCX); one is launched when needed otherwise */
  browser?: Browser;
  verify?: VerifyOptions;
}

export interface Rendered {
  format: SynthesisFormat;
  bytes: Buffer;
  extension: string;
  mediaType: string;
  /** things the reader should know (e.g. charts omitted without chromium) */
  notices: string[];
}

export function renderJson(doc: SynthesisDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Renders without verifying: for previews and tests. Publishing must go through renderSynthesis. */
export async function renderUnverified(doc: SynthesisDocument, format: SynthesisFormat, options: RenderOptions = {}): Promise<Rendered> {
  const notices: string[] = [];
  let bytes: Buffer;
  switch (format) {
    case 'html': bytes = Buffer.from(renderHtml(doc), 'utf8'); break;
    case 'md': bytes = Buffer.from(renderMarkdown(doc), 'utf8'); break;
    case 'json': bytes = Buffer.from(renderJson(doc), 'utf8'); break;
    case 'pdf': bytes = await renderPdf(doc, options.browser); break;
    case 'docx': {
      const idx = new DocIndex(doc);
      const charts = [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'chart' ? [b] : [])));
      const chartPngs = new Map<string, { png: Buffer; width: number; height: number }>();
      if (charts.length > 0) {
        if (options.browser || chromiumAvailable()) {
          const svgs = charts.map((c, i) => chartSvg(c, idx, `png${i}`));
          const pngs = await withBrowser(options.browser, (b) => rasteriseSvg(svgs, b));
          charts.forEach((c, i) => {
            const m = /viewBox="0 0 (\d+) (\d+)"/.exec(svgs[i] ?? '');
            const png = pngs[i];
            if (png && m) chartPngs.set(c.key, { png, width: Number(m[1]), height: Number(m[2]) });
          });
        } else {
          notices.push('Chromium absent : les graphiques du DOCX sont remplacés par une note et la liste des valeurs.');
        }
      }
      bytes = await renderDocx(doc, { chartPngs });
      break;
    }
  }
  return { format, bytes, ...FORMAT_INFO[format], notices };
}

/** Verifies the document against the store, then renders it; refuses (throws) when verification fails. */
export async function renderSynthesis(store: Store, doc: SynthesisDocument, format: SynthesisFormat, options: RenderOptions = {}): Promise<Rendered> {
  await assertVerified(store, doc, options.verify);
  return renderUnverified(doc, format, options);
}

export interface PublishOptions extends RenderOptions {
  outDir: string;
  /** file name without extension; default `synthese-<level>-<territory>` */
  baseName?: string;
  formats?: readonly SynthesisFormat[];
}

/** Verifies once, then writes every requested format; nothing is written when verification fails. */
export async function publishSynthesis(store: Store, doc: SynthesisDocument, options: PublishOptions): Promise<{ files: string[]; verification: VerificationResult; notices: string[] }> {
  const verification = await assertVerified(store, doc, options.verify);
  const formats = options.formats ?? SYNTHESIS_FORMATS;
  const base = options.baseName ?? `synthese-${doc.level}-${doc.territory}`;
  const needsBrowser = formats.includes('pdf') || formats.includes('docx');
  const run = async (browser: Browser | undefined) => {
    const rendered: Rendered[] = [];
    for (const f of formats) rendered.push(await renderUnverified(doc, f, { ...options, ...(browser ? { browser } : {}) }));
    return rendered;
  };
  const rendered = needsBrowser && !options.browser && chromiumAvailable() ? await withBrowser(undefined, run) : await run(options.browser);
  await mkdir(options.outDir, { recursive: true });
  const files: string[] = [];
  for (const r of rendered) {
    const file = join(options.outDir, `${base}.${r.extension}`);
    await writeFile(file, r.bytes);
    files.push(file);
  }
  return { files, verification, notices: rendered.flatMap((r) => r.notices) };
}
