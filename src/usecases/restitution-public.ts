/**
 * The published restitution for citizens: its HTML as published and the same document as a PDF (issue 16). Only the
 * published, not withdrawn restitution is served; the PDF is printed by Chromium from the published HTML and kept in
 * memory by its content's hash, so a republication, a withdrawal or an erasure (which rewrites the published HTML)
 * never serves an old one.
 */
import { createHash } from 'node:crypto';
import { frenchDay } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import { latestPublishedSynthesis, withdrawnRestitution } from '../store/moderation.ts';
import { chromiumAvailable, htmlToPdf } from '../synthesis/index.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';

export interface PublishedRestitution {
  id: string;
  consultation: string;
  title: string;
  html: string;
  publishedAt: string;
  /** sha256 of the published HTML: the ETag of both downloads */
  hash: string;
}

/** The published restitution of a visible consultation, or not_found saying why (never published, or withdrawn). */
export async function publishedRestitution(ctx: UseCaseContext, slug: string): Promise<PublishedRestitution> {
  const c = await visibleConsultation(ctx, slug);
  const pub = await latestPublishedSynthesis(ctx.store, c.slug);
  if (!pub) {
    const withdrawn = await withdrawnRestitution(ctx.store, c.slug);
    throw new UserError('not_found', withdrawn
      ? `La restitution publiée le ${frenchDay(withdrawn.publishedAt)} a été retirée le ${frenchDay(withdrawn.withdrawnAt)} : une contribution `
        + 'qu’elle comptait ou citait a été retirée ou modifiée. Elle sera publiée de nouveau après sa mise à jour et sa vérification.'
      : 'Aucune synthèse de restitution n’est encore publiée pour cette consultation.');
  }
  return { id: pub.id, consultation: c.slug, title: c.title, html: pub.html, publishedAt: pub.publishedAt, hash: createHash('sha256').update(pub.html).digest('hex') };
}

/** PDFs printed, by content hash; the few most recent kept. */
const pdfCache = new Map<string, Promise<Buffer>>();
const PDF_CACHE_SIZE = 16;

export interface RestitutionPdf {
  bytes: Buffer;
  fileName: string;
  etag: string;
  publishedAt: string;
}

/** The file name of a consultation's restitution PDF. */
export function restitutionPdfName(slug: string): string {
  return `restitution-${slug.replace(/[^a-z0-9-]/gi, '-')}.pdf`;
}

/** The published restitution as a PDF (A4, page numbers), printed once per published version. */
export async function restitutionPdf(ctx: UseCaseContext, slug: string): Promise<RestitutionPdf> {
  const pub = await publishedRestitution(ctx, slug);
  let pending = pdfCache.get(pub.hash);
  if (!pending) {
    if (!chromiumAvailable()) throw new UserError('unavailable', 'La version PDF de la restitution n’est pas disponible sur ce serveur : consultez-la en ligne.');
    pending = htmlToPdf(pub.html, `Restitution — ${pub.title}`);
    pdfCache.set(pub.hash, pending);
    pending.catch(() => pdfCache.delete(pub.hash));
    while (pdfCache.size > PDF_CACHE_SIZE) pdfCache.delete(pdfCache.keys().next().value!);
  } else {
    // most recently used last
    pdfCache.delete(pub.hash);
    pdfCache.set(pub.hash, pending);
  }
  return { bytes: await pending, fileName: restitutionPdfName(pub.consultation), etag: `"${pub.hash.slice(0, 32)}"`, publishedAt: pub.publishedAt };
}
