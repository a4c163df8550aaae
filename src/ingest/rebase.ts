/**
 * One file, several consultations: a document's id is the sha256 of its bytes, and the ids of its contributions
 * and meetings derive from it. The same bytes imported into a second consultation get an id of their own,
 * derived from the consultation and the sha256, so the first import is untouched and each consultation's
 * re-import stays idempotent. Pure functions: the store decides which id applies.
 */
import { createHash } from 'node:crypto';
import type { ParsedDocument } from './types.ts';

/** The id of the document made of the bytes `sha256` in `consultation`, when another consultation holds `sha256` itself. */
export function consultationDocumentId(sha256: string, consultation: string): string {
  return createHash('sha256').update(`fabrique-document\n${consultation}\n${sha256}`).digest('hex');
}

/** The sha256 of the document's bytes (its id, unless the document was given a consultation's own id). */
export function contentSha256(parsed: ParsedDocument): string {
  return parsed.sha256 ?? parsed.documentId;
}

/**
 * The parsed document under the id `documentId`: the document id itself, and every id derived from it (contribution
 * and meeting ids start with its first 12 characters and a colon, see contributionId) are rewritten; the sha256
 * of the bytes is kept in `sha256`.
 */
export function rebaseDocument(parsed: ParsedDocument, documentId: string): ParsedDocument {
  const from = parsed.documentId;
  if (from === documentId) return parsed;
  const prefix = `${from.slice(0, 12)}:`;
  const to = `${documentId.slice(0, 12)}:`;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v === from ? documentId : v.startsWith(prefix) ? to + v.slice(prefix.length) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date) && !ArrayBuffer.isView(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  // texts are never ids: only fields that hold ids are rewritten
  const rebased = walk({ ...parsed, contributions: parsed.contributions.map(({ text, rawText, ...rest }) => rest) }) as ParsedDocument;
  rebased.contributions = rebased.contributions.map((c, i) => ({
    ...c, text: parsed.contributions[i]!.text,
    ...(parsed.contributions[i]!.rawText !== undefined ? { rawText: parsed.contributions[i]!.rawText } : {}),
  }));
  rebased.sha256 = contentSha256(parsed);
  return rebased;
}
