import { inflateRawSync } from 'node:zlib';
import { ImportError } from '../types.ts';

/** Total uncompressed size accepted for an office document (all entries together). */
export const MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024;
/** Largest compression ratio accepted for a big entry (real XML compresses ~10–30×). */
export const MAX_ZIP_RATIO = 200;
export const MAX_ZIP_ENTRIES = 10_000;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** True when the bytes start with a ZIP local file header (PK\x03\x04). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads the central directory of a ZIP archive (no decompression). Throws ImportError when the
 * bytes are not a readable ZIP.
 */
export function zipEntries(bytes: Uint8Array, fileName: string): ZipEntry[] {
  const notZip = () => new ImportError(`Le fichier « ${fileName} » n’est pas un document Word valide (archive ZIP illisible).`, 'import.zip_invalid');
  if (!isZip(bytes) || bytes.length < 22) throw notZip();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw notZip();
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new ImportError(`Le fichier « ${fileName} » est une archive ZIP64, non prise en charge pour un document Word.`, 'import.zip_invalid');
  }
  if (count > MAX_ZIP_ENTRIES) {
    throw new ImportError(`Le fichier « ${fileName} » contient trop de fichiers internes (${count}) : import refusé.`, 'import.zip_bomb');
  }
  if (cdOffset + cdSize > bytes.length) throw notZip();
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw notZip();
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > bytes.length) throw notZip();
    entries.push({
      name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen)),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      uncompressedSize: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Zip-bomb guard: refuses an archive whose declared sizes exceed the limits, then inflates every
 * entry with a hard output cap so that an archive lying about its sizes is refused too.
 */
export function assertSafeZip(bytes: Uint8Array, fileName: string, entries: ZipEntry[] = zipEntries(bytes, fileName)): void {
  const bomb = (why: string) => new ImportError(`Le fichier « ${fileName} » est refusé : ${why} (archive suspecte, « bombe ZIP »).`, 'import.zip_bomb');
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (e.uncompressedSize > 10 * 1024 * 1024 && e.uncompressedSize / Math.max(1, e.compressedSize) > MAX_ZIP_RATIO) {
      throw bomb(`taux de compression anormal pour « ${e.name} »`);
    }
  }
  if (declared > MAX_ZIP_UNCOMPRESSED) throw bomb(`taille décompressée déclarée ${mb(declared)} > ${mb(MAX_ZIP_UNCOMPRESSED)}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let budget = MAX_ZIP_UNCOMPRESSED;
  for (const e of entries) {
    const h = e.localHeaderOffset;
    if (h + 30 > bytes.length || view.getUint32(h, true) !== 0x04034b50) {
      throw new ImportError(`Le fichier « ${fileName} » n’est pas un document Word valide (archive ZIP endommagée).`, 'import.zip_invalid');
    }
    const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
    const data = bytes.subarray(start, start + e.compressedSize);
    let size = data.length;
    if (e.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw bomb(`contenu décompressé supérieur à ${mb(MAX_ZIP_UNCOMPRESSED)}`);
        }
        throw new ImportError(`Le fichier « ${fileName} » n’est pas un document Word valide (« ${e.name} » illisible).`, 'import.zip_invalid');
      }
    } else if (e.method !== 0) {
      throw new ImportError(`Le fichier « ${fileName} » utilise une compression non prise en charge.`, 'import.zip_invalid');
    }
    budget -= size;
    if (budget < 0) throw bomb(`contenu décompressé supérieur à ${mb(MAX_ZIP_UNCOMPRESSED)}`);
  }
}
