import { createHash } from 'node:crypto';
import { readDocument } from '../readers/index.ts';
import type { Theme } from '../../domain/theme.ts';
import { ImportError, type ParsedDocument } from '../types.ts';
import { cnrAteliersParser } from './cnr-ateliers.ts';
import { restitutionParser } from './restitution.ts';
import type { DocumentParser } from './types.ts';

export type { DocumentParser, ParseContext } from './types.ts';

/** Confidence a parser's `detect` must reach to be chosen automatically. */
export const DETECT_THRESHOLD = 0.5;

const PARSERS: readonly DocumentParser[] = [cnrAteliersParser, restitutionParser];

/** The registered document parsers, in registration order. */
export function listParsers(): DocumentParser[] {
  return [...PARSERS];
}

/**
 * Reads a document (PDF, DOCX, Markdown, text), recognises its shape and parses it. The parser is
 * the one named in `opts.parser`, else the registered parser with the best `detect` score above
 * DETECT_THRESHOLD. Tabular files go through `fabrique import` (tabular importer) instead.
 */
export async function parseDocument(bytes: Uint8Array, fileName: string, opts: { consultation: string; parser?: string; themes?: readonly Theme[] }): Promise<ParsedDocument> {
  if (/\.(csv|tsv|xlsx|xls|ods)$/i.test(fileName)) {
    throw new ImportError(`« ${fileName} » est un fichier tabulaire : utilisez « fabrique import » pour les tableurs (.csv, .xlsx).`, 'import.tabular');
  }
  let forced: DocumentParser | undefined;
  if (opts.parser !== undefined) {
    forced = PARSERS.find((p) => p.name === opts.parser);
    if (!forced) {
      throw new ImportError(`Analyseur « ${opts.parser} » inconnu. Analyseurs disponibles : ${PARSERS.map((p) => p.name).join(', ')}.`, 'import.unknown_parser');
    }
  }
  const doc = await readDocument(bytes, fileName);
  const documentId = createHash('sha256').update(bytes).digest('hex');
  let parser = forced;
  if (!parser) {
    let best = -1;
    for (const p of PARSERS) {
      const score = p.detect(doc);
      if (score > best) { best = score; parser = p; }
    }
    if (!parser || best < DETECT_THRESHOLD) {
      throw new ImportError(
        `Forme de document non reconnue pour « ${fileName} » : aucun analyseur ne la reconnaît (${PARSERS.map((p) => p.name).join(', ')}). Précisez-en un avec --parser si vous savez lequel convient.`,
        'import.unrecognised');
    }
  }
  return parser.parse(doc, { documentId, fileName, mediaType: doc.mediaType, sizeBytes: bytes.length, consultation: opts.consultation,
    ...(opts.themes ? { themes: opts.themes } : {}) });
}
