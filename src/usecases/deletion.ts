/**
 * Deletion and erasure (issue 11, point 5), each one transaction with its audit entry (src/store/deletion.ts says
 * what goes, table by table). `fabrique delete|erase` and the back office call these same functions.
 *
 * delete: remove what should not be there (a wrong import, a test contribution); erase: a person's request
 * (GDPR art. 17) on their contribution: its words are also removed from every copy (audit, drafts, published
 * restitutions, the document's stored file). The audit entry says which (`contribution.delete` / `.erase`).
 */
import { UserError } from '../domain/errors.ts';
import {
  deleteConsultation as removeConsultation, deleteContribution as removeContribution, deleteDocument as removeDocument,
  listImportedDocuments, type ConsultationDeletion, type ImportedDocument, type ContributionDeletion, type DeletionMode, type DocumentDeletion,
} from '../store/deletion.ts';
import type { UseCaseContext } from './context.ts';

export type { DeletionMode };
import { requireConsultation } from './consultations.ts';

/** Analysts (and administrators, and the command line) delete contributions and documents; facilitators do not. */
function mayDelete(ctx: UseCaseContext): boolean {
  return ctx.actor.role === 'analyst' || ctx.actor.role === 'admin' || ctx.actor.role === 'cli';
}

const who = (ctx: UseCaseContext) => ({ actor: ctx.actor.name, at: ctx.now().toISOString() });

/** Deletes (`delete`) or erases (`erase`, GDPR request) one contribution and everything derived from it. */
export async function deleteContribution(ctx: UseCaseContext, input: { id: string; mode: DeletionMode }): Promise<ContributionDeletion> {
  if (!mayDelete(ctx)) throw new UserError('forbidden', 'Seul un analyste peut supprimer ou effacer une contribution.');
  const c = await ctx.store.getContribution(input.id);
  if (!c) throw new UserError('not_found', `Contribution inconnue : ${input.id}`);
  await requireConsultation(ctx, c.consultation);
  return removeContribution(ctx.store, c.id, input.mode, who(ctx));
}

/** Deletes an imported document with its meetings, contributions and source file (a wrong import). */
export async function deleteDocument(ctx: UseCaseContext, input: { documentId: string }): Promise<DocumentDeletion> {
  if (!mayDelete(ctx)) throw new UserError('forbidden', 'Seul un analyste peut supprimer un document importé.');
  const doc = await ctx.store.getDocument(input.documentId);
  if (!doc) throw new UserError('not_found', `Document inconnu : ${input.documentId}`);
  await requireConsultation(ctx, doc.consultation);
  return removeDocument(ctx.store, doc.id, who(ctx));
}

/** Deletes a consultation and everything of it; only an administrator (or the command line). */
export async function deleteConsultation(ctx: UseCaseContext, input: { slug: string }): Promise<ConsultationDeletion> {
  if (ctx.actor.role !== 'admin' && ctx.actor.role !== 'cli') throw new UserError('forbidden', 'Seul un administrateur peut supprimer une consultation.');
  const c = await requireConsultation(ctx, input.slug);
  return removeConsultation(ctx.store, c.slug, who(ctx));
}

/** The consultation's imported documents with what deleting each would remove (the Import page's list). */
export async function importedDocuments(ctx: UseCaseContext, input: { consultation: string }): Promise<ImportedDocument[]> {
  const c = await requireConsultation(ctx, input.consultation);
  return listImportedDocuments(ctx.store, c.slug);
}
