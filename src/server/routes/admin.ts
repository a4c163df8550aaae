/** Back office: consultations, meetings and workshop reports, moderation, human theme decisions. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Consultation } from '../../domain/consultation.ts';
import { isValidSlug } from '../../domain/consultation.ts';
import { UserError } from '../../domain/errors.ts';
import { routeRoles } from '../../domain/roles.ts';
import { assignedConsultations } from '../../store/accounts.ts';
import { consultationCounts } from '../../store/consultations.ts';
import { privateTexts } from '../../store/moderation.ts';
import { pageContributions, type ContributionPageItem } from '../../store/moderation-page.ts';
import { PUBLIC_FILTER } from '../../store/store.ts';
import { addMeeting, createConsultation, reopenConsultation, updateConsultation, updateMeeting } from '../../usecases/consultations.ts';
import { decideTheme, moderateContribution } from '../../usecases/contributions.ts';
import { bulkModerate, moderationQueue } from '../../usecases/moderation.ts';
import { getWorkshopReport, recordWorkshopReport, type WorkshopReportView } from '../../usecases/reports.ts';
import type { AppContext } from '../context.ts';
import {
  BulkModerationBody, ConsultationDetail, ConsultationStatus, ConsultationSummary, errors, IdParams, IsoDate, Meeting as MeetingSchema, MeetingKind, ModerationItem, ModerationPage, ModerationQuery,
  Participants, ScopeLevel, SlugParams, Theme, ThemeAssignmentView, UserText, UserTextEntry, WorkshopReport,
} from '../schemas.ts';
import { currentUser } from '../security.ts';
import { clearSuggestCache } from '../suggest.ts';
import { requestContext } from '../use-case-context.ts';
import { consultationDetail, consultationSummary, meetingView, publicContribution } from '../views.ts';

// from the table the web app reads too (src/domain/roles.ts): routes of a section declare that section's roles
export const ANALYST = routeRoles('moderation');
export const FACILITATOR = routeRoles('meetings');
const tags = ['back-office'];

/** The consultation, drafts included, or 404. */
export async function requireConsultation(ctx: AppContext, slug: string): Promise<Consultation> {
  const c = await ctx.store.getConsultation(slug);
  if (!c) throw new UserError('not_found', `Consultation inconnue : « ${slug} »`);
  return c;
}

export async function moderationItem(ctx: AppContext, c: ContributionPageItem, role: string) {
  const priv = (await privateTexts(ctx.store, [c.id])).get(c.id);
  return toModerationItem(c, priv, role);
}

function toModerationItem(c: ContributionPageItem, priv: { original: string; masked: { kind: string; start: number; end: number; original: string }[] } | undefined, role: string) {
  const full = role === 'admin' || role === 'analyst';
  return {
    ...publicContribution(c),
    text: c.text,
    status: c.status as 'pending' | 'published' | 'rejected',
    reason: c.reason,
    themeAssignments: c.themes.map((t) => ({
      theme: t.theme, by: t.provenance.by,
      ...(t.provenance.by === 'model' && t.provenance.probability !== undefined ? { probability: t.provenance.probability } : {}),
    })),
    masked: (priv?.masked ?? []).map((m) => (full ? m : { kind: m.kind, start: m.start, end: m.end })),
    ...(full && priv ? { original: priv.original } : {}),
  };
}

async function pageItem(ctx: AppContext, id: string): Promise<ContributionPageItem> {
  const c = await ctx.store.getContribution(id);
  if (!c) throw new UserError('not_found', `Contribution inconnue : ${id}`);
  const page = await pageContributions(ctx.store, c.consultation, { ids: [id] }, 0, 1);
  return page.items[0]!;
}

export async function adminRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  // ---- consultations ----

  r.get('/admin/consultations', {
    config: { roles: routeRoles('consultations'), scope: 'list' },
    schema: {
      tags, summary: 'Toutes les consultations, brouillons compris (comptes : toutes les contributions, publiées ou non)',
      response: { 200: z.object({ items: z.array(ConsultationSummary) }), ...errors(401, 403) },
    },
  }, async (req) => {
    const user = currentUser(req);
    // a facilitator sees only the consultations assigned to them
    const assigned = user.role === 'facilitator' ? new Set(await assignedConsultations(store, user.id)) : undefined;
    const all = (await store.listConsultations()).filter((c) => !assigned || assigned.has(c.slug));
    const counts = await consultationCounts(store);
    return { items: all.map((c) => consultationSummary(c, counts.get(c.slug) ?? { contributions: 0, meetings: 0 })) };
  });

  r.get('/admin/consultations/:slug', {
    config: { roles: routeRoles('meetings'), scope: 'slug' },
    schema: { tags, summary: 'Détail d’une consultation, brouillon compris', params: SlugParams, response: { 200: ConsultationDetail, ...errors(401, 403, 404) } },
  }, async (req) => {
    const c = await requireConsultation(ctx, req.params.slug);
    return consultationDetail(c, await store.listMeetings(c.slug), await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  r.post('/admin/consultations', {
    config: { roles: routeRoles('settings') },
    schema: {
      tags, summary: 'Crée une consultation (brouillon par défaut, invisible du public ; la même opération que « fabrique consultation create »)',
      body: z.object({
        slug: z.string().refine(isValidSlug, 'adresse de la page : lettres minuscules sans accents, chiffres et tirets (1 à 64 caractères)'),
        title: z.string().trim().min(1).max(300), territory: z.string().min(2).max(3),
        level: ScopeLevel.optional().describe('« region » ou « departement » : les codes se recouvrent (75 : Paris ou Nouvelle-Aquitaine, 76 : Seine-Maritime ou Occitanie) ; sans niveau, le département quand le code en est un'),
        periodStart: IsoDate.optional(), periodEnd: IsoDate.optional(), status: ConsultationStatus.optional().describe('défaut : draft'),
        description: z.string().max(5000).optional(), themes: z.array(Theme).max(50).optional(),
      }),
      response: { 201: ConsultationDetail, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const { consultation } = await createConsultation(requestContext(ctx, req), req.body);
    return reply.code(201).send(consultationDetail(consultation, [], 0));
  });

  r.put('/admin/consultations/:slug', {
    config: { roles: routeRoles('settings') },
    schema: {
      tags, summary: 'Modifie une consultation (titre, période, statut, thèmes dont thèmes locaux)', params: SlugParams,
      body: z.object({
        title: z.string().trim().min(1).max(300).optional(), periodStart: IsoDate.nullable().optional(), periodEnd: IsoDate.nullable().optional(),
        status: ConsultationStatus.optional(), description: z.string().max(5000).nullable().optional(), themes: z.array(Theme).max(50).optional(),
      }),
      response: { 200: ConsultationDetail, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    await requireConsultation(ctx, req.params.slug);
    const c = await updateConsultation(requestContext(ctx, req), { slug: req.params.slug, ...req.body });
    clearSuggestCache(c.slug);
    return consultationDetail(c, await store.listMeetings(c.slug), await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  r.post('/admin/consultations/:slug/reopen', {
    config: { roles: routeRoles('reopen') },
    schema: {
      tags, summary: 'Rouvre aux contributions une consultation close (date de fin passée) jusqu’à une nouvelle date ; administrateurs seulement, inscrit au journal ; la période publiée reste celle d’origine', params: SlugParams,
      body: z.object({ until: IsoDate.describe('dernier jour (compris) où les contributions sont acceptées') }),
      response: { 200: ConsultationDetail, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    await requireConsultation(ctx, req.params.slug);
    const c = await reopenConsultation(requestContext(ctx, req), { slug: req.params.slug, until: req.body.until });
    return consultationDetail(c, await store.listMeetings(c.slug), await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  // ---- meetings and workshop reports ----

  const MeetingInput = z.object({
    title: z.string().trim().min(1).max(300), kind: MeetingKind.default('atelier'), place: z.string().max(300).optional(),
    territory: z.string().max(5).optional(), date: IsoDate.optional(), dateText: z.string().max(100).optional(), time: z.string().max(50).optional(),
    participants: Participants.optional(),
  });

  r.post('/admin/consultations/:slug/meetings', {
    config: { roles: routeRoles('meetings'), scope: 'slug' },
    schema: { tags, summary: 'Ajoute une réunion', params: SlugParams, body: MeetingInput, response: { 201: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await requireConsultation(ctx, req.params.slug);
    const m = await addMeeting(requestContext(ctx, req), { consultation: req.params.slug, ...req.body });
    return reply.code(201).send(meetingView(m));
  });

  r.put('/admin/meetings/:id', {
    config: { roles: routeRoles('meetings'), scope: 'meeting' },
    schema: { tags, summary: 'Modifie une réunion', params: IdParams, body: MeetingInput.partial(), response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    return meetingView(await updateMeeting(requestContext(ctx, req), { id: req.params.id, ...req.body }));
  });

  const ReportThemes = z.array(z.object({
    theme: z.string().min(1).max(64),
    problematiques: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
    solutions: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
    leviers: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
  })).max(50);
  const reportView = <V extends WorkshopReportView>(v: V) => ({ ...v, meeting: meetingView(v.meeting) });

  r.get('/admin/meetings/:id/report', {
    config: { roles: routeRoles('reports'), scope: 'meeting' },
    schema: { tags, summary: 'Compte-rendu d’un atelier, pour le rouvrir : brouillon tel que saisi, ou entrées de la dernière soumission', params: IdParams, response: { 200: WorkshopReport, ...errors(401, 403, 404) } },
  }, async (req) => reportView(await getWorkshopReport(requestContext(ctx, req), req.params.id)));

  r.post('/admin/meetings/:id/report', {
    config: { roles: routeRoles('reports'), scope: 'meeting' },
    schema: {
      tags, summary: 'Enregistre le compte-rendu d’un atelier (un par réunion) : brouillon (draft: true, rien n’entre en modération) ou soumission (participants, problématiques, solutions, leviers par thème ; textes pseudonymisés, en attente de modération ; une nouvelle soumission met à jour les entrées au lieu de les dupliquer ; vide : refusé)', params: IdParams,
      body: z.object({
        participants: Participants,
        draft: z.boolean().default(false).describe('enregistrer sans soumettre'),
        themes: ReportThemes,
      }),
      response: { 201: WorkshopReport.extend({ added: z.number(), kept: z.number(), removed: z.number() }), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const report = await recordWorkshopReport(requestContext(ctx, req), { meeting: req.params.id, ...req.body });
    return reply.code(201).send(reportView(report));
  });

  // ---- moderation ----

  r.get('/admin/consultations/:slug/moderation', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'File de modération filtrée (statut, thème, réunion, canal, recherche plein texte ; critères combinés), avec le nombre de contributions de chaque statut (texte public, texte d’origine, éléments masqués)', params: SlugParams,
      querystring: ModerationQuery,
      response: { 200: ModerationPage, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { page, pageSize, status, theme, meeting, channel, q } = req.query;
    const res = await moderationQueue(requestContext(ctx, req), { consultation: req.params.slug, filter: { status, theme, meeting, channel, q }, page, pageSize });
    const role = currentUser(req).role;
    return { items: res.items.map((i) => toModerationItem(i, res.privates.get(i.id), role)), total: res.total, page, pageSize, counts: res.counts };
  });

  r.post('/admin/contributions/:id/moderation', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Publie, rejette ou pseudonymise une contribution', params: IdParams,
      body: z.object({
        action: z.enum(['publish', 'reject', 'pseudonymise']), reason: z.string().max(1000).optional(),
        text: UserText({ max: 5000 }).optional(),
      }),
      response: { 200: ModerationItem, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { id } = await moderateContribution(requestContext(ctx, req), { id: req.params.id, ...req.body });
    return moderationItem(ctx, await pageItem(ctx, id), currentUser(req).role);
  });

  r.post('/admin/consultations/:slug/moderation', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Publie ou rejette (motif obligatoire) plusieurs contributions de la consultation d’un coup, désignées par leurs identifiants ou par le filtre de la file : toutes ou aucune, en une transaction, chacune inscrite au journal avec le motif', params: SlugParams,
      body: BulkModerationBody,
      response: { 200: z.object({ count: z.number(), items: z.array(ModerationItem).optional().describe('les contributions décidées, quand elles sont désignées par identifiants') }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const done = await bulkModerate(requestContext(ctx, req), { consultation: req.params.slug, ...req.body });
    if (!req.body.ids) return { count: done.count };
    const page = await pageContributions(store, req.params.slug, { ids: done.ids }, 0, done.ids.length);
    const priv = await privateTexts(store, page.items.map((i) => i.id));
    const role = currentUser(req).role;
    return { count: done.count, items: page.items.map((i) => toModerationItem(i, priv.get(i.id), role)) };
  });

  // ---- human theme decisions ----

  r.post('/admin/contributions/:id/themes', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Accepte (décision humaine) ou retire un thème suggéré', params: IdParams,
      body: z.object({ theme: z.string().min(1).max(64), accept: z.boolean() }),
      response: { 200: z.object({ themes: z.array(ThemeAssignmentView) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { themes } = await decideTheme(requestContext(ctx, req), { id: req.params.id, ...req.body });
    return { themes: themes.map((t) => ({ theme: t.theme, provenance: t.provenance as unknown as Record<string, unknown> })) };
  });
}
