/** Back office: consultations, meetings and workshop reports, moderation, human theme decisions. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Consultation } from '../../domain/consultation.ts';
import { PUBLIC_MODERATION_STATUS, type Contribution, type ContributionKind, type Provenance } from '../../domain/contribution.ts';
import { DEPARTEMENTS, REGIONS } from '../../domain/geography.ts';
import { isValidSlug } from '../../domain/consultation.ts';
import { emptyParticipants, type Meeting } from '../../domain/meeting.ts';
import { CNR_SANTE_THEMES } from '../../domain/theme.ts';
import { pseudonymise } from '../../privacy/pseudonymise.ts';
import { recordAudit } from '../../store/audit.ts';
import { appDb, assignedConsultations } from '../../store/accounts.ts';
import { addContributionsWithOriginals, moderateContribution, privateTexts, replaceContributionThemes } from '../../store/moderation.ts';
import { pageContributions, type ContributionPageItem } from '../../store/moderation-page.ts';
import { PUBLIC_FILTER } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, HttpError, notFound } from '../errors.ts';
import {
  ConsultationDetail, ConsultationStatus, ConsultationSummary, errors, IdParams, IsoDate, Meeting as MeetingSchema, MeetingKind, ModerationItem, Page, PageQuery,
  Participants, SlugParams, Theme, ThemeAssignmentView, UserText, UserTextEntry,
} from '../schemas.ts';
import { currentUser } from '../security.ts';
import { clearSuggestCache } from '../suggest.ts';
import { consultationDetail, consultationSummary, meetingView, publicContribution } from '../views.ts';

export const ANALYST = ['analyst'] as const;
export const FACILITATOR = ['analyst', 'facilitator'] as const;
const tags = ['back-office'];

export async function requireConsultation(ctx: AppContext, slug: string): Promise<Consultation> {
  const c = await ctx.store.getConsultation(slug);
  if (!c) throw notFound(`Consultation inconnue : « ${slug} »`);
  return c;
}

async function requireMeeting(ctx: AppContext, id: string): Promise<Meeting> {
  const row = await ctx.store.db.selectFrom('meetings').select('consultation').where('id', '=', id).executeTakeFirst();
  const m = row ? (await ctx.store.listMeetings(row.consultation)).find((x) => x.id === id) : undefined;
  if (!m) throw notFound(`Réunion inconnue : ${id}`);
  return m;
}

function checkThemes(themes: { code: string }[]): void {
  const seen = new Set<string>();
  for (const t of themes) {
    if (seen.has(t.code)) throw badRequest(`Code de thème en double : « ${t.code} »`, 'body.themes');
    seen.add(t.code);
  }
}

async function ensureTerritory(ctx: AppContext, code: string): Promise<void> {
  const dep = DEPARTEMENTS[code];
  if (dep) {
    await ctx.store.upsertTerritory({ code: dep[1], name: REGIONS[dep[1]] ?? dep[1], level: 'region' });
    await ctx.store.upsertTerritory({ code, name: dep[0], level: 'departement', parent: dep[1] });
  } else if (REGIONS[code]) {
    await ctx.store.upsertTerritory({ code, name: REGIONS[code]!, level: 'region' });
  } else {
    throw badRequest(`Code de territoire inconnu : « ${code} » (code INSEE de département ou de région)`, 'body.territory');
  }
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
  const row = await ctx.store.db.selectFrom('contributions').select('consultation').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Contribution inconnue : ${id}`);
  const page = await pageContributions(ctx.store, row.consultation, { ids: [id] }, 0, 1);
  return page.items[0]!;
}

export async function adminRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  // ---- consultations ----

  r.get('/admin/consultations', {
    config: { roles: FACILITATOR, scope: 'list' },
    schema: {
      tags, summary: 'Toutes les consultations, brouillons compris (comptes : toutes les contributions, publiées ou non)',
      response: { 200: z.object({ items: z.array(ConsultationSummary) }), ...errors(401, 403) },
    },
  }, async (req) => {
    const user = currentUser(req);
    // a facilitator sees only the consultations assigned to them
    const assigned = user.role === 'facilitator' ? new Set(await assignedConsultations(store, user.id)) : undefined;
    const all = (await store.listConsultations()).filter((c) => !assigned || assigned.has(c.slug));
    const contributions = await store.db.selectFrom('contributions').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('consultation').execute();
    const meetings = await store.db.selectFrom('meetings').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('consultation').execute();
    const cn = new Map(contributions.map((x) => [x.consultation, Number(x.n)]));
    const mn = new Map(meetings.map((x) => [x.consultation, Number(x.n)]));
    return { items: all.map((c) => consultationSummary(c, { contributions: cn.get(c.slug) ?? 0, meetings: mn.get(c.slug) ?? 0 })) };
  });

  r.get('/admin/consultations/:slug', {
    config: { roles: FACILITATOR, scope: 'slug' },
    schema: { tags, summary: 'Détail d’une consultation, brouillon compris', params: SlugParams, response: { 200: ConsultationDetail, ...errors(401, 403, 404) } },
  }, async (req) => {
    const c = await requireConsultation(ctx, req.params.slug);
    return consultationDetail(c, await store.listMeetings(c.slug), await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  r.post('/admin/consultations', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Crée une consultation',
      body: z.object({
        slug: z.string().refine(isValidSlug, 'identifiant : minuscules, chiffres et tirets (1 à 64 caractères)'),
        title: z.string().trim().min(1).max(300), territory: z.string().min(2).max(3),
        periodStart: IsoDate.optional(), periodEnd: IsoDate.optional(), status: ConsultationStatus.default('draft'),
        description: z.string().max(5000).optional(), themes: z.array(Theme).max(50).optional(),
      }),
      response: { 201: ConsultationDetail, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const b = req.body;
    if (await store.getConsultation(b.slug)) throw conflict(`La consultation « ${b.slug} » existe déjà.`);
    const themes = b.themes ?? CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
    checkThemes(themes);
    await ensureTerritory(ctx, b.territory);
    const c: Consultation = {
      slug: b.slug, title: b.title, territory: b.territory, status: b.status, themes,
      ...(b.periodStart ? { periodStart: b.periodStart } : {}), ...(b.periodEnd ? { periodEnd: b.periodEnd } : {}),
      ...(b.description ? { description: b.description } : {}),
    };
    await store.upsertConsultation(c);
    await recordAudit(appDb(store), { actor: currentUser(req).email, action: 'consultation.create', consultation: c.slug, targetType: 'consultation', targetId: c.slug, after: c });
    return reply.code(201).send(consultationDetail(c, [], 0));
  });

  r.put('/admin/consultations/:slug', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Modifie une consultation (titre, période, statut, thèmes dont thèmes locaux)', params: SlugParams,
      body: z.object({
        title: z.string().trim().min(1).max(300).optional(), periodStart: IsoDate.nullable().optional(), periodEnd: IsoDate.nullable().optional(),
        status: ConsultationStatus.optional(), description: z.string().max(5000).nullable().optional(), themes: z.array(Theme).max(50).optional(),
      }),
      response: { 200: ConsultationDetail, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const before = await requireConsultation(ctx, req.params.slug);
    const b = req.body;
    const c: Consultation = { ...before };
    if (b.title !== undefined) c.title = b.title;
    if (b.status !== undefined) c.status = b.status;
    if (b.themes !== undefined) { checkThemes(b.themes); c.themes = b.themes; }
    for (const k of ['periodStart', 'periodEnd', 'description'] as const) {
      if (b[k] === null) delete c[k];
      else if (b[k] !== undefined) c[k] = b[k]!;
    }
    await store.upsertConsultation(c);
    clearSuggestCache(c.slug);
    await recordAudit(appDb(store), { actor: currentUser(req).email, action: 'consultation.update', consultation: c.slug, targetType: 'consultation', targetId: c.slug, before, after: c });
    return consultationDetail(c, await store.listMeetings(c.slug), await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  // ---- meetings and workshop reports ----

  const MeetingInput = z.object({
    title: z.string().trim().min(1).max(300), kind: MeetingKind.default('atelier'), place: z.string().max(300).optional(),
    territory: z.string().max(5).optional(), date: IsoDate.optional(), dateText: z.string().max(100).optional(), time: z.string().max(50).optional(),
    participants: Participants.optional(),
  });

  r.post('/admin/consultations/:slug/meetings', {
    config: { roles: FACILITATOR, scope: 'slug' },
    schema: { tags, summary: 'Ajoute une réunion', params: SlugParams, body: MeetingInput, response: { 201: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const c = await requireConsultation(ctx, req.params.slug);
    const b = req.body;
    const m: Meeting = {
      id: `${c.slug}:reunion-${randomBytes(6).toString('hex')}`, consultation: c.slug, kind: b.kind, title: b.title,
      participants: b.participants ?? emptyParticipants(),
      ...(b.place ? { place: b.place } : {}), ...(b.territory ? { territory: b.territory } : DEPARTEMENTS[c.territory] ? { territory: c.territory } : {}),
      ...(b.date ? { date: b.date } : {}), ...(b.dateText ? { dateText: b.dateText } : {}), ...(b.time ? { time: b.time } : {}),
    };
    await store.upsertMeetings([m]);
    await recordAudit(appDb(store), { actor: currentUser(req).email, action: 'meeting.create', consultation: c.slug, targetType: 'meeting', targetId: m.id, after: m });
    return reply.code(201).send(meetingView(m));
  });

  r.put('/admin/meetings/:id', {
    config: { roles: FACILITATOR, scope: 'meeting' },
    schema: { tags, summary: 'Modifie une réunion', params: IdParams, body: MeetingInput.partial(), response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const before = await requireMeeting(ctx, req.params.id);
    const m = applyMeetingChanges(before, req.body);
    await updateMeetingRow(ctx, m);
    await recordAudit(appDb(store), { actor: currentUser(req).email, action: 'meeting.update', consultation: m.consultation, targetType: 'meeting', targetId: m.id, before, after: m });
    return meetingView(m);
  });

  r.post('/admin/meetings/:id/report', {
    config: { roles: FACILITATOR, scope: 'meeting' },
    schema: {
      tags, summary: 'Saisie du compte-rendu d’un atelier : participants, problématiques, solutions, leviers par thème (textes pseudonymisés, en attente de modération ; publish: true les publie au nom d’un analyste connecté)', params: IdParams,
      body: z.object({
        participants: Participants,
        publish: z.boolean().default(false).describe('publier les contributions saisies au nom de la personne connectée (analyste seulement)'),
        themes: z.array(z.object({
          theme: z.string().min(1).max(64),
          problematiques: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
          solutions: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
          leviers: z.array(UserTextEntry({ max: 5000 })).max(200).default([]),
        })).max(50),
      }),
      response: { 201: z.object({ meeting: MeetingSchema, contributions: z.number(), ids: z.array(z.string()) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const user = currentUser(req);
    const meeting = await requireMeeting(ctx, req.params.id);
    const c = await requireConsultation(ctx, meeting.consultation);
    const codes = new Set(c.themes.map((t) => t.code));
    // like any channel, typed-in entries await moderation, unless an analyst publishes them in their own name
    if (req.body.publish && !(ANALYST as readonly string[]).includes(user.role)) {
      throw new HttpError(403, 'forbidden', 'Seul un analyste peut publier un compte-rendu sans modération : enregistrez-le sans le publier.');
    }
    const at = new Date().toISOString();
    const batch = randomBytes(4).toString('hex');
    const human: Provenance = { by: 'human', reviewer: user.email, at };
    const items: Parameters<typeof addContributionsWithOriginals>[2] = [];
    const parts: [keyof (typeof req.body.themes)[number], ContributionKind, string][] = [
      ['problematiques', 'constat', 'Problématiques'], ['solutions', 'proposition', 'Solutions co-construites'], ['leviers', 'levier_frein', 'Leviers et freins'],
    ];
    req.body.themes.forEach((t, ti) => {
      if (!codes.has(t.theme)) throw badRequest(`Thème inconnu pour cette consultation : « ${t.theme} »`, `body.themes.${ti}.theme`);
      for (const [field, kind, category] of parts) {
        for (const raw of t[field] as string[]) {
          const text = raw.replace(/\r\n?/g, '\n').trim();
          if (!text) continue;
          // the store pseudonymises every text it writes and keeps this original apart
          const contribution: Contribution = {
            id: `${meeting.id}:saisie-${batch}-${items.length + 1}`, consultation: c.slug, meeting: meeting.id, channel: 'atelier',
            text, kind, kindProvenance: human, category, themes: [{ theme: t.theme, provenance: human }],
            moderation: req.body.publish ? { status: PUBLIC_MODERATION_STATUS, by: user.email, at, reason: 'compte-rendu publié par l’analyste qui l’a saisi' } : { status: 'pending' },
            source: { documentId: 'saisie', file: `saisie en séance : ${meeting.title}` },
            ...(meeting.territory ? { territory: meeting.territory } : {}), ...(meeting.date ? { date: meeting.date } : {}),
          };
          items.push({ contribution });
        }
      }
    });
    const m: Meeting = { ...meeting, participants: req.body.participants };
    await addContributionsWithOriginals(store, c.slug, items, { actor: user.email, action: 'contribution.report' }, async (db) => {
      await db.updateTable('meetings').set(participantColumns(m)).where('id', '=', m.id).execute();
      await recordAudit(db, { actor: user.email, action: 'meeting.report', consultation: c.slug, targetType: 'meeting', targetId: m.id, before: meeting.participants, after: m.participants });
    });
    return reply.code(201).send({ meeting: meetingView(m), contributions: items.length, ids: items.map((i) => i.contribution.id) });
  });

  // ---- moderation ----

  r.get('/admin/consultations/:slug/moderation', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'File de modération (texte public, texte d’origine, éléments masqués)', params: SlugParams,
      querystring: PageQuery.extend({ status: z.enum(['pending', 'published', 'rejected']).default('pending') }),
      response: { 200: Page(ModerationItem), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const c = await requireConsultation(ctx, req.params.slug);
    const { status, page, pageSize } = req.query;
    const res = await pageContributions(store, c.slug, { moderation: status }, (page - 1) * pageSize, pageSize);
    const priv = await privateTexts(store, res.items.map((i) => i.id));
    const role = currentUser(req).role;
    return { items: res.items.map((i) => toModerationItem(i, priv.get(i.id), role)), total: res.total, page, pageSize };
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
    const user = currentUser(req);
    const item = await pageItem(ctx, req.params.id);
    const priv = (await privateTexts(store, [item.id])).get(item.id);
    const { action, reason, text } = req.body;
    const status = action === 'publish' ? 'published' : action === 'reject' ? 'rejected' : item.status as 'pending' | 'published' | 'rejected';
    let newText: string | undefined;
    let masked: { kind: string; start: number; end: number; original: string }[] | undefined;
    // a moderator's own text is masked too (already masked tokens stay as they are): no write skips the masks
    if (action === 'pseudonymise' && text !== undefined) {
      newText = pseudonymise(text).text;
    } else if (action === 'pseudonymise' || (action === 'publish' && !priv)) {
      // automatic masking on the text as written (never published unmasked)
      const p = pseudonymise(priv?.original ?? item.text);
      if (p.text !== item.text) { newText = p.text; masked = p.masked; }
    } else if (action === 'publish' && text !== undefined) {
      newText = pseudonymise(text).text;
    }
    await moderateContribution(store, item.id, {
      status, by: user.email, action: `moderation.${action}`,
      ...(reason !== undefined ? { reason } : {}), ...(newText !== undefined ? { text: newText } : {}), ...(masked ? { masked } : {}),
    });
    return moderationItem(ctx, await pageItem(ctx, item.id), user.role);
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
    const user = currentUser(req);
    const contribution = await store.getContribution(req.params.id);
    if (!contribution) throw notFound(`Contribution inconnue : ${req.params.id}`);
    const c = await requireConsultation(ctx, contribution.consultation);
    const { theme, accept } = req.body;
    if (!c.themes.some((t) => t.code === theme)) throw badRequest(`Thème inconnu pour cette consultation : « ${theme} »`, 'body.theme');
    const others = contribution.themes.filter((t) => t.theme !== theme);
    if (!accept && others.length === contribution.themes.length) throw notFound(`Le thème « ${theme} » n’est pas attribué à cette contribution.`);
    const next = accept ? [...others, { theme, provenance: { by: 'human' as const, reviewer: user.email, at: new Date().toISOString() } }] : others;
    await replaceContributionThemes(store, contribution.id, next, { actor: user.email, action: accept ? 'themes.accept' : 'themes.reject' });
    const after = await store.getContribution(contribution.id);
    return { themes: (after?.themes ?? []).map((t) => ({ theme: t.theme, provenance: t.provenance as unknown as Record<string, unknown> })) };
  });
}

function applyMeetingChanges(m: Meeting, b: Partial<{ title: string; kind: Meeting['kind']; place: string; territory: string; date: string; dateText: string; time: string; participants: Meeting['participants'] }>): Meeting {
  const out: Meeting = { ...m };
  if (b.title !== undefined) out.title = b.title;
  if (b.kind !== undefined) out.kind = b.kind;
  if (b.participants !== undefined) out.participants = b.participants;
  for (const k of ['place', 'territory', 'date', 'dateText', 'time'] as const) if (b[k] !== undefined) out[k] = b[k];
  return out;
}

function participantColumns(m: Meeting) {
  const p = m.participants;
  return {
    p_elus: p.elus, p_institutionnels: p.institutionnels, p_professionnels: p.professionnels, p_associations: p.associations,
    p_usagers: p.usagers, p_autres: p.autres, p_total: p.total,
  };
}

async function updateMeetingRow(ctx: AppContext, m: Meeting): Promise<void> {
  await ctx.store.db.updateTable('meetings').set({
    title: m.title, kind: m.kind, place: m.place ?? null, territory: m.territory ?? null, date: m.date ?? null,
    date_text: m.dateText ?? null, time: m.time ?? null, ...participantColumns(m),
  }).where('id', '=', m.id).execute();
}
