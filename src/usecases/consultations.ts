/**
 * Consultations and their meetings: create, update, load a consultation file, declare and edit meetings. The CLI
 * (`fabrique consultation …`, `fabrique demo`) and the back office call these same functions.
 */
import { randomBytes } from 'node:crypto';
import { acceptsContributions, DEFAULT_CONSULTATION_STATUS, effectiveStatus, isValidSlug, parisDay, type Consultation, type ConsultationStatus } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import { emptyParticipants, type Meeting, type MeetingKind, type Participants } from '../domain/meeting.ts';
import type { Indicator } from '../domain/plan.ts';
import { consultationLevel, resolveScope, scopeTerritories, type Scope } from '../domain/territory.ts';
import { CNR_SANTE_THEMES, type Theme } from '../domain/theme.ts';
import { getMeeting, insertMeeting, reopenConsultation as writeReopening, saveConsultation, updateMeeting as writeMeeting } from '../store/consultations.ts';
import { listIndicators } from '../store/indicators.ts';
import type { UseCaseContext } from './context.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(value: string | undefined, field: string): void {
  if (value === undefined) return;
  const m = ISO_DATE.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new UserError('invalid', `Date invalide : « ${value} » (AAAA-MM-JJ)`, field);
  }
}

function checkPeriod(c: Pick<Consultation, 'periodStart' | 'periodEnd'>): void {
  checkDate(c.periodStart, 'periodStart');
  checkDate(c.periodEnd, 'periodEnd');
  if (c.periodStart && c.periodEnd && c.periodStart > c.periodEnd) throw new UserError('invalid', 'La fin de la période précède son début.', 'periodEnd');
}

function checkThemes(themes: readonly { code: string }[]): void {
  const seen = new Set<string>();
  for (const t of themes) {
    if (seen.has(t.code)) throw new UserError('invalid', `Code de thème en double : « ${t.code} »`, 'themes');
    seen.add(t.code);
  }
}

/**
 * The consultation, or not_found. On the command line the message lists the known consultations; elsewhere it
 * does not (a facilitator must not learn the slugs of consultations they are not assigned to).
 */
export async function requireConsultation(ctx: UseCaseContext, slug: string): Promise<Consultation> {
  if (ctx.actor.role === 'cli') return ctx.store.requireConsultation(slug);
  const c = await ctx.store.getConsultation(slug);
  if (!c) throw new UserError('not_found', `Consultation inconnue : « ${slug} »`);
  return c;
}

export interface CreateConsultationInput {
  slug: string;
  title: string;
  /** INSEE code of a département or a région */
  territory: string;
  /** `region` or `departement`: codes overlap (75, 76…); without it a département is meant when the code is one */
  level?: string;
  /** default DEFAULT_CONSULTATION_STATUS (draft: invisible to the public until someone opens it) */
  status?: ConsultationStatus;
  periodStart?: string;
  periodEnd?: string;
  description?: string;
  /** default: the four national themes of the CNR Santé */
  themes?: Theme[];
}

/** Creates a consultation on a resolved territory, with its territory rows and its audit entry, in one transaction. */
export async function createConsultation(ctx: UseCaseContext, input: CreateConsultationInput): Promise<{ consultation: Consultation; scope: Scope }> {
  // load: nothing beyond the slug check, done again inside the transaction
  if (!isValidSlug(input.slug)) throw new UserError('invalid', `Adresse de page invalide : « ${input.slug} ». Utilisez des lettres minuscules sans accents, des chiffres et des tirets (1 à 64 caractères), par exemple « aveyron-2026 ».`, 'slug');
  if (await ctx.store.getConsultation(input.slug)) throw new UserError('conflict', `La consultation « ${input.slug} » existe déjà.`, 'slug');
  // compute
  const title = input.title.trim();
  if (!title) throw new UserError('invalid', 'Le titre de la consultation est vide.', 'title');
  const scope = resolveScope(input.territory, input.level);
  const themes = input.themes ?? CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
  checkThemes(themes);
  const consultation: Consultation = {
    slug: input.slug, title, territory: scope.code, territoryLevel: scope.level, status: input.status ?? DEFAULT_CONSULTATION_STATUS, themes,
    ...(input.periodStart ? { periodStart: input.periodStart } : {}), ...(input.periodEnd ? { periodEnd: input.periodEnd } : {}),
    ...(input.description ? { description: input.description } : {}),
  };
  checkPeriod(consultation);
  // write
  await saveConsultation(ctx.store, {
    consultation, territories: scopeTerritories(scope), mustBeNew: true,
    audit: [{ actor: ctx.actor.name, action: 'consultation.create', consultation: consultation.slug, targetType: 'consultation', targetId: consultation.slug, at: ctx.now().toISOString(), after: consultation }],
  });
  return { consultation, scope };
}

export interface UpdateConsultationInput {
  slug: string;
  title?: string;
  status?: ConsultationStatus;
  /** null removes the field */
  periodStart?: string | null;
  periodEnd?: string | null;
  description?: string | null;
  themes?: Theme[];
}

/** Changes a consultation's descriptive fields, status or themes, with its audit entry. The territory stays. */
export async function updateConsultation(ctx: UseCaseContext, input: UpdateConsultationInput): Promise<Consultation> {
  const before = await requireConsultation(ctx, input.slug);
  const c: Consultation = { ...before };
  if (input.title !== undefined) {
    c.title = input.title.trim();
    if (!c.title) throw new UserError('invalid', 'Le titre de la consultation est vide.', 'title');
  }
  if (input.status !== undefined) c.status = input.status;
  if (input.themes !== undefined) { checkThemes(input.themes); c.themes = input.themes; }
  for (const k of ['periodStart', 'periodEnd', 'description'] as const) {
    if (input[k] === null) delete c[k];
    else if (input[k] !== undefined) c[k] = input[k]!;
  }
  checkPeriod(c);
  // reopening a closed consultation (a later end date, or « open » again) is an administrator's decision
  const now = ctx.now();
  if (effectiveStatus(before, now) === 'closed' && acceptsContributions(c, now) && ctx.actor.role !== 'admin' && ctx.actor.role !== 'cli') {
    throw new UserError('forbidden', 'Cette consultation est close : seul un administrateur peut la rouvrir aux contributions (« Rouvrir », avec une nouvelle date de fin).');
  }
  // subscribers hear of an opening (or reopening) and of a closing decided here; a period that ends by itself is not an event
  const was = effectiveStatus(before, now);
  const is = effectiveStatus(c, now);
  const news = is === 'open' && was !== 'open' ? 'opened' as const : was === 'open' && is === 'closed' ? 'closed' as const : undefined;
  await saveConsultation(ctx.store, {
    consultation: c, territories: [], ...(news ? { news } : {}),
    audit: [{ actor: ctx.actor.name, action: 'consultation.update', consultation: c.slug, targetType: 'consultation', targetId: c.slug, at: ctx.now().toISOString(), before, after: c }],
  });
  return c;
}

/**
 * Reopens to contributions a consultation that is closed (its end date passed, or closed by hand) until a new
 * last day: an administrator's explicit decision (or the command line's), audited. The published period is
 * left as it was, so the page still says when the consultation ran.
 */
export async function reopenConsultation(ctx: UseCaseContext, input: { slug: string; until: string }): Promise<Consultation> {
  if (ctx.actor.role !== 'admin' && ctx.actor.role !== 'cli') {
    throw new UserError('forbidden', 'Seul un administrateur peut rouvrir une consultation close.');
  }
  const before = await requireConsultation(ctx, input.slug);
  checkDate(input.until, 'until');
  const today = parisDay(ctx.now());
  if (input.until < today) throw new UserError('invalid', `La nouvelle date de fin (${input.until}) est déjà passée : choisissez aujourd’hui ou une date à venir.`, 'until');
  const status = effectiveStatus(before, ctx.now());
  if (status !== 'closed') {
    throw new UserError('conflict', status === 'open'
      ? 'Cette consultation est déjà ouverte aux contributions : modifiez sa date de fin si besoin.'
      : `Seule une consultation close peut être rouverte (état actuel : ${({ draft: 'brouillon', analysed: 'analysée', published: 'restitution publiée' } as Record<string, string>)[status] ?? status}).`);
  }
  const after: Consultation = { ...before, status: 'open', reopenedUntil: input.until };
  await writeReopening(ctx.store, before.slug, input.until, {
    actor: ctx.actor.name, action: 'consultation.reopen', consultation: before.slug, targetType: 'consultation', targetId: before.slug,
    at: ctx.now().toISOString(), before: { status: before.status, periodEnd: before.periodEnd ?? null, reopenedUntil: before.reopenedUntil ?? null },
    after: { status: after.status, reopenedUntil: input.until },
  });
  return after;
}

export interface LoadConsultationInput {
  /** as read from a consultation file (src/ingest/consultation-file.ts) */
  consultation: Consultation;
  meetings: Meeting[];
  /** undefined: the file lists none, stored ones stay */
  indicators?: Indicator[];
}

/**
 * Creates or updates a consultation as a consultation file describes it (meetings, indicators), in one transaction.
 * Audited when something changed: loading the same file again writes nothing new in the audit log.
 */
export async function loadConsultation(ctx: UseCaseContext, input: LoadConsultationInput): Promise<{ created: boolean; consultation: Consultation; scope: Scope }> {
  const before = await ctx.store.getConsultation(input.consultation.slug);
  const scope = resolveScope(input.consultation.territory, input.consultation.territoryLevel ?? consultationLevel(input.consultation));
  const consultation: Consultation = { ...input.consultation, territory: scope.code, territoryLevel: scope.level };
  checkThemes(consultation.themes);
  checkPeriod(consultation);
  const meetings = input.meetings.map((m) => ({ ...m, consultation: consultation.slug }));
  const storedMeetings = new Map((before ? await ctx.store.listMeetings(consultation.slug) : []).map((m) => [m.id, m]));
  const storedIndicators = before && input.indicators ? await listIndicators(ctx.store, scope.code, scope.level) : [];
  const changed = !before || !sameValue(before, consultation) || meetings.some((m) => !sameValue(storedMeetings.get(m.id), m))
    || (input.indicators !== undefined && !sameValue(storedIndicators.map(indicatorKey), input.indicators.map(indicatorKey)));
  const at = ctx.now().toISOString();
  const created = await saveConsultation(ctx.store, {
    consultation, territories: scopeTerritories(scope), meetings,
    ...(input.indicators ? { indicators: { territory: scope.code, level: scope.level, items: input.indicators } } : {}),
    audit: changed ? [{
      actor: ctx.actor.name, action: before ? 'consultation.update' : 'consultation.create', consultation: consultation.slug, targetType: 'consultation',
      targetId: consultation.slug, at, ...(before ? { before } : {}),
      after: { ...consultation, meetings: meetings.map((m) => m.id), ...(input.indicators ? { indicators: input.indicators.length } : {}) },
    }] : [],
  });
  return { created, consultation, scope };
}

/** Equal as data (key order aside): a reload of the same file is no change. */
function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const indicatorKey = (i: Indicator) => [i.id, i.label, i.unit ?? null, i.year ?? null, i.value, i.regionValue ?? null, i.franceValue ?? null, i.source ?? null];

export interface MeetingInput {
  title: string;
  kind?: MeetingKind;
  place?: string;
  territory?: string;
  date?: string;
  dateText?: string;
  time?: string;
  participants?: Participants;
}

/** Declares a meeting of a consultation (its territory defaults to the consultation's département), audited. */
export async function addMeeting(ctx: UseCaseContext, input: MeetingInput & { consultation: string }): Promise<Meeting> {
  const c = await requireConsultation(ctx, input.consultation);
  checkDate(input.date, 'date');
  const m: Meeting = {
    id: `${c.slug}:reunion-${randomBytes(6).toString('hex')}`, consultation: c.slug, kind: input.kind ?? 'atelier', title: input.title,
    participants: input.participants ?? emptyParticipants(),
    ...(input.place ? { place: input.place } : {}),
    // a regional consultation has no département to lend its meetings
    ...(input.territory ? { territory: input.territory } : consultationLevel(c) === 'departement' ? { territory: c.territory } : {}),
    ...(input.date ? { date: input.date } : {}), ...(input.dateText ? { dateText: input.dateText } : {}), ...(input.time ? { time: input.time } : {}),
  };
  await insertMeeting(ctx.store, m, { actor: ctx.actor.name, action: 'meeting.create', consultation: c.slug, targetType: 'meeting', targetId: m.id, at: ctx.now().toISOString(), after: m });
  return m;
}

/** The meeting, or not_found. */
export async function requireMeeting(ctx: UseCaseContext, id: string): Promise<Meeting> {
  const m = await getMeeting(ctx.store, id);
  if (!m) throw new UserError('not_found', `Réunion inconnue : ${id}`);
  return m;
}

/** Edits a meeting's descriptive fields and participants, audited. */
export async function updateMeeting(ctx: UseCaseContext, input: Partial<MeetingInput> & { id: string }): Promise<Meeting> {
  const before = await requireMeeting(ctx, input.id);
  checkDate(input.date, 'date');
  const m: Meeting = { ...before };
  if (input.title !== undefined) m.title = input.title;
  if (input.kind !== undefined) m.kind = input.kind;
  if (input.participants !== undefined) m.participants = input.participants;
  for (const k of ['place', 'territory', 'date', 'dateText', 'time'] as const) if (input[k] !== undefined) m[k] = input[k];
  await writeMeeting(ctx.store, m, { actor: ctx.actor.name, action: 'meeting.update', consultation: m.consultation, targetType: 'meeting', targetId: m.id, at: ctx.now().toISOString(), before, after: m });
  return m;
}
