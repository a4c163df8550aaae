/**
 * Deletion and erasure from the back office (src/usecases/deletion.ts): a contribution (deleted, or erased at the
 * person's request), an imported document with its meetings and contributions, a whole consultation.
 * The web app asks for confirmation before calling these; each is one transaction with its audit entry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteConsultation, deleteContribution, deleteDocument, importedDocuments, type DeletionMode } from '../../usecases/deletion.ts';
import type { AppContext } from '../context.ts';
import { errors, IdParams, SlugParams } from '../schemas.ts';
import { clearSuggestCache } from '../suggest.ts';
import { requestContext } from '../use-case-context.ts';
import { ANALYST } from './admin.ts';

const tags = ['back-office'];

const Counts = z.object({
  contributions: z.number(), meetings: z.number(), documents: z.number(), sourceFiles: z.number(),
  ideaGroupsChanged: z.number(), ideaGroupsRemoved: z.number(), draftsRewritten: z.number(),
  restitutionsStale: z.number().describe('restitutions publiées qui comptaient ou citaient ce qui a été retiré : plus servies jusqu’à republication'),
  restitutionsRewritten: z.number(), auditEntriesRewritten: z.number(), jobsRewritten: z.number(),
}).describe('ce qui a été retiré ou réécrit, table par table');

const ContributionDeleted = z.object({ mode: z.enum(['delete', 'erase']), contribution: z.string(), consultation: z.string(), document: z.string().nullable(), counts: Counts });

export async function deletionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/admin/consultations/:slug/documents', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Les documents importés dans la consultation, du plus récent au plus ancien, avec leurs nombres de contributions et de réunions (ce que leur suppression retirerait)',
      params: SlugParams,
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.string(), fileName: z.string(), importedAt: z.string(), parser: z.string(), publishedBy: z.string().nullable(),
            contributions: z.number(), meetings: z.number(), sourceFileKept: z.boolean(),
          })),
        }),
        ...errors(401, 403, 404),
      },
    },
  }, async (req) => ({ items: await importedDocuments(requestContext(ctx, req), { consultation: req.params.slug }) }));

  // deletion and erasure differ only by their mode: one handler
  const removeContribution = (mode: DeletionMode) => async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const done = await deleteContribution(requestContext(ctx, req), { id: req.params.id, mode });
    clearSuggestCache(done.consultation);
    return done;
  };

  r.delete('/admin/contributions/:id', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Supprime une contribution et ce qui en dérive (idées communes, citations des synthèses ; les restitutions publiées qui la comptaient sont retirées du site jusqu’à republication)',
      params: IdParams, response: { 200: ContributionDeleted, ...errors(401, 403, 404) },
    },
  }, removeContribution('delete'));

  r.post('/admin/contributions/:id/erase', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Efface une contribution à la demande de la personne (RGPD) : comme la suppression, et son texte disparaît aussi du journal d’audit, des brouillons et restitutions publiées, et le fichier d’origine de son document n’est plus conservé. Le journal garde l’effacement, sans le texte',
      params: IdParams, response: { 200: ContributionDeleted, ...errors(401, 403, 404) },
    },
  }, removeContribution('erase'));

  r.delete('/admin/documents/:id', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Supprime un document importé (un import erroné) : ses réunions, ses contributions, son fichier d’origine et ce qui en dérive, en une transaction',
      params: z.object({ id: z.string().min(1).max(128) }),
      response: { 200: z.object({ document: z.string(), consultation: z.string(), fileName: z.string(), counts: Counts }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const done = await deleteDocument(requestContext(ctx, req), { documentId: req.params.id });
    clearSuggestCache(done.consultation);
    return done;
  });

  r.delete('/admin/consultations/:slug', {
    // administrators only (an empty list: admin is always allowed)
    config: { roles: [] },
    schema: {
      tags, summary: 'Supprime une consultation et tout ce qu’elle contient (administrateur) ; son journal d’audit reste, sans les textes des contributions',
      params: SlugParams,
      response: { 200: z.object({ consultation: z.string(), counts: Counts.extend({ auditEntriesKept: z.number() }) }), ...errors(401, 403, 404, 409) },
    },
  }, async (req) => {
    const done = await deleteConsultation(requestContext(ctx, req), { slug: req.params.slug });
    clearSuggestCache(done.consultation);
    return done;
  });
}
