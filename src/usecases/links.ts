/**
 * Traceability (issue 14): the machine suggests which plan elements take up what people said, people decide.
 * `fabrique link`, the back office's review and the coverage report call these functions. Suggestions are
 * back-office work (every contribution, published or not); what the public sees goes through `decidedLinks`
 * with `publicOnly`, under the publication rule.
 */
import { FIT_THRESHOLD, linkTargets, LINK_MODEL, suggestLinksWithFit } from '../analysis/link/index.ts';
import { OTHERS_LABEL } from '../analysis/grouping/model.ts';
import { isPublic, type Contribution, type ModerationStatus } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import { isInvisibleText, sanitizeText } from '../domain/text.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import {
  LINK_NOTE_MAX, LINK_SOURCE_KINDS, PLAN_ITEM_ID,
  type LinkDecision, type LinkSourceKind, type LinkSourceRef, type LinkStatus, type LinkSuggestion, type PlanLink,
} from '../domain/links.ts';
import type { StoredPlan } from '../store/plans.ts';
import { analysisContributions } from '../store/analysis.ts';
import {
  linkContributions, listPlanLinks, newLinkId, replaceSuggestedLinks, sourceConsultation, undoLinkChange, writeLinkDecision,
  type LinkChange, type SuggestedLinkInput,
} from '../store/links.ts';
import { publicGroups } from '../synthesis/data.ts';
import type { UseCaseContext } from './context.ts';
import { requireConsultation } from './consultations.ts';
import { getPlan } from './plan.ts';

export const LINK_DECISIONS: readonly LinkDecision[] = ['confirm', 'reject', 'national', 'not_taken_up'];
/** Decided links: what a coverage report, a restitution or a public page may show. */
const DECIDED: LinkStatus[] = ['confirmed', 'stated'];
/** Items per call of the (synchronous) suggestion: between two, the event loop serves other requests. */
const SUGGEST_CHUNK = 100;
/** Quoted texts of an idea group read with its label: what the group says, not only its few words of label. */
const IDEA_QUOTES = 3;

/** Who decides links: analysts and administrators, and the command line. */
function mayDecide(ctx: UseCaseContext): boolean {
  return ctx.actor.role === 'admin' || ctx.actor.role === 'analyst' || ctx.actor.role === 'cli';
}

function requireDecider(ctx: UseCaseContext): void {
  if (!mayDecide(ctx)) throw new UserError('forbidden', 'Seuls un analyste ou un administrateur peuvent relier les contributions et les idées au schéma territorial de santé.');
}

/** The plan, or a French not_found (an id, or a département for its latest plan). */
async function loadPlan(ctx: UseCaseContext, plan: string, consultation?: string): Promise<StoredPlan> {
  if (typeof plan !== 'string' || plan.trim() === '') throw new UserError('invalid', 'Indiquez le schéma territorial de santé (identifiant du plan).', 'plan');
  // a département names its latest plan: the one of the consultation asked for when there is one, else its latest
  if (consultation !== undefined) {
    try { return await getPlan(ctx, plan, { consultation }); } catch (e) { if (!(e instanceof UserError && e.code === 'not_found')) throw e; }
  }
  return getPlan(ctx, plan);
}

/** Codes a link may target: the plan's objectives, and its défis (when no objective fits). */
function targetCodes(plan: StoredPlan): Map<string, 'objective' | 'defi'> {
  const out = new Map<string, 'objective' | 'defi'>();
  for (const e of plan.engagements) for (const d of e.defis) {
    out.set(d.code, 'defi');
    for (const o of d.objectives) out.set(o.code, 'objective');
  }
  return out;
}

/**
 * The consultation whose contributions and ideas a plan is linked to: the one asked, else the plan's own. A plan
 * imported for a consultation answers that one only (conflict otherwise); a plan without one may be linked to any.
 */
export async function linkedConsultation(ctx: UseCaseContext, plan: StoredPlan, asked: string | undefined): Promise<string | null> {
  if (asked === undefined) return plan.consultation;
  const c = await requireConsultation(ctx, asked);
  if (plan.consultation !== null && plan.consultation !== c.slug) {
    throw new UserError('conflict', `Le schéma « ${plan.id} » répond à la consultation « ${plan.consultation} », pas à « ${c.slug} ».`, 'consultation');
  }
  return c.slug;
}

/**
 * The consultation a plan's links (and its coverage report) are read for: the same pairing as `linkedConsultation`;
 * a plan without a consultation answers only one named when its links were suggested or decided (one its links
 * belong to), else there is nothing of that consultation in it to report (conflict).
 */
export async function answeredConsultation(ctx: UseCaseContext, plan: StoredPlan, asked: string | undefined): Promise<string | null> {
  const slug = await linkedConsultation(ctx, plan, asked);
  if (slug !== null && plan.consultation === null && (await listPlanLinks(ctx.store, { planId: plan.id, consultation: slug })).length === 0) {
    throw new UserError('conflict', `Le schéma « ${plan.id} » n’est relié à aucune contribution ni idée de la consultation « ${slug} » : lancez d’abord la suggestion des liens pour cette consultation.`, 'consultation');
  }
  return slug;
}

function checkSourceKinds(kinds: readonly string[] | undefined): LinkSourceKind[] | undefined {
  if (kinds === undefined) return undefined;
  for (const k of kinds) {
    if (!LINK_SOURCE_KINDS.includes(k as LinkSourceKind)) {
      throw new UserError('invalid', `Nature de source inconnue : « ${k} » (possibles : ${LINK_SOURCE_KINDS.join(', ')}).`, 'sources');
    }
  }
  return [...new Set(kinds)] as LinkSourceKind[];
}

/** What an idea says: its label, then its first quoted texts (a label alone is a few words). */
function ideaText(g: Pick<IdeaGroup, 'label' | 'quotes'>, texts: ReadonlyMap<string, string>): string {
  const quotes = g.quotes.slice(0, IDEA_QUOTES).map((id) => texts.get(id)).filter((t): t is string => t !== undefined);
  return [g.label, ...quotes].join('\n');
}

export interface SuggestPlanLinksInput {
  plan: string;
  /** the consultation whose contributions and ideas are linked (default: the plan's) */
  consultation?: string;
  /** which sources (default: all; contributions and ideas need a consultation) */
  sources?: LinkSourceKind[];
  /** candidates kept per source (the model's default otherwise) */
  top?: number;
}

/** The texts a suggestion run reads, source by source. */
async function suggestionItems(ctx: UseCaseContext, plan: StoredPlan, consultation: string | null, kinds: LinkSourceKind[]): Promise<{ items: { source: LinkSourceRef; text: string }[]; cleared: LinkSourceRef[] }> {
  const items: { source: LinkSourceRef; text: string }[] = [];
  // rejected by moderation: never public, so no suggestion (their earlier ones are cleared); a pending one may still be published
  const cleared: LinkSourceRef[] = [];
  if (consultation !== null && (kinds.includes('contribution') || kinds.includes('idea'))) {
    const contributions = await linkContributions(ctx.store, consultation);
    if (kinds.includes('contribution')) {
      // proposals are what a plan may take up; a contribution nobody classified yet may be one
      for (const c of contributions) {
        if (c.kind !== null && c.kind !== 'proposition') continue;
        if (c.moderationStatus === 'rejected') cleared.push({ kind: 'contribution', id: c.id });
        else items.push({ source: { kind: 'contribution', id: c.id }, text: c.text });
      }
    }
    if (kinds.includes('idea')) {
      const text = new Map(contributions.map((c) => [c.id, c.text]));
      for (const g of await ctx.store.listIdeaGroups(consultation)) {
        if (g.label === OTHERS_LABEL) continue; // the catch-all group is no idea
        items.push({ source: { kind: 'idea', id: g.id }, text: ideaText(g, text) });
      }
    }
  }
  if (kinds.includes('planItem')) plan.consultationItems.forEach((it, i) => items.push({ source: { kind: 'planItem', id: String(i) }, text: it.text }));
  return { items, cleared };
}

/**
 * Ranks the plan's objectives (and défis) for each proposal, idea and plan consultation item, and stores the
 * candidates as suggested links in one transaction with its audit entry. The earlier suggestions of these
 * sources are replaced; every decided or stated link is kept as it is.
 */
export async function suggestPlanLinks(ctx: UseCaseContext, input: SuggestPlanLinksInput): Promise<LinkSuggestion[]> {
  requireDecider(ctx);
  const plan = await loadPlan(ctx, input.plan, input.consultation);
  const consultation = await linkedConsultation(ctx, plan, input.consultation);
  const asked = checkSourceKinds(input.sources);
  if (asked && consultation === null && asked.some((k) => k !== 'planItem')) {
    throw new UserError('invalid', `Le schéma « ${plan.id} » n’est rattaché à aucune consultation : indiquez la consultation dont relier les contributions et les idées.`, 'consultation');
  }
  const kinds = asked ?? (consultation === null ? ['planItem'] : [...LINK_SOURCE_KINDS]);
  const { items, cleared } = await suggestionItems(ctx, plan, consultation, kinds);
  const targets = linkTargets(plan);
  const suggestions: LinkSuggestion[] = [];
  const fits: number[] = [];
  for (let i = 0; i < items.length; i += SUGGEST_CHUNK) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const run = suggestLinksWithFit(targets, items.slice(i, i + SUGGEST_CHUNK), input.top !== undefined ? { top: input.top } : {});
    suggestions.push(...run.suggestions);
    fits.push(...run.fits);
  }
  const at = ctx.now().toISOString();
  const links: SuggestedLinkInput[] = suggestions.flatMap((s, i) => s.candidates.map((c) => ({
    source: s.source, consultation: s.source.kind === 'planItem' ? plan.consultation : consultation,
    target: c.target, score: c.score, sourceFit: fits[i]!, evidence: c.evidence, model: s.model, modelVersion: s.version,
  })));
  const bySource = Object.fromEntries(kinds.map((k) => [k, items.filter((it) => it.source.kind === k).length]));
  await replaceSuggestedLinks(ctx.store, {
    planId: plan.id, sources: [...items.map((it) => it.source), ...cleared], links, at,
    // counts and the model only: no text of a contribution or of the plan in the journal
    audit: {
      actor: ctx.actor.name, action: 'links.suggest', consultation, targetType: 'plan', targetId: plan.id,
      after: { model: LINK_MODEL.name, version: LINK_MODEL.version, sources: bySource, nothingFits: suggestions.filter((s) => s.nothingFits).length },
    },
  });
  return suggestions;
}

export interface ListLinksInput { plan: string; source?: LinkSourceRef; statuses?: LinkStatus[]; sources?: LinkSourceKind[] }

/** The stored links of a plan (back office), each source's decided links first, then its candidates best first. */
export async function listLinks(ctx: UseCaseContext, input: ListLinksInput): Promise<PlanLink[]> {
  requireDecider(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const kinds = checkSourceKinds(input.sources);
  return listPlanLinks(ctx.store, {
    planId: plan.id, ...(input.source ? { source: input.source } : {}), ...(input.statuses ? { statuses: input.statuses } : {}), ...(kinds ? { sourceKinds: kinds } : {}),
  });
}

export interface LinkReviewSource {
  source: LinkSourceRef;
  text: string;
  label?: string;
  theme?: string;
  /** suggested links, best first */
  candidates: PlanLink[];
  /** when the candidates carry the model's fit: whether nothing fits (the fit under `threshold`) */
  nothingFits?: boolean;
  threshold?: number;
  /** confirmed, rejected, stated, national and not taken up */
  decisions: PlanLink[];
  /** a contribution's moderation status: its decisions reach the public pages only once it is published */
  moderation?: ModerationStatus;
}

export interface LinkReview {
  plan: { id: string; title: string; territory: string; consultation: string | null };
  sources: LinkReviewSource[];
}

/**
 * The review page of a plan: every source with links (and every idea group and plan item, linked or not), its
 * text and its candidates and decisions. Plan items in their order, ideas in the groups' order, contributions
 * in arrival order.
 */
export async function linkReview(ctx: UseCaseContext, input: { plan: string; kind?: LinkSourceKind }): Promise<LinkReview> {
  requireDecider(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const kinds = input.kind ? checkSourceKinds([input.kind])! : [...LINK_SOURCE_KINDS];
  const links = await listPlanLinks(ctx.store, { planId: plan.id, sourceKinds: kinds });
  const bySource = new Map<string, PlanLink[]>();
  const key = (s: LinkSourceRef) => `${s.kind}\u0000${s.id}`;
  for (const l of links) {
    const list = bySource.get(key(l.source));
    if (list) list.push(l); else bySource.set(key(l.source), [l]);
  }
  const sources: LinkReviewSource[] = [];
  const push = (source: LinkSourceRef, text: string, extra: { label?: string; theme?: string; moderation?: ModerationStatus } = {}) => {
    const own = bySource.get(key(source)) ?? [];
    const candidates = own.filter((l) => l.status === 'suggested');
    // « nothing fits » as the model said when it suggested (its fit is kept on the rows; older model versions kept none)
    const fit = candidates.find((l) => l.sourceFit !== undefined && l.model === LINK_MODEL.name && l.modelVersion === LINK_MODEL.version)?.sourceFit;
    const verdict = fit === undefined ? {} : { nothingFits: fit < FIT_THRESHOLD, threshold: FIT_THRESHOLD };
    sources.push({ source, text, ...extra, ...verdict, candidates, decisions: own.filter((l) => l.status !== 'suggested') });
  };
  if (kinds.includes('planItem')) {
    // no label: the item is its text (its section and sub-theme heading are the plan's, GET /api/plans/:id)
    plan.consultationItems.forEach((it, i) => push({ kind: 'planItem', id: String(i) }, it.text));
  }
  // the consultations the plan's contribution and idea links belong to (the plan's, or one named when suggesting)
  const consultations = [...new Set([plan.consultation, ...links.filter((l) => l.source.kind !== 'planItem').map((l) => l.consultation)]
    .filter((c): c is string => c !== null))];
  for (const consultation of consultations) {
    if (kinds.includes('idea')) {
      const groups = (await ctx.store.listIdeaGroups(consultation)).filter((g) => g.label !== OTHERS_LABEL || bySource.has(key({ kind: 'idea', id: g.id })));
      // an idea reads as the suggestion read it: its label, then its first quoted texts
      const quoted = new Map((await linkContributions(ctx.store, consultation, [...new Set(groups.flatMap((g) => g.quotes.slice(0, IDEA_QUOTES)))]))
        .map((c) => [c.id, c.text]));
      for (const g of groups) {
        push({ kind: 'idea', id: g.id }, ideaText(g, quoted), { label: g.label, ...(g.theme !== undefined ? { theme: g.theme } : {}) });
      }
    }
    if (kinds.includes('contribution')) {
      const ids = [...new Set(links.filter((l) => l.source.kind === 'contribution' && l.consultation === consultation).map((l) => l.source.id))];
      for (const c of await linkContributions(ctx.store, consultation, ids)) {
        push({ kind: 'contribution', id: c.id }, c.text, { ...(c.theme !== null ? { theme: c.theme } : {}), moderation: c.moderationStatus as ModerationStatus });
      }
    }
  }
  return { plan: { id: plan.id, title: plan.title, territory: plan.territory, consultation: plan.consultation }, sources };
}

export interface DecideLinkInput {
  plan: string;
  source: LinkSourceRef;
  target?: string | null;
  decision: LinkDecision;
  kind?: 'taken_up' | 'partly';
  note?: string | null;
}

/** A short summary of links for the audit entry: codes, kinds, statuses, who, and the note's length, never its words. */
function auditView(links: readonly PlanLink[]) {
  return links.map((l) => ({ id: l.id, target: l.target, kind: l.kind, status: l.status, decidedBy: l.decidedBy, noteLength: l.note?.length ?? 0 }));
}

// Beyond sanitizeText (C0 controls, lone surrogates): C1 controls, bidi embeddings/overrides/isolates and marks,
// zero-width characters and the BOM — invisible in a note, yet they reorder or hide what a public report prints.
const NOTE_INVISIBLE = /[\u0080-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * A note or reason as stored: cleaned (sanitizeText, then the invisible characters above), NFC, trimmed; null
 * when nothing visible is left (so a required reason made of invisible characters only is refused).
 */
export function cleanNote(note: string | null | undefined): string | null {
  if (note === undefined || note === null) return null;
  if (typeof note !== 'string') throw new UserError('invalid', 'La note doit être un texte.', 'note');
  const n = sanitizeText(note).replace(NOTE_INVISIBLE, '').normalize('NFC').trim();
  if (n.length > LINK_NOTE_MAX) throw new UserError('invalid', `Note trop longue (${LINK_NOTE_MAX} caractères au plus).`, 'note');
  return isInvisibleText(n) ? null : n;
}

/** The source exists, and belongs to the plan's consultation when it has one; returns the link's consultation. */
async function checkSource(ctx: UseCaseContext, plan: StoredPlan, source: LinkSourceRef): Promise<string | null> {
  if (!source || typeof source !== 'object' || !LINK_SOURCE_KINDS.includes(source.kind) || typeof source.id !== 'string' || source.id === '') {
    throw new UserError('invalid', `Source invalide : attendu { kind: ${LINK_SOURCE_KINDS.join(' | ')}, id }.`, 'source');
  }
  if (source.kind === 'planItem') {
    if (!PLAN_ITEM_ID.test(source.id)) {
      throw new UserError('invalid', `Position d’élément de consultation invalide : « ${source.id} » (un entier écrit sans zéro initial ni signe : 0, 1, 2…).`, 'source');
    }
    if (Number(source.id) >= plan.consultationItems.length) {
      throw new UserError('not_found', `Élément de consultation « ${source.id} » inconnu dans le schéma « ${plan.id} » (${plan.consultationItems.length} éléments, numérotés à partir de 0).`, 'source');
    }
    return plan.consultation;
  }
  const what = source.kind === 'contribution' ? 'Contribution' : 'Idée commune';
  const consultation = await sourceConsultation(ctx.store, source);
  if (consultation === undefined) throw new UserError('not_found', `${what} inconnue : « ${source.id} ».`, 'source');
  if (plan.consultation !== null && consultation !== plan.consultation) {
    throw new UserError('invalid', `${what} « ${source.id} » de la consultation « ${consultation} », alors que le schéma répond à « ${plan.consultation} ».`, 'source');
  }
  return consultation;
}

/**
 * A reviewer's decision on a source, in one transaction with its history (what undo restores) and its audit
 * entry. `confirm` a target (suggested or not: any objective or défi of the plan), as taken up or partly taken
 * up (then the note says what is left out); `reject` a suggested or stated target; `national` or
 * `not_taken_up` (with its reason) for the source as a whole, one link without target. The decisions of one
 * source do not contradict each other: confirming a target removes a national or not-taken-up mark, and such a
 * mark turns the source's confirmed targets into rejected ones.
 */
export async function decideLink(ctx: UseCaseContext, input: DecideLinkInput): Promise<PlanLink> {
  requireDecider(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const decision = input.decision;
  if (!LINK_DECISIONS.includes(decision)) throw new UserError('invalid', `Décision inconnue : « ${String(decision)} » (possibles : ${LINK_DECISIONS.join(', ')}).`, 'decision');
  const consultation = await checkSource(ctx, plan, input.source);
  const source: LinkSourceRef = { kind: input.source.kind, id: input.source.id };
  const note = cleanNote(input.note);
  const target = input.target === undefined || input.target === null || input.target === '' ? null : String(input.target).trim().toUpperCase();
  const codes = targetCodes(plan);
  if (input.kind !== undefined && decision !== 'confirm') throw new UserError('invalid', 'Le degré de reprise (« repris » ou « repris en partie ») ne s’indique qu’en confirmant un lien.', 'kind');
  if (input.kind !== undefined && input.kind !== 'taken_up' && input.kind !== 'partly') {
    throw new UserError('invalid', `Degré de reprise inconnu : « ${String(input.kind)} » (possibles : taken_up, partly).`, 'kind');
  }
  const kind = input.kind ?? 'taken_up';
  if (decision === 'confirm' || decision === 'reject') {
    if (target === null) throw new UserError('invalid', `Indiquez l’objectif ou le défi du schéma à ${decision === 'confirm' ? 'confirmer' : 'écarter'}.`, 'target');
    if (decision === 'confirm' && !codes.has(target)) {
      throw new UserError('not_found', `« ${target} » n’est ni un objectif ni un défi du schéma « ${plan.title} » (${plan.territoryName}).`, 'target');
    }
    if (kind === 'partly' && note === null) throw new UserError('invalid', 'Repris en partie : indiquez dans la note ce qui n’est pas repris.', 'note');
  } else {
    if (target !== null) throw new UserError('invalid', decision === 'national' ? 'Une source qui relève du niveau national n’est reliée à aucun objectif : retirez la cible.' : 'Une source non reprise n’est reliée à aucun objectif : retirez la cible.', 'target');
    if (decision === 'not_taken_up' && note === null) throw new UserError('invalid', 'Non repris : indiquez la raison dans la note.', 'note');
  }
  const at = ctx.now().toISOString();
  const who = ctx.actor.name;
  const decide = (current: PlanLink[]): LinkChange => {
    const blank = (t: string | null): PlanLink => ({
      id: newLinkId(), planId: plan.id, consultation, source, target: t, kind: 'taken_up', status: 'suggested', score: null, evidence: [],
      model: null, modelVersion: null, note: null, decidedBy: null, decidedAt: null, createdAt: at,
    });
    const marks = current.filter((l) => l.target === null);
    if (decision === 'confirm') {
      const row = current.find((l) => l.target === target);
      if (row && row.status === 'confirmed' && row.kind === kind && row.note === note) throw new UserError('conflict', `Le lien vers ${target} est déjà confirmé ainsi.`, 'target');
      const base = row ?? blank(target);
      return { upsert: [{ ...base, kind, status: 'confirmed', note, decidedBy: who, decidedAt: at }], remove: marks.map((l) => l.id), main: base.id };
    }
    if (decision === 'reject') {
      const row = current.find((l) => l.target === target);
      if (!row) throw new UserError('not_found', `Aucun lien vers ${target} à écarter pour cette source : seul un lien suggéré, confirmé ou indiqué par le document s’écarte.`, 'target');
      if (row.status === 'rejected') throw new UserError('conflict', `Le lien vers ${target} est déjà écarté.`, 'target');
      return { upsert: [{ ...row, status: 'rejected', note, decidedBy: who, decidedAt: at }], remove: [], main: row.id };
    }
    const linkKind = decision === 'national' ? 'national' : 'not_taken_up';
    const mark = marks[0];
    if (mark && mark.kind === linkKind && mark.note === note) {
      throw new UserError('conflict', decision === 'national' ? 'Cette source est déjà marquée comme relevant du niveau national.' : 'Cette source est déjà marquée comme non reprise, pour cette raison.', 'decision');
    }
    const base = mark ?? blank(null);
    const updated: PlanLink = { ...base, kind: linkKind, status: 'confirmed', score: null, evidence: [], model: null, modelVersion: null, note, decidedBy: who, decidedAt: at };
    // a source not taken up (or national) is taken up by no objective: its confirmed targets are set aside
    const setAside = current.filter((l) => l.target !== null && l.status === 'confirmed').map((l) => ({ ...l, status: 'rejected' as const, decidedBy: who, decidedAt: at }));
    return { upsert: [updated, ...setAside], remove: marks.slice(1).map((l) => l.id), main: base.id };
  };
  const written = await writeLinkDecision(ctx.store, {
    planId: plan.id, source, decision, actor: who, at, decide,
    audit: (before, after, main) => ({
      actor: who, action: `link.${decision}`, consultation, targetType: 'plan_link', targetId: main?.id ?? after[0]?.id ?? plan.id, at,
      before: { plan: plan.id, source, links: auditView(before) },
      after: { plan: plan.id, source, links: auditView(after) },
    }),
  });
  return written!;
}

/**
 * Undoes the latest decision on a link (not undone yet): the links of its source go back exactly to what they were
 * before it. Returns the link as restored, or null when the decision had created it. A later decision on the same
 * links must be undone first (conflict).
 */
export async function undoLinkDecision(ctx: UseCaseContext, input: { plan: string; link: string }): Promise<PlanLink | null> {
  requireDecider(ctx);
  const plan = await loadPlan(ctx, input.plan);
  if (typeof input.link !== 'string' || input.link === '') throw new UserError('invalid', 'Indiquez le lien dont annuler la décision.', 'link');
  const at = ctx.now().toISOString();
  const r = await undoLinkChange(ctx.store, {
    planId: plan.id, linkId: input.link, actor: ctx.actor.name, at,
    audit: (restored, undone, link) => ({
      actor: ctx.actor.name, action: 'link.undo', consultation: link?.consultation ?? undone[0]?.consultation ?? restored[0]?.consultation ?? null,
      targetType: 'plan_link', targetId: input.link, at,
      before: { plan: plan.id, links: auditView(undone) }, after: { plan: plan.id, links: auditView(restored) },
    }),
  });
  if (r.outcome === 'none') throw new UserError('not_found', `Aucune décision à annuler sur le lien « ${input.link} » de ce schéma.`, 'link');
  if (r.outcome === 'conflict') throw new UserError('conflict', 'Les liens de cette source ont changé depuis cette décision : annulez d’abord la décision la plus récente.', 'link');
  return r.link;
}

export interface DecidedLinksInput { plan?: string; consultation?: string; publicOnly: boolean }

/**
 * The decided links (confirmed and stated, national and not taken up included) of a plan and/or a consultation.
 * `publicOnly`: only those whose source the public may see — a public contribution (isPublic), an idea group as
 * the restitution shows it (publicGroups: one with a public member), a plan item (the plan is a public document).
 * Without it, the back office's view (analysts and administrators).
 */
export async function decidedLinks(ctx: UseCaseContext, input: DecidedLinksInput): Promise<PlanLink[]> {
  if (!input.publicOnly) requireDecider(ctx);
  if (input.plan === undefined && input.consultation === undefined) throw new UserError('invalid', 'Indiquez un schéma ou une consultation.', 'plan');
  const planId = input.plan !== undefined ? (await loadPlan(ctx, input.plan, input.consultation)).id : undefined;
  if (input.consultation !== undefined) await requireConsultation(ctx, input.consultation);
  const links = await listPlanLinks(ctx.store, {
    ...(planId !== undefined ? { planId } : {}), ...(input.consultation !== undefined ? { consultation: input.consultation } : {}), statuses: DECIDED,
  });
  if (!input.publicOnly) return links;
  const visible = new Map<string, { contributions: Set<string>; groups: Set<string> }>();
  for (const c of new Set(links.filter((l) => l.source.kind !== 'planItem' && l.consultation !== null).map((l) => l.consultation!))) {
    const read = await analysisContributions(ctx.store, c);
    // publicGroups reads only the ids, moderation and texts of the public contributions: what analysisContributions gives
    const byId = new Map(read.filter(isPublic).map((x) => [x.id, x as unknown as Contribution]));
    const groups = publicGroups(await ctx.store.listIdeaGroups(c), byId);
    visible.set(c, { contributions: new Set(byId.keys()), groups: new Set(groups.map((g) => g.id)) });
  }
  return links.filter((l) => {
    if (l.source.kind === 'planItem') return true;
    const v = l.consultation !== null ? visible.get(l.consultation) : undefined;
    if (!v) return false;
    return l.source.kind === 'contribution' ? v.contributions.has(l.source.id) : v.groups.has(l.source.id);
  });
}
