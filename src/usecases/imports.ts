/**
 * Imports of source documents (tables, workshop reports, restitutions), their publication as a whole, and the
 * restoring of consultation archives. `fabrique import` and the back office's upload call these same functions;
 * they differ only in how the bytes arrive (a path, a multipart part) and where they are parsed (inline, or in
 * the server's worker pool).
 */
import { UserError } from '../domain/errors.ts';
import { territoryName } from '../domain/geography.ts';
import { consultationLevel, documentDepartements, isOtherTerritory } from '../domain/territory.ts';
import { parseBytes, type ParseFileOptions } from '../ingest/import-file.ts';
import type { ParsedDocument } from '../ingest/types.ts';
import { importConsultationArchive, readConsultationArchive } from '../store/archive.ts';
import { publishDocument as publishStoredDocument } from '../store/moderation.ts';
import type { DocumentPublication, ImportResult } from '../store/store.ts';
import type { UseCaseContext } from './context.ts';
import { requireConsultation } from './consultations.ts';

/** Parses a file's bytes: parseBytes itself, or the server's worker pool that runs it off the event loop. */
export type ParseBytes = (bytes: Uint8Array, fileName: string, options: ParseFileOptions) => Promise<ParsedDocument>;

export interface ImportFilesInput {
  consultation: string;
  files: { name: string; bytes: Uint8Array }[];
  /** column mapping for tables, e.g. { text: 'Ma colonne' } */
  map?: Record<string, string>;
  sheet?: string;
  /** theme value as written in a table → theme code or label of the consultation, e.g. { '2': '1', '3': '4' } */
  themeMap?: Record<string, string>;
  /** force a document parser by name */
  parser?: string;
  /** contributions the file does not place in a meeting belong to this one (e.g. the online consultation) */
  meeting?: string;
  /** publish each document as a whole in this person's name (recorded); otherwise its contributions await moderation */
  publishBy?: string;
  /** import even when the document names départements outside the consultation's territory */
  force?: boolean;
}

/** Who may publish a document as a whole without moderation. */
function mayPublish(ctx: UseCaseContext): boolean {
  return ctx.actor.role === 'analyst' || ctx.actor.role === 'admin' || ctx.actor.role === 'cli';
}

/**
 * Parses every file first, then stores them: a file that cannot be read or parsed stops the import before
 * anything is written. Each document is stored in its own transaction with its audit entry; a document already
 * imported into this consultation (same sha256) is not imported twice there; another consultation may import it
 * too, under an id of its own (ingest/rebase.ts).
 */
export async function importFiles(ctx: UseCaseContext, input: ImportFilesInput, parse: ParseBytes = parseBytes): Promise<ImportResult[]> {
  // load
  const consultation = await requireConsultation(ctx, input.consultation);
  if (input.meeting && !(await ctx.store.listMeetings(consultation.slug)).some((m) => m.id === input.meeting)) {
    throw new UserError('not_found', `Réunion inconnue dans « ${consultation.slug} » : ${input.meeting}`, 'meeting');
  }
  const publishBy = input.publishBy?.trim();
  if (input.publishBy !== undefined && !publishBy) throw new UserError('invalid', 'Pour publier un document en bloc, indiquez qui le publie.', 'publish');
  if (publishBy && !mayPublish(ctx)) throw new UserError('forbidden', 'Seul un analyste peut publier un document en bloc.', 'publish');
  // compute
  const options: ParseFileOptions = {
    consultation: consultation.slug, themes: consultation.themes,
    ...(input.map ? { map: input.map } : {}), ...(input.sheet ? { sheet: input.sheet } : {}), ...(input.parser ? { parser: input.parser } : {}),
    ...(input.themeMap ? { themeMap: input.themeMap } : {}),
  };
  const parsed: ParsedDocument[] = [];
  for (const f of input.files) {
    const doc = await parse(f.bytes, f.name, options);
    if (input.meeting) for (const c of doc.contributions) c.meeting ??= input.meeting;
    parsed.push(doc);
  }
  // a document entirely about other départements is most likely the wrong file (issue 11): ask before storing it
  if (!input.force) {
    const scope = { code: consultation.territory, level: consultationLevel(consultation) };
    for (const doc of parsed) {
      const found = documentDepartements(doc);
      if (!isOtherTerritory(scope, found)) continue;
      const list = found.map((d) => `${d} (${territoryName(d, 'departement')})`).join(', ');
      throw new UserError('conflict', `Le fichier « ${doc.fileName} » concerne ${found.length > 1 ? 'les départements' : 'le département'} ${list}, `
        + `tous hors du territoire de la consultation (${territoryName(scope.code, scope.level)}, ${scope.code}). Rien n’a été importé. `
        + 'Importer quand même ? Confirmez l’import (en ligne de commande : --force).', 'force');
    }
  }
  // write: one transaction per document (importParsed checks the bytes are the ones parsed)
  const results: ImportResult[] = [];
  for (const [i, doc] of parsed.entries()) {
    results.push(await ctx.store.importParsed(consultation.slug, doc, {
      bytes: input.files[i]!.bytes, actor: ctx.actor.name, ...(publishBy ? { publishBy } : {}),
    }));
  }
  return results;
}

/**
 * Publishes an imported document as a whole in the actor's name: its pending contributions become public (those
 * already moderated stay as decided), recorded on the document and audited, in one transaction.
 */
export async function publishDocument(ctx: UseCaseContext, input: { documentId: string }): Promise<{ documentId: string; consultation: string; publication: DocumentPublication }> {
  const doc = await ctx.store.getDocument(input.documentId);
  if (!doc) throw new UserError('not_found', `Document inconnu : ${input.documentId}`);
  await requireConsultation(ctx, doc.consultation);
  if (!mayPublish(ctx)) throw new UserError('forbidden', 'Seul un analyste peut publier un document en bloc.');
  const p = await publishStoredDocument(ctx.store, doc.id, ctx.actor.name);
  return { documentId: doc.id, consultation: doc.consultation, publication: { by: p.by, at: p.at } };
}

/** Restores a consultation archive (`fabrique export consultation`); `consultation`, when given, must be the one inside. */
export async function restoreArchive(ctx: UseCaseContext, input: { bytes: Uint8Array; fileName: string; force: boolean; consultation?: string }) {
  if (input.consultation) {
    const { manifest } = await readConsultationArchive(input.bytes);
    if (manifest.consultation !== input.consultation) {
      throw new UserError('invalid', `L’archive ${input.fileName} contient la consultation « ${manifest.consultation} », pas « ${input.consultation} ». Rien n’a été importé.`, 'consultation');
    }
  }
  return importConsultationArchive(ctx.store, input.bytes, { force: input.force });
}
