import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { ImportWarning } from '../../domain/source.ts';
import { decodeText, utf16Encoding, type TextEncoding } from '../readers/text.ts';
import { checkOfficeArchive } from '../readers/zip-guard.ts';
import { ImportError } from '../types.ts';

/** One record of a table: its 1-based spreadsheet row number and its cells as plain strings. */
export interface TableRow {
  row: number;
  cells: string[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  mediaType: string;
  sheet?: string;
  encoding?: TextEncoding;
  delimiter?: string;
  /** every non-blank record, header included, in order */
  rows: TableRow[];
  warnings: ImportWarning[];
}

export const MEDIA_CSV = 'text/csv';
export const MEDIA_XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
const isOle2 = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * Excel's « Texte Unicode » export (a .txt file): UTF-16 with a byte-order mark, tab-separated, the
 * first lines holding the same number of tabs. Such a .txt is read as a table, not as a report.
 */
export function isUnicodeTextTable(bytes: Uint8Array): boolean {
  if (!(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const lines = decodeText(bytes.subarray(0, 16 * 1024)).text.split(/\r\n|\n|\r/).slice(0, 5).filter((l) => l.trim() !== '');
  const tabs = lines.map((l) => l.split('\t').length - 1);
  return lines.length >= 2 && tabs[0]! > 0 && tabs.slice(1, -1).every((n) => n === tabs[0]);
}

/** Reads a CSV or XLSX file into rows of strings, choosing the format from the content, not the name. */
export async function readTable(bytes: Uint8Array, fileName: string, sheet?: string): Promise<Table> {
  if (bytes.length === 0) throw new ImportError(`Le fichier « ${fileName} » est vide.`, 'import.empty');
  if (isZip(bytes)) return readXlsx(bytes, fileName, sheet);
  if (isOle2(bytes)) {
    throw new ImportError(
      `Le fichier « ${fileName} » est au format Excel 97-2003 (.xls), non pris en charge : enregistrez-le en .xlsx ou en .csv.`,
      'import.unsupported_format',
    );
  }
  if (/\.xlsx$/i.test(fileName) && bytes.subarray(0, 4096).includes(0)) {
    throw new ImportError(`Le fichier « ${fileName} » n’est pas un classeur XLSX valide.`, 'import.invalid_xlsx');
  }
  return readCsv(bytes, fileName);
}

function readCsv(bytes: Uint8Array, fileName: string): Table {
  // UTF-16 (Excel « Texte Unicode ») has NUL bytes by design: judge the decoded characters instead
  const sample = utf16Encoding(bytes) ? Buffer.from(decodeText(bytes.subarray(0, 64 * 1024)).text, 'utf8') : bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) {
    if (b === 0) {
      throw new ImportError(`Le fichier « ${fileName} » n’est pas un fichier CSV (contenu binaire).`, 'import.binary');
    }
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (control > sample.length * 0.01) {
    throw new ImportError(`Le fichier « ${fileName} » n’est pas un fichier CSV (contenu binaire).`, 'import.binary');
  }
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '') throw new ImportError(`Le fichier « ${fileName} » est vide.`, 'import.empty');

  let parsed: Papa.ParseResult<string[]>;
  try {
    parsed = Papa.parse<string[]>(text, { delimiter: guessDelimiter(text), skipEmptyLines: false });
  } catch (e) {
    throw new ImportError(`Lecture du CSV « ${fileName} » impossible : ${(e as Error).message}`, 'import.invalid_csv');
  }
  const warnings: ImportWarning[] = [];
  for (const err of parsed.errors) {
    if (err.type === 'Quotes') {
      const row = err.row === undefined ? undefined : err.row + 1;
      warnings.push({
        level: 'warning',
        code: 'tabular.csv_quotes',
        message: `Guillemet non refermé${row ? ` à la ligne ${row}` : ''} : la suite du fichier peut être lue comme un seul champ.`,
        source: row ? { file: fileName, row } : { file: fileName },
      });
    }
  }
  const rows: TableRow[] = [];
  parsed.data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ row: i + 1, cells });
  });
  return { format: 'csv', mediaType: MEDIA_CSV, encoding, delimiter: parsed.meta.delimiter, rows, warnings };
}

/**
 * The separator of a CSV: the candidate (`;` `,` tab `|`) found most often outside quotes in the
 * first non-blank line (the header), `,` when there is none.
 */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0], ['|', 0]]);
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) { if (started) break; }
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    if (ch.trim() !== '') started = true;
  }
  let best = ',';
  let max = 0;
  for (const [d, n] of counts) if (n > max) { best = d; max = n; }
  return best;
}

async function readXlsx(bytes: Uint8Array, fileName: string, sheetName?: string): Promise<Table> {
  const invalid = () => new ImportError(
    `Le fichier « ${fileName} » est une archive ZIP mais pas un classeur XLSX valide (fichier ODS, DOCX ou endommagé ?).`,
    'import.invalid_xlsx',
  );
  // the same zip-bomb limits as DOCX, before exceljs inflates the whole archive in memory
  checkOfficeArchive(bytes, fileName, 'xlsx');
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's typings want its own Buffer type; a Node Buffer is what it reads.
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw invalid();
  }
  const sheets = wb.worksheets;
  if (sheets.length === 0) {
    throw new ImportError(`Le classeur « ${fileName} » ne contient aucune feuille.`, 'import.no_sheet');
  }
  let ws: ExcelJS.Worksheet | undefined;
  if (sheetName !== undefined) {
    ws = sheets.find((s) => s.name === sheetName) ?? sheets.find((s) => s.name.trim().toLowerCase() === sheetName.trim().toLowerCase());
    if (!ws) {
      throw new ImportError(
        `Feuille « ${sheetName} » introuvable dans « ${fileName} » (feuilles : ${sheets.map((s) => `« ${s.name} »`).join(', ')}).`,
        'import.no_sheet',
      );
    }
  } else {
    ws = sheets[0];
  }
  if (!ws) throw new ImportError(`Le classeur « ${fileName} » ne contient aucune feuille.`, 'import.no_sheet');

  const rows: TableRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      while (cells.length < col - 1) cells.push('');
      cells[col - 1] = cellToString(cell.value);
    });
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ row: rowNumber, cells });
  });
  return { format: 'xlsx', mediaType: MEDIA_XLSX, sheet: ws.name, rows, warnings: [] };
}

/** A date as written in a sheet: Excel has no time zone, exceljs gives the wall-clock time as UTC. */
export function excelDateToIso(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** Plain value of an exceljs cell: rich text joined, formula result, date as ISO, hyperlink text. */
export function cellToString(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'VRAI' : 'FAUX';
  if (v instanceof Date) return excelDateToIso(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as { result?: unknown }).result;
      if (result === undefined || result === null) return '';
      if (typeof result === 'object' && 'error' in (result as object)) return '';
      return cellToString(result as ExcelJS.CellValue);
    }
    if ('hyperlink' in v && 'text' in v) {
      const t = (v as { text: unknown }).text;
      return typeof t === 'string' ? t : cellToString(t as ExcelJS.CellValue);
    }
    if ('error' in v) return '';
  }
  return String(v);
}
