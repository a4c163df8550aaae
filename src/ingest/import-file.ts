import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Theme } from '../domain/theme.ts';
import { parseTabular } from './tabular/index.ts';
import { isUnicodeTextTable } from './tabular/read.ts';
import { ImportError, MAX_IMPORT_BYTES, type ParsedDocument } from './types.ts';


export interface ParseFileOptions {
  consultation: string;
  themes: Theme[];
  /** column mapping for tabular files, e.g. { text: 'Ma colonne' } */
  map?: Record<string, string>;
  sheet?: string;
  /** theme value as written in a table → theme code or label of the consultation (see parseTabular) */
  themeMap?: Record<string, string>;
  /** force a document parser by name */
  parser?: string;
}

/**
 * Reads a file within the size limit and parses it (see parseBytes). Nothing is written anywhere.
 */
export async function parseFile(path: string, opts: ParseFileOptions): Promise<ParsedDocument> {
  return parseBytes(await readLimited(path), basename(path), opts);
}

/**
 * Parses the bytes of a file with the right importer, chosen by the file name's extension: tabular
 * files (CSV, XLSX) with the column importer, documents (TXT, Markdown, PDF, DOCX) with the parser
 * registry. Pure computation (no file, no database), so it can run in a worker thread.
 */
export async function parseBytes(bytes: Uint8Array, fileName: string, opts: ParseFileOptions): Promise<ParsedDocument> {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.xlsx' || (ext === '.txt' && isUnicodeTextTable(bytes))) {
    return parseTabular(bytes, fileName, {
      consultation: opts.consultation, themes: opts.themes,
      ...(opts.map ? { map: opts.map } : {}), ...(opts.sheet ? { sheet: opts.sheet } : {}),
      ...(opts.themeMap ? { themeMap: opts.themeMap } : {}),
    });
  }
  if (ext === '.xls') throw new ImportError(`Le format .xls (Excel 97-2003) n’est pas pris en charge : enregistrez « ${fileName} » en .xlsx ou .csv.`, 'import.format');
  const { parseDocument } = await import('./parsers/index.ts');
  return parseDocument(bytes, fileName, { consultation: opts.consultation, themes: opts.themes, ...(opts.parser ? { parser: opts.parser } : {}) });
}

/** Reads a whole file, refusing before reading anything when it is over the import limit. */
export async function readLimited(path: string, limit = MAX_IMPORT_BYTES): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportError(code === 'ENOENT' ? `Fichier introuvable : ${path}` : `Lecture impossible de ${path} (${code ?? 'erreur'})`, 'import.read');
  }
  if (info.isDirectory()) throw new ImportError(`${path} est un dossier, pas un fichier.`, 'import.read');
  if (info.size > limit) {
    throw new ImportError(`Le fichier « ${basename(path)} » fait ${formatMb(info.size)}, au-delà de la limite de ${formatMb(limit)} par fichier.`, 'import.too_large');
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(info.size);
    let offset = 0;
    while (offset < info.size) {
      const { bytesRead } = await handle.read(buffer, offset, info.size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return buffer.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}
