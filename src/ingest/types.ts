import type { Contribution } from '../domain/contribution.ts';
import type { Meeting } from '../domain/meeting.ts';
import type { ImportWarning } from '../domain/source.ts';
import type { HumanSynthesisItem } from '../domain/synthesis.ts';
import type { Theme } from '../domain/theme.ts';

/** What every parser returns: structured content of one document, with no database involved. */
export interface ParsedDocument {
  /** sha256 of the bytes (hex) — the SourceDocument id, unless the same bytes are already a document of another consultation (see rebase.ts) */
  documentId: string;
  /** sha256 of the bytes when `documentId` is a consultation's own id for them */
  sha256?: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  parser: string;
  parserVersion: string;
  /** local themes found in the document (national CNR themes are implied) */
  themes: Theme[];
  meetings: Meeting[];
  contributions: Contribution[];
  /** groupings written by people in the document (synthèses), kept as they are */
  syntheses: HumanSynthesisItem[];
  warnings: ImportWarning[];
}

/** A user-facing import failure: the message is French and fits on one line. */
export class ImportError extends Error {
  constructor(message: string, readonly code: string = 'import.invalid') {
    super(message);
    this.name = 'ImportError';
  }
}

/** Hard limit on imported files: a larger file is refused before it is read. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
