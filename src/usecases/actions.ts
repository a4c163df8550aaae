/**
 * Follow-up actions of a schéma territorial de santé (issue 15, item 1): imported from the plan's « En pratique »
 * items as proposed actions, or entered by hand; updated with a dated timeline entry per change; their progress
 * rolled up to the objective and the plan (src/domain/followup.ts).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../domain/errors.ts';
import {
  ACTION_STATUS_LABELS, actionProgress, aggregateProgress, isActionScope, isIsoDate, mayTransition, parseActionStatus,
  emptyStatusCounts, progressNodes, suggestPartners, type ActionScope, type ActionStatus,
} from '../domain/followup.ts';
import type { SourceRef } from '../domain/source.ts';
import { sanitizeText } from '../domain/text.ts';
import {
  findAction, hasChildActions, insertActions, listPlanActions, listTimeline, updateActionRow,
  type ActionFields, type FollowupAction, type NewFollowupAction, type TimelineEntry,
} from '../store/actions.ts';
import { actionsOfAccount, listActionAccounts, managesAction, setActionAccounts, usersByEmail, type ActionAccount } from '../store/action-accounts.ts';
import type { StoredPlan } from '../store/plans.ts';
import type { UseCaseContext } from './context.ts';
import { getPlan } from './plan.ts';

/** Longest title kept from an « En pratique » item; the whole item stays the description. */
const TITLE_MAX = 160;
const TEXT_MAX = 5000;

/** Who may import, create, assign and update every action: analysts, administrators and the command line. */
function mayManage(ctx: UseCaseContext): boolean {
  return ctx.actor.role === 'admin' || ctx.actor.role === 'analyst' || ctx.actor.role === 'cli';
}

/**
 * The rights of issue 15 (docs/format-followup.md, « Droits »): analysts and administrators manage every action;
 * owners (« porteurs d’action ») and facilitators update the actions assigned to their account
 * (action_accounts), nothing else; an owner reads only those. Visitors read nothing here.
 */
function requireManager(ctx: UseCaseContext): void {
  if (!mayManage(ctx)) throw new UserError('forbidden', 'Seuls un analyste ou un administrateur peuvent importer, créer ou affecter les actions de suivi du schéma territorial de santé.');
}

/** Owners and facilitators act on the actions assigned to them only. */
const assignedOnly = (ctx: UseCaseContext) => ctx.actor.role === 'owner' || ctx.actor.role === 'facilitator';

/** The back office reads the actions (the public follow-up page has its own rules). */
function requireReader(ctx: UseCaseContext): void {
  if (ctx.actor.role === 'visitor') throw new UserError('forbidden', 'Les actions de suivi se consultent depuis l’espace d’administration.');
}

const NOT_ASSIGNED = 'Cette action ne vous est pas affectée : seuls ses porteurs et animateurs désignés, les analystes et les administrateurs peuvent la modifier.';

async function requireUpdater(ctx: UseCaseContext, action: FollowupAction): Promise<void> {
  if (mayManage(ctx)) return;
  if (assignedOnly(ctx) && await managesAction(ctx.store, ctx.actor.name, action.id)) return;
  throw new UserError('forbidden', NOT_ASSIGNED);
}

async function loadPlan(ctx: UseCaseContext, plan: unknown): Promise<StoredPlan> {
  if (typeof plan !== 'string' || plan.trim() === '') throw new UserError('invalid', 'Indiquez le schéma territorial de santé (identifiant du plan).', 'plan');
  return getPlan(ctx, plan);
}

const objectivesOf = (p: StoredPlan) => p.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives));

/** A short title from an « En pratique » item: its first sentence, cut at a word when it is long. */
export function actionTitle(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  // a title, not a list item: the document's trailing « ; » « , » « : » or final period are not kept
  // (« … sportifs ; » read as a title on the public pages); an ellipsis or « etc. » stays
  const first = t.split(/(?<=[.;:])\s/u)[0] ?? t;
  const sentence = first.replace(/\s*[;:,]+$/u, '').replace(/(?<!\betc|\.)\.$/u, '') || first;
  if (sentence.length <= TITLE_MAX) return sentence;
  const cut = sentence.slice(0, TITLE_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), TITLE_MAX / 2)).trimEnd()}…`;
}

/**
 * The import key of a plan action: its text (spaces and case folded) and which occurrence of that text it is.
 * Neither a correction of an objective's code nor a new version of the document (whose lines move; the actions
 * are carried over to it) makes an unchanged item new.
 */
function importKey(text: string, seen: Map<string, number>): string {
  const norm = text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  const n = (seen.get(norm) ?? 0) + 1;
  seen.set(norm, n);
  return `${createHash('sha256').update(norm).digest('hex').slice(0, 32)}#${n}`;
}

/** An « En pratique » line found away from its heading: reported, imported only when asked (`includeDisplaced`). */
export interface DisplacedAction { objective: string; placement: 'displaced' | 'orphan'; source: SourceRef; actionId: string | null }

export interface ImportPlanActionsResult {
  plan: string;
  /** actions created by this run */
  created: number;
  /** « En pratique » items already imported (a second run creates nothing) */
  existing: number;
  /** per objective code, the number of the plan's actions under it after the run */
  byObjective: Record<string, number>;
  /**
   * items found outside their objective's « En pratique » heading (docs/format-plan.md: after a sidebar, or
   * action-like lines before the heading): reported for a person to check, not imported unless asked
   */
  displaced: DisplacedAction[];
}

/**
 * One « proposée » action per « En pratique » item of the stored plan, with its source span; idempotent (a
 * second run creates nothing). Lines the parser found away from their heading are reported, and imported too
 * with `includeDisplaced` once a person has checked them.
 */
export async function importPlanActions(ctx: UseCaseContext, input: { plan: string; includeDisplaced?: boolean }): Promise<ImportPlanActionsResult> {
  requireManager(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const items: (NewFollowupAction & { placement: string })[] = [];
  const seen = new Map<string, number>();
  for (const o of objectivesOf(plan)) {
    o.actions.forEach((a) => {
      items.push({
        objectiveCode: o.code, title: actionTitle(a.text), description: a.text, partners: suggestPartners(a.text),
        scope: 'territorial', source: a.source, importKey: importKey(a.text, seen), placement: a.placement,
      });
    });
  }
  const at = ctx.now().toISOString();
  const wanted = input.includeDisplaced ? items : items.filter((i) => i.placement === 'heading');
  const { created, existing } = await insertActions(ctx.store, {
    planId: plan.id, actions: wanted.map(({ placement: _, ...a }) => a), actor: ctx.actor.name, at,
    audit: (ids, kept) => ids.length === 0 ? null : {
      actor: ctx.actor.name, action: 'actions.import', consultation: plan.consultation, targetType: 'plan', targetId: plan.id,
      after: { created: ids.length, existing: kept }, at,
    },
  });
  const actions = await listPlanActions(ctx.store, plan.id);
  const byKey = new Map(actions.map((a) => [a.source ? JSON.stringify(a.source) : '', a.id]));
  const byObjective: Record<string, number> = {};
  for (const a of actions) if (a.source) byObjective[a.objectiveCode] = (byObjective[a.objectiveCode] ?? 0) + 1;
  return {
    plan: plan.id, created: created.length, existing, byObjective,
    displaced: items.filter((i) => i.placement !== 'heading').map((i) => ({
      objective: i.objectiveCode, placement: i.placement as DisplacedAction['placement'], source: i.source!, actionId: byKey.get(JSON.stringify(i.source)) ?? null,
    })),
  };
}

export interface ActionView extends FollowupAction {
  statusLabel: string;
  /** the progress that counts: entered, or computed from the child actions */
  effectiveProgress: number;
  progressComputed: boolean;
}

export interface ObjectiveProgress { code: string; title: string; actions: number; progress: number | null; byStatus: Record<ActionStatus, number> }

export interface ActionList {
  plan: { id: string; title: string; territory: string; consultation: string | null };
  actions: ActionView[];
  objectives: ObjectiveProgress[];
  /** weighted mean over the plan's top-level actions (abandoned ones left out); null without any */
  progress: number | null;
}

/** What the progress rules (src/domain/followup.ts) read of actions. */

/** A plan's actions with their effective progress, and the progress of each objective and of the plan. */
export async function listActions(ctx: UseCaseContext, input: { plan: string; objective?: string }): Promise<ActionList> {
  requireReader(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const all = await listPlanActions(ctx.store, plan.id);
  const head = { id: plan.id, title: plan.title, territory: plan.territory, consultation: plan.consultation };
  const view = actionProgressView(plan, all, input.objective);
  if (ctx.actor.role !== 'owner') return { plan: head, ...view };
  // an owner sees the actions assigned to it (and their objectives), nothing else of the plan's follow-up
  const visible = new Set(await actionsOfAccount(ctx.store, ctx.actor.name));
  const actions = view.actions.filter((a) => visible.has(a.id));
  return { plan: head, actions, objectives: view.objectives.filter((o) => actions.some((a) => a.objectiveCode === o.code)), progress: view.progress };
}

/**
 * The progress of a plan's actions, per action and objective and for the plan (the one computation the back office
 * list and the public follow-up share, src/usecases/followup-public.ts). Pure: the caller loads and filters.
 */
export function actionProgressView(plan: StoredPlan, all: readonly FollowupAction[], objective?: string): Omit<ActionList, 'plan'> {
  const nodes = progressNodes(all);
  const hasChildren = new Set(all.flatMap((a) => (a.parentId ? [a.parentId] : [])));
  const views: ActionView[] = all.filter((a) => !objective || a.objectiveCode === objective).map((a) => ({
    ...a, statusLabel: ACTION_STATUS_LABELS[a.status], effectiveProgress: actionProgress(a.id, nodes), progressComputed: hasChildren.has(a.id),
  }));
  const objectives = objectivesOf(plan).filter((o) => !objective || o.code === objective).map((o) => {
    const byStatus = emptyStatusCounts();
    const mine = all.filter((a) => a.objectiveCode === o.code);
    for (const a of mine) if (a.parentId === null) byStatus[a.status]++;
    return { code: o.code, title: o.title, actions: mine.filter((a) => a.parentId === null).length, progress: aggregateProgress(nodes, (n) => mine.some((a) => a.id === n.id)), byStatus };
  });
  return { actions: views, objectives, progress: aggregateProgress(nodes) };
}

/** An action, its timeline (oldest entry first), the accounts that manage it and whether the reader may change it. */
export async function getAction(ctx: UseCaseContext, id: string): Promise<{ action: FollowupAction; timeline: TimelineEntry[]; accounts: ActionAccount[]; mayUpdate: boolean }> {
  requireReader(ctx);
  const action = await requireAction(ctx, id);
  const accounts = (await listActionAccounts(ctx.store, [action.id])).get(action.id) ?? [];
  const mine = accounts.some((a) => a.email === ctx.actor.name);
  if (ctx.actor.role === 'owner' && !mine) throw new UserError('forbidden', 'Cette action ne vous est pas affectée : vous ne voyez que les actions dont votre compte est porteur.');
  return { action, timeline: await listTimeline(ctx.store, { actionId: action.id }), accounts, mayUpdate: mayManage(ctx) || (assignedOnly(ctx) && mine) };
}

/** The actions assigned to the signed-in account, with their plan (the home of an owner in the back office). */
export async function myActions(ctx: UseCaseContext): Promise<{ actions: (ActionView & { plan: { id: string; title: string } })[] }> {
  requireReader(ctx);
  const ids = await actionsOfAccount(ctx.store, ctx.actor.name);
  const found = (await Promise.all(ids.map((id) => findAction(ctx.store, id)))).filter((a): a is FollowupAction => a !== undefined);
  const out: (ActionView & { plan: { id: string; title: string } })[] = [];
  const lists = new Map<string, ActionList>();
  for (const a of found) {
    let list = lists.get(a.planId);
    if (!list) { list = await listActions({ ...ctx, actor: { ...ctx.actor, role: 'owner' } }, { plan: a.planId }); lists.set(a.planId, list); }
    const v = list.actions.find((x) => x.id === a.id);
    if (v) out.push({ ...v, plan: { id: list.plan.id, title: list.plan.title } });
  }
  return { actions: out };
}

/**
 * Sets the accounts that manage an action (owners, facilitators): they may then update it. Analysts and
 * administrators only; the accounts must exist, be active and be owners or facilitators (the others manage every
 * action already). Audited (e-mails of the accounts, as the account commands do).
 */
export async function assignActionAccounts(ctx: UseCaseContext, input: { action: string; accounts: string[] }): Promise<{ action: string; accounts: string[]; changed: boolean }> {
  requireManager(ctx);
  const action = await requireAction(ctx, input.action);
  if (!Array.isArray(input.accounts)) throw new UserError('invalid', 'Les comptes sont une liste d’adresses électroniques.', 'accounts');
  if (input.accounts.length > 50) throw new UserError('too_large', 'Au plus 50 comptes par action.', 'accounts');
  const emails = [...new Set(input.accounts.map((e) => {
    if (typeof e !== 'string' || e.trim() === '') throw new UserError('invalid', 'Une adresse électronique est vide.', 'accounts');
    return e.trim().toLowerCase();
  }))];
  const users = await usersByEmail(ctx.store, emails);
  for (const e of emails) {
    const u = users.find((x) => x.email === e);
    if (!u) throw new UserError('not_found', `Aucun compte « ${e} » : créez-le d’abord (fabrique user add --role owner).`, 'accounts');
    if (u.disabled) throw new UserError('invalid', `Le compte « ${e} » est désactivé.`, 'accounts');
    if (u.role !== 'owner' && u.role !== 'facilitator') {
      throw new UserError('invalid', `Le compte « ${e} » est ${u.role === 'admin' ? 'administrateur' : 'analyste'} : il modifie déjà toutes les actions ; seuls les porteurs d’action et les animateurs sont affectés.`, 'accounts');
    }
  }
  const at = ctx.now().toISOString();
  const { before, after } = await setActionAccounts(ctx.store, {
    actionId: action.id, userIds: users.map((u) => u.id), at, actor: ctx.actor.name,
    audit: (b, a) => ({ actor: ctx.actor.name, action: 'action.accounts', targetType: 'followup_action', targetId: action.id, before: { accounts: b }, after: { accounts: a }, at }),
  });
  return { action: action.id, accounts: after, changed: JSON.stringify(before) !== JSON.stringify(after) };
}

async function requireAction(ctx: UseCaseContext, id: unknown): Promise<FollowupAction> {
  if (typeof id !== 'string' || id.trim() === '') throw new UserError('invalid', 'Indiquez l’action (identifiant).', 'action');
  const a = await findAction(ctx.store, id.trim());
  if (!a) throw new UserError('not_found', `Aucune action de suivi « ${id} ».`);
  return a;
}

export interface UpdateActionInput {
  action: string;
  title?: string;
  description?: string | null;
  /** organisation and contact person, as entered; a null field clears it */
  owner?: { organisation?: string | null; contact?: string | null };
  partners?: string[];
  scope?: ActionScope | string;
  /** the code (en_cours) or the label (« en cours ») */
  status?: ActionStatus | string;
  /** why: required to abandon */
  reason?: string | null;
  startDate?: string | null;
  dueDate?: string | null;
  /** 0–100; refused on an action whose progress is computed from its children */
  progress?: number | null;
  budget?: number | null;
  weight?: number;
  /** shown on the action's public timeline */
  comment?: string | null;
}

// Beyond sanitizeText: C1 controls, bidi embeddings/overrides/isolates, zero-width characters and the BOM (as
// link notes): invisible, yet they would reorder what the public timeline and the report print.
const INVISIBLE_MARKS = /[\u0080-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function cleanText(v: unknown, field: string, opts: { required?: boolean; max?: number } = {}): string | null {
  if (v === null || v === undefined) {
    if (opts.required) throw new UserError('invalid', `Le champ « ${field} » est obligatoire.`, field);
    return null;
  }
  if (typeof v !== 'string') throw new UserError('invalid', `Le champ « ${field} » doit être un texte.`, field);
  const t = sanitizeText(v).replace(INVISIBLE_MARKS, '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (t === '') {
    if (opts.required) throw new UserError('invalid', `Le champ « ${field} » est obligatoire.`, field);
    return null;
  }
  if (t.length > (opts.max ?? TEXT_MAX)) throw new UserError('too_large', `Le champ « ${field} » dépasse ${opts.max ?? TEXT_MAX} caractères.`, field);
  return t;
}

function cleanDate(v: unknown, field: string): string | null {
  if (v === null || v === '') return null;
  if (!isIsoDate(v)) throw new UserError('invalid', `Date invalide pour « ${field} » : attendu AAAA-MM-JJ.`, field);
  return v;
}

function cleanNumber(v: unknown, field: string, min: number, max: number): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new UserError('invalid', `Valeur invalide pour « ${field} » : un nombre entre ${min} et ${max} est attendu.`, field);
  return v;
}

/**
 * Changes an action: owner, status (checked transitions; a reason to abandon), progress, dates, budget… Each
 * call that changes something is one dated timeline entry (the fields before → after, the comment) and one audit
 * entry, in the same transaction. A réalisée action without children counts 100 %.
 */
export async function updateAction(ctx: UseCaseContext, input: UpdateActionInput): Promise<{ action: FollowupAction; changed: string[] }> {
  requireReader(ctx);
  const current = await requireAction(ctx, input.action);
  await requireUpdater(ctx, current);
  // an action's weight shapes its objective's and the plan's progress: the analysts' decision
  if (input.weight !== undefined && !mayManage(ctx)) throw new UserError('forbidden', 'Le poids d’une action dans l’avancement est fixé par un analyste ou un administrateur.', 'weight');
  const comment = cleanText(input.comment, 'commentaire', { max: 2000 });
  const at = ctx.now().toISOString();
  const { action, changes } = await updateActionRow(ctx.store, {
    id: current.id, actor: ctx.actor.name, at, comment,
    decide: async (cur, db) => {
      const patch: Partial<ActionFields> = {};
      if (input.title !== undefined) patch.title = cleanText(input.title, 'intitulé', { required: true, max: 500 })!;
      if (input.description !== undefined) patch.description = cleanText(input.description, 'description');
      if (input.owner !== undefined) {
        patch.owner = {
          organisation: input.owner.organisation !== undefined ? cleanText(input.owner.organisation, 'porteur', { max: 300 }) : cur.owner.organisation,
          contact: input.owner.contact !== undefined ? cleanText(input.owner.contact, 'contact', { max: 300 }) : cur.owner.contact,
        };
      }
      if (input.partners !== undefined) {
        if (!Array.isArray(input.partners)) throw new UserError('invalid', 'Les partenaires sont une liste.', 'partners');
        patch.partners = [...new Set(input.partners.map((p) => cleanText(p, 'partenaire', { max: 200 })).filter((p): p is string => p !== null))];
      }
      if (input.scope !== undefined) {
        if (!isActionScope(input.scope)) throw new UserError('invalid', 'Portée inconnue : territorial ou national.', 'scope');
        patch.scope = input.scope;
      }
      const reason = input.reason !== undefined ? cleanText(input.reason, 'motif', { max: 2000 }) : undefined;
      if (input.status !== undefined) {
        const to = typeof input.status === 'string' ? parseActionStatus(input.status) : null;
        if (!to) throw new UserError('invalid', `Statut inconnu « ${String(input.status)} » : ${Object.values(ACTION_STATUS_LABELS).join(', ')}.`, 'status');
        if (!mayTransition(cur.status, to)) {
          throw new UserError('conflict', `Une action « ${ACTION_STATUS_LABELS[cur.status]} » ne peut pas passer à « ${ACTION_STATUS_LABELS[to]} ».`, 'status');
        }
        if (to === 'abandonnee' && !(reason ?? (cur.status === 'abandonnee' ? cur.statusReason : null))) {
          throw new UserError('invalid', 'Indiquez le motif de l’abandon.', 'reason');
        }
        patch.status = to;
        // the reason belongs to the abandonment: another status clears it
        patch.statusReason = to === 'abandonnee' ? reason ?? cur.statusReason : null;
      } else if (reason !== undefined) {
        if (cur.status !== 'abandonnee') throw new UserError('invalid', 'Un motif ne s’indique que pour une action abandonnée.', 'reason');
        if (!reason) throw new UserError('invalid', 'Indiquez le motif de l’abandon.', 'reason');
        patch.statusReason = reason;
      }
      const startDate = input.startDate !== undefined ? cleanDate(input.startDate, 'début') : cur.startDate;
      const dueDate = input.dueDate !== undefined ? cleanDate(input.dueDate, 'échéance') : cur.dueDate;
      if (startDate && dueDate && dueDate < startDate) throw new UserError('invalid', 'L’échéance précède le début de l’action.', 'dueDate');
      if (input.startDate !== undefined) patch.startDate = startDate;
      if (input.dueDate !== undefined) patch.dueDate = dueDate;
      if (input.budget !== undefined) patch.budget = cleanNumber(input.budget, 'budget', 0, 1e12);
      if (input.weight !== undefined) {
        const w = cleanNumber(input.weight, 'poids', 0, 1e6);
        if (w === null || w <= 0) throw new UserError('invalid', 'Le poids d’une action est un nombre positif.', 'weight');
        patch.weight = w;
      }
      const hasChildren = await hasChildActions(db, cur.id);
      if (input.progress !== undefined) {
        if (hasChildren) throw new UserError('conflict', 'L’avancement de cette action se calcule à partir de ses sous-actions.', 'progress');
        patch.progress = cleanNumber(input.progress, 'avancement', 0, 100);
      }
      if (patch.status === 'realisee' && !hasChildren) patch.progress = 100;
      return patch;
    },
    audit: (before, after, ch) => ({
      actor: ctx.actor.name, action: 'action.update', targetType: 'followup_action', targetId: before.id, at,
      // field names and codes only for free texts (titles and comments are not repeated in the audit)
      before: auditView(before, Object.keys(ch)), after: auditView(after, Object.keys(ch)),
    }),
  });
  return { action, changed: Object.keys(changes) };
}

const AUDITED_VALUES = new Set(['status', 'startDate', 'dueDate', 'progress', 'budget', 'weight', 'scope']);
function auditView(a: FollowupAction, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, AUDITED_VALUES.has(f) ? a[f as keyof FollowupAction] : 'modifié']));
}

export interface CreateActionInput {
  plan: string;
  objective: string;
  /** a child action: its parent (same plan and objective) and its weight in the parent's progress */
  parent?: string | null;
  weight?: number;
  title: string;
  description?: string | null;
  partners?: string[];
  scope?: ActionScope | string;
}

/** An action entered by hand under an objective (or under a parent action, with a weight), « proposée ». */
export async function createAction(ctx: UseCaseContext, input: CreateActionInput): Promise<FollowupAction> {
  requireManager(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const objective = objectivesOf(plan).find((o) => o.code === input.objective);
  if (!objective) throw new UserError('not_found', `Le plan ${plan.id} n’a pas d’objectif « ${input.objective} ».`, 'objective');
  let parentId: string | null = null;
  if (input.parent) {
    const parent = await requireAction(ctx, input.parent);
    if (parent.planId !== plan.id || parent.objectiveCode !== objective.code) throw new UserError('invalid', 'Une sous-action est sous le même objectif que son action.', 'parent');
    parentId = parent.id;
  }
  const weight = input.weight === undefined ? 1 : cleanNumber(input.weight, 'poids', 0, 1e6);
  if (weight === null || weight <= 0) throw new UserError('invalid', 'Le poids d’une action est un nombre positif.', 'weight');
  if (input.scope !== undefined && !isActionScope(input.scope)) throw new UserError('invalid', 'Portée inconnue : territorial ou national.', 'scope');
  const title = cleanText(input.title, 'intitulé', { required: true, max: 500 })!;
  const description = cleanText(input.description, 'description');
  const at = ctx.now().toISOString();
  const { created } = await insertActions(ctx.store, {
    planId: plan.id, actor: ctx.actor.name, at,
    actions: [{
      objectiveCode: objective.code, parentId, weight, title, description, scope: (input.scope as ActionScope | undefined) ?? 'territorial',
      partners: input.partners ?? suggestPartners(`${title} ${description ?? ''}`),
    }],
    audit: (ids) => ({ actor: ctx.actor.name, action: 'action.create', consultation: plan.consultation, targetType: 'followup_action', targetId: ids[0]!, after: { objective: objective.code, parent: parentId, weight }, at }),
  });
  return (await findAction(ctx.store, created[0]!))!;
}
