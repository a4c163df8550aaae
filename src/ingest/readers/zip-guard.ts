/**
 * Zip-bomb guard shared by the two office formats (DOCX and XLSX): both are ZIP archives that a
 * library (mammoth, exceljs) inflates entirely in memory, so the archive is checked before either
 * library sees it.
 */
import { Inflate } from 'fflate';
import { ImportError } from '../types.ts';

/** Total uncompressed size accepted for an office document (all entries together). */
export const MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024;
/** Largest compression ratio accepted for a big entry (real XML compresses ~10–30×). */
export const MAX_ZIP_RATIO = 200;
export const MAX_ZIP_ENTRIES = 10_000;
/** Entries smaller than this are not held to the ratio limit (tiny repetitive XML compresses well). */
const RATIO_MIN_SIZE = 10 * 1024 * 1024;
/** Compressed bytes pushed to the inflater at a time: at most ~1 Mo of output per push (deflate ≤ 1032×). */
const INFLATE_CHUNK = 1024;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type OfficeFormat = 'docx' | 'xlsx';

interface FormatRules {
  /** how the document is named in messages */
  label: string;
  /** the entry every valid document has */
  required: string;
  /** error code for an archive that cannot be read */
  invalidCode: string;
  /** error code for a readable archive that is not this format */
  missingCode: string;
  missingMessage: (fileName: string) => string;
}

const FORMATS: Record<OfficeFormat, FormatRules> = {
  docx: {
    label: 'document Word', required: 'word/document.xml', invalidCode: 'import.zip_invalid', missingCode: 'import.docx_invalid',
    missingMessage: (f) => `Le fichier « ${f} » n’est pas un document Word (.docx) : word/document.xml est absent.`,
  },
  xlsx: {
    label: 'classeur XLSX', required: 'xl/workbook.xml', invalidCode: 'import.invalid_xlsx', missingCode: 'import.invalid_xlsx',
    missingMessage: (f) => `Le fichier « ${f} » est une archive ZIP mais pas un classeur XLSX valide (fichier ODS, DOCX ou endommagé ?).`,
  },
};

/** True when the bytes start with a ZIP local file header (PK\x03\x04). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads the central directory of a ZIP archive (no decompression). Throws ImportError when the
 * bytes are not a readable ZIP.
 */
export function zipEntries(bytes: Uint8Array, fileName: string, format: OfficeFormat = 'docx'): ZipEntry[] {
  const rules = FORMATS[format];
  const notZip = () => new ImportError(`Le fichier « ${fileName} » n’est pas un ${rules.label} valide (archive ZIP illisible).`, rules.invalidCode);
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
    throw new ImportError(`Le fichier « ${fileName} » est une archive ZIP64, non prise en charge pour un ${rules.label}.`, rules.invalidCode);
  }
  if (count > MAX_ZIP_ENTRIES) {
    throw new ImportError(`Le fichier « ${fileName} » contient trop de fichiers internes (${count}) : import refusé (archive suspecte, « bombe ZIP »). Rien n’a été importé.`, 'import.zip_bomb');
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
 * The one check both office readers run before handing the bytes to their library: a readable ZIP,
 * holding the format's main entry, within the decompression limits (see assertSafeZip).
 * Returns the entries of the central directory.
 */
export function checkOfficeArchive(bytes: Uint8Array, fileName: string, format: OfficeFormat): ZipEntry[] {
  const rules = FORMATS[format];
  const entries = zipEntries(bytes, fileName, format);
  if (!entries.some((e) => e.name === rules.required)) throw new ImportError(rules.missingMessage(fileName), rules.missingCode);
  assertSafeZip(bytes, fileName, entries, format);
  return entries;
}

class OverBudget extends Error {}

/**
 * Zip-bomb guard: refuses an archive with too many entries, a declared total size or a compression
 * ratio over the limits, then inflates every entry (in small steps, counting and discarding the
 * output) with a hard cap on the total, so that an archive lying about its sizes is refused too,
 * without ever holding the inflated bytes. Nested archives are never opened by mammoth or exceljs:
 * they count at their own (inflated) size like any other entry.
 */
export function assertSafeZip(bytes: Uint8Array, fileName: string, entries: ZipEntry[] = zipEntries(bytes, fileName), format: OfficeFormat = 'docx'): void {
  const rules = FORMATS[format];
  const bomb = (why: string) => new ImportError(`Le fichier « ${fileName} » est refusé : ${why} (archive suspecte, « bombe ZIP »). Rien n’a été importé.`, 'import.zip_bomb');
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;
  const overLimit = () => bomb(`une fois décompressé, son contenu dépasserait ${mb(MAX_ZIP_UNCOMPRESSED)}`);
  if (entries.length > MAX_ZIP_ENTRIES) throw bomb(`trop de fichiers internes (${entries.length})`);
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (e.uncompressedSize > RATIO_MIN_SIZE && e.uncompressedSize / Math.max(1, e.compressedSize) > MAX_ZIP_RATIO) {
      throw bomb(`taux de compression anormal pour « ${e.name} » (${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} pour 1)`);
    }
  }
  if (declared > MAX_ZIP_UNCOMPRESSED) throw bomb(`taille décompressée déclarée ${mb(declared)}, au-delà de la limite de ${mb(MAX_ZIP_UNCOMPRESSED)}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let budget = MAX_ZIP_UNCOMPRESSED;
  for (const e of entries) {
    const h = e.localHeaderOffset;
    if (h + 30 > bytes.length || view.getUint32(h, true) !== 0x04034b50) {
      throw new ImportError(`Le fichier « ${fileName} » n’est pas un ${rules.label} valide (archive ZIP endommagée).`, rules.invalidCode);
    }
    const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
    const data = bytes.subarray(start, start + e.compressedSize);
    let size = data.length;
    if (e.method === 8) {
      size = 0;
      const inflater = new Inflate((chunk) => {
        size += chunk.length;
        if (size > budget) throw new OverBudget();
      });
      try {
        for (let i = 0; i < data.length; i += INFLATE_CHUNK) inflater.push(data.subarray(i, i + INFLATE_CHUNK), i + INFLATE_CHUNK >= data.length);
        if (data.length === 0) inflater.push(new Uint8Array(0), true);
      } catch (err) {
        if (err instanceof OverBudget) throw overLimit();
        throw new ImportError(`Le fichier « ${fileName} » n’est pas un ${rules.label} valide (« ${e.name} » illisible).`, rules.invalidCode);
      }
    } else if (e.method !== 0) {
      throw new ImportError(`Le fichier « ${fileName} » utilise une compression non prise en charge.`, rules.invalidCode);
    }
    budget -= size;
    if (budget < 0) throw overLimit();
  }
}
