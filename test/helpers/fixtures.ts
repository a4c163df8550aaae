import type { Consultation, Contribution } from '../../src/domain/index.ts';
import { CNR_SANTE_THEMES, contributionId, emptyParticipants } from '../../src/domain/index.ts';
import type { ParsedDocument } from '../../src/ingest/types.ts';

export function testConsultation(slug = 'essai'): Consultation {
  return { slug, title: 'Consultation d’essai', territory: '46', status: 'open', themes: [...CNR_SANTE_THEMES] };
}

/** A small parsed document with made-up texts, as a parser would return it. */
export function testDocument(texts: string[], opts: { documentId?: string; parserVersion?: string; consultation?: string } = {}): ParsedDocument {
  const documentId = opts.documentId ?? 'a'.repeat(64);
  const consultation = opts.consultation ?? 'essai';
  const meetingId = `${documentId.slice(0, 12)}:m1`;
  const contributions: Contribution[] = texts.map((text, i) => ({
    id: contributionId(documentId, i + 1),
    consultation,
    meeting: meetingId,
    channel: 'atelier',
    text,
    kind: i % 2 === 0 ? 'constat' : 'proposition',
    themes: [{ theme: String((i % 4) + 1), provenance: { by: 'source', documentId } }],
    // what a parser may say; the store ignores it: imports are pending unless a named person publishes the document
    moderation: { status: 'published' },
    source: { documentId, file: 'essai.txt', lineStart: i + 1, lineEnd: i + 1 },
  }));
  const participants = emptyParticipants();
  participants.elus = 4; participants.usagers = 12; participants.total = 17;
  return {
    documentId, fileName: 'essai.txt', mediaType: 'text/plain', sizeBytes: 1234,
    parser: 'essai', parserVersion: opts.parserVersion ?? '1.0.0',
    themes: [], syntheses: [], warnings: [],
    meetings: [{ id: meetingId, consultation, kind: 'atelier', title: 'Atelier de Figeac', place: 'Figeac', participants }],
    contributions,
  };
}
