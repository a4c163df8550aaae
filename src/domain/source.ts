/** Where a piece of text came from: enough to find it again and to prove a quote is verbatim. */
export interface SourceRef {
  /** id of the SourceDocument (its sha256) */
  documentId: string;
  /** file name as imported, for humans */
  file: string;
  /** 1-based page number, when the source has pages (PDF) */
  page?: number;
  /** 1-based line range in the reader's line representation */
  lineStart?: number;
  lineEnd?: number;
  /** 0-based UTF-16 offsets into the document's extracted text, end exclusive */
  charStart?: number;
  charEnd?: number;
  /** tabular sources: sheet name (XLSX) and 1-based row number including the header row */
  sheet?: string;
  row?: number;
}

export type ImportWarningLevel = 'info' | 'warning' | 'error';

export interface ImportWarning {
  level: ImportWarningLevel;
  /** stable machine code, e.g. "participants.total_mismatch" */
  code: string;
  /** French message for users */
  message: string;
  source?: Partial<SourceRef>;
}

export interface SourceDocument {
  /** sha256 of the bytes, hex: also the identity used for idempotent imports */
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  importedAt: string;
  parser: string;
  parserVersion: string;
  warnings: ImportWarning[];
  /** set when a named person published the document as a whole (otherwise its contributions are moderated one by one) */
  publication?: { by: string; at: string };
}
