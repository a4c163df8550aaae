import iconv from 'iconv-lite';
import { ImportError } from '../types.ts';
import { linesToDocument, type ReadDocument } from './types.ts';

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * UTF-16 text: a UTF-16 byte-order mark (Excel's « Texte Unicode » export writes UTF-16LE with one),
 * or, without a mark, ASCII-range text whose every other byte is NUL.
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) { if (bytes[i] === 0) evenNul++; if (bytes[i + 1] === 0) oddNul++; }
  const pairs = n / 2;
  if (oddNul > pairs * 0.9 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs * 0.9 && oddNul === 0) return 'utf-16be';
  return undefined;
}

/**
 * Decode bytes as UTF-16 when they say so (see utf16Encoding), as UTF-8 when they are valid UTF-8,
 * else as Windows-1252 (a superset of Latin-1 for printable characters, and what French office
 * software writes). A BOM is dropped.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const utf16 = utf16Encoding(bytes);
  if (utf16) return { text: iconv.decode(Buffer.from(bytes), utf16).replace(/^\uFEFF/, ''), encoding: utf16 };
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = bytes.subarray(start);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(body), 'windows-1252'), encoding: 'windows-1252' };
  }
}

/** Rejects content that is not text: NUL bytes or a high share of control characters. */
export function assertLooksLikeText(bytes: Uint8Array, fileName: string): void {
  if (bytes.length === 0) throw new ImportError(`Le fichier « ${fileName} » est vide.`, 'import.empty');
  // UTF-16 has NUL bytes by design: judge the decoded characters instead
  const sample = utf16Encoding(bytes) ? Buffer.from(decodeText(bytes.subarray(0, 64 * 1024)).text, 'utf8') : bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) {
    if (b === 0) throw new ImportError(`Le fichier « ${fileName} » n’est pas un fichier texte (contenu binaire).`, 'import.binary');
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (control > sample.length * 0.01) {
    throw new ImportError(`Le fichier « ${fileName} » n’est pas un fichier texte (contenu binaire).`, 'import.binary');
  }
}

/** Plain text reader: one page per form feed (\f), lines split on \n, \r\n or \r. */
export function readText(bytes: Uint8Array, fileName: string, mediaType = 'text/plain'): ReadDocument {
  assertLooksLikeText(bytes, fileName);
  const { text } = decodeText(bytes);
  const pages = text.split('\f');
  const input: { text: string; page: number }[] = [];
  pages.forEach((pageText, i) => {
    for (const line of pageText.split(/\r\n|\r|\n/)) input.push({ text: line, page: i + 1 });
  });
  return linesToDocument(input, mediaType);
}
