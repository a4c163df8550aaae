/** PDF through chromium's print engine: A4, tagged, with an outline, page numbers in the footer. */
import type { Browser } from 'playwright-core';
import type { SynthesisDocument } from '../model.ts';
import { withBrowser } from './browser.ts';
import { esc, renderHtml } from './html.ts';

export async function renderPdf(doc: SynthesisDocument, browser?: Browser): Promise<Buffer> {
  return htmlToPdf(renderHtml(doc, { forPrint: true }), `${doc.title} — ${doc.territoryName}`, browser);
}

/** A rendered HTML document (e.g. the published restitution as stored) printed to PDF, `header` on every page. */
export async function htmlToPdf(html: string, header: string, browser?: Browser): Promise<Buffer> {
  return withBrowser(browser, async (b) => {
    const page = await b.newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        tagged: true,
        outline: true,
        displayHeaderFooter: true,
        headerTemplate: `<div style="font-size:8px;width:100%;padding:0 16mm;color:#444;font-family:Arial,sans-serif;">${esc(header)}</div>`,
        footerTemplate: '<div style="font-size:9px;width:100%;text-align:center;color:#444;font-family:Arial,sans-serif;">Page <span class="pageNumber"></span> sur <span class="totalPages"></span></div>',
        margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
      });
    } finally {
      await page.close();
    }
  });
}

/** PNG of an SVG (for the DOCX charts), at twice the size for sharpness. */
export async function rasteriseSvg(svgs: string[], browser?: Browser): Promise<Buffer[]> {
  if (svgs.length === 0) return [];
  return withBrowser(browser, async (b) => {
    const page = await b.newPage({ deviceScaleFactor: 2 });
    try {
      const out: Buffer[] = [];
      for (const svg of svgs) {
        await page.setContent(`<!DOCTYPE html><html lang="fr"><body style="margin:0;background:#fff">${svg}</body></html>`);
        out.push(await page.locator('svg').first().screenshot({ type: 'png' }));
      }
      return out;
    } finally {
      await page.close();
    }
  });
}
