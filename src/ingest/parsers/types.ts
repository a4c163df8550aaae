import type { Theme } from '../../domain/theme.ts';
import type { ReadDocument } from '../readers/types.ts';
import type { ParsedDocument } from '../types.ts';

/** What a parser knows about the document besides its text. */
export interface ParseContext {
  /** sha256 of the bytes (hex) */
  documentId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** slug of the consultation the contributions belong to */
  consultation: string;
  /** the consultation's themes, when known: lets a parser map a local theme heading to its code */
  themes?: readonly Theme[];
}

/** A document-shape parser: `detect` says how sure it is (0..1) that it knows the shape. */
export interface DocumentParser {
  name: string;
  version: string;
  detect(doc: ReadDocument): number;
  parse(doc: ReadDocument, ctx: ParseContext): ParsedDocument;
}
