/** File names given by uploads: short enough for every file system, extension kept. */
import { basename, extname } from 'node:path';
import { sanitizeText } from '../domain/text.ts';

/** Most file systems (ext4, APFS, NTFS in UTF-16 units) refuse names over 255 bytes. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * The upload's name as stored and written to disk: its last path segment, without control
 * characters, cut at whole characters to fit in `maxBytes` of UTF-8 while keeping its extension
 * (« … » marks the cut).
 */
export function safeFileName(name: string, fallback = 'fichier', maxBytes = MAX_FILE_NAME_BYTES): string {
  const base = basename(sanitizeText(name).replace(/\\/g, '/')).trim() || fallback;
  if (Buffer.byteLength(base) <= maxBytes) return base;
  const rawExt = extname(base);
  const ext = Buffer.byteLength(rawExt) <= 16 ? rawExt : '';
  const mark = '…';
  const room = maxBytes - Buffer.byteLength(ext) - Buffer.byteLength(mark);
  let stem = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter('fr', { granularity: 'grapheme' }).segment(base.slice(0, base.length - ext.length))) {
    const size = Buffer.byteLength(segment);
    if (used + size > room) break;
    stem += segment;
    used += size;
  }
  return `${stem}${mark}${ext}`;
}
