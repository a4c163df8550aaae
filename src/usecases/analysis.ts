/**
 * Analysis of a consultation (themes and kinds suggested, common ideas, duplicates) and the human edits of its
 * idea groups, with undo. Every face calls these: `fabrique analyze`, `POST …/analyze`, the job runner.
 */
import { computeAnalysis, type AnalysisSummary } from '../analysis/pipeline.ts';
import type { Provenance } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { analysisContributions, analysisVersion, groupConsultation, saveAnalysis } from '../store/analysis.ts';
import { changeGroups, lastUndoableChange, undoGroupChange, type GroupChange } from '../store/idea-groups.ts';
import { undoThemeChange } from '../store/moderation.ts';
import type { UseCaseContext } from './context.ts';
import { ignoreProgress, type ProgressReporter } from './progress.ts';

export type { AnalysisSummary };

export interface AnalyzeInput {
  consultation: string;
  /** seed of every random choice (training order, clustering): same data and seed, same result. Default 1. */
  seed?: number;
  /** recompute the clusters instead of adding the new contributions to the existing groups (human decisions stay) */
  regroup?: boolean;
}

export const DEFAULT_SEED = 1;
const MAX_SEED = 2 ** 31;

/**
 * Analyses a stored consultation: loads its contributions and groups once, computes, then writes every result
 * (model themes and kinds, trained models, idea groups) in one transaction with its audit entry. When another
 * analysis or a group edit was saved meanwhile (in this process or another), nothing is written: `conflict`.
 */
export async function analyzeConsultation(ctx: UseCaseContext, input: AnalyzeInput, progress: ProgressReporter = ignoreProgress): Promise<AnalysisSummary> {
  const seed = input.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new UserError('invalid', `La graine doit être un entier entre 0 et ${MAX_SEED} (reçu : ${seed}).`, 'seed');
  const { store } = ctx;
  const slug = input.consultation;

  progress({ step: 'load', label: 'Lecture des contributions et des idées communes', done: 0, total: 1 });
  const consultation = await store.getConsultation(slug);
  if (!consultation) throw new UserError('not_found', `Consultation inconnue : « ${slug} »`, 'consultation');
  // read before the inputs: a change landing between the two makes the write refuse, never go unnoticed
  const version = await analysisVersion(store, slug);
  // only what the analysis reads (id, text, themes, kind, moderation status), not whole contributions
  const contributions = await analysisContributions(store, slug);
  const groups = await store.listIdeaGroups(slug);
  progress({ step: 'load', label: 'Lecture des contributions et des idées communes', done: 1, total: 1 });

  const at = ctx.now().toISOString();
  const outcome = computeAnalysis({ consultation, contributions, groups, seed, regroup: input.regroup ?? false, at }, progress);

  progress({ step: 'save', label: 'Enregistrement des résultats', done: 0, total: 1 });
  const { summary } = outcome;
  const saved = await saveAnalysis(store, {
    consultation: slug, expectedVersion: version, at, models: outcome.models, themes: outcome.themes, kinds: outcome.kinds, groups: outcome.groups,
    audit: { actor: ctx.actor.name, themes: { ...summary.themes }, kinds: { ...summary.kinds } },
  });
  if (saved.outcome === 'conflict') {
    throw new UserError('conflict', `Les idées communes ou les thèmes de « ${slug} » ont changé pendant l’analyse (une autre analyse ou une modification ` +
      'a été enregistrée entre-temps) : rien n’a été enregistré, relancez l’analyse.');
  }
  summary.themes.assigned = saved.themes;
  summary.kinds.assigned = saved.kinds;
  progress({ step: 'save', label: 'Enregistrement des résultats', done: 1, total: 1 });
  return summary;
}

// ---- human edits of idea groups ----

/** Audited actions that `undoLastChange` can undo. */
export const UNDOABLE = ['groups.rename', 'groups.merge', 'groups.split', 'groups.move', 'themes.accept', 'themes.reject'] as const;

async function consultationOfGroup(ctx: UseCaseContext, id: string): Promise<string> {
  const slug = await groupConsultation(ctx.store, id);
  if (!slug) throw new UserError('not_found', `Groupe inconnu : ${id}`);
  return slug;
}

function find(groups: IdeaGroup[], id: string): IdeaGroup {
  const g = groups.find((x) => x.id === id);
  if (!g) throw new UserError('not_found', `Groupe inconnu : ${id}`);
  return g;
}

function humanMember(contribution: string, by: string, at: string) {
  return { contribution, provenance: { by: 'human', reviewer: by, at } as Provenance };
}

function descendants(groups: IdeaGroup[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of groups) if (g.parent !== null && out.has(g.parent) && !out.has(g.id)) { out.add(g.id); grew = true; }
  }
  return out;
}

/** One edit: reads the consultation's groups, applies `op`, writes them back with the audit entry, in one transaction. */
async function editGroups<T>(ctx: UseCaseContext, slug: string, action: string, targetId: string, op: (groups: IdeaGroup[], at: string) => GroupChange<T>): Promise<T> {
  const at = ctx.now().toISOString();
  return changeGroups(ctx.store, slug, { actor: ctx.actor.name, action, targetId, at }, (groups) => op(groups, at));
}

export async function renameGroup(ctx: UseCaseContext, input: { id: string; label: string }): Promise<IdeaGroup> {
  const label = input.label.trim();
  if (!label || label.length > 300) throw new UserError('invalid', 'Le libellé doit faire entre 1 et 300 caractères.', 'label');
  const slug = await consultationOfGroup(ctx, input.id);
  return editGroups(ctx, slug, 'groups.rename', input.id, (groups, at) => {
    const g = find(groups, input.id);
    g.lineage.push({ op: 'rename', at, by: ctx.actor.name, from: g.label, to: label });
    g.label = label;
    g.labelByHuman = true;
    return { groups, touched: [g.id], result: g };
  });
}

/** Merges groups of the same level: the first absorbs the others (members, sub-ideas, quotes). */
export async function mergeGroups(ctx: UseCaseContext, input: { ids: string[]; label?: string }): Promise<IdeaGroup> {
  const ids = [...new Set(input.ids)];
  if (ids.length < 2) throw new UserError('invalid', 'Indiquez au moins deux groupes différents.', 'ids');
  const label = input.label?.trim();
  const slug = await consultationOfGroup(ctx, ids[0]!);
  return editGroups(ctx, slug, 'groups.merge', ids[0]!, (groups, at) => {
    const by = ctx.actor.name;
    const into = find(groups, ids[0]!);
    const others = ids.slice(1).map((id) => find(groups, id));
    const touched = new Set(ids);
    for (const g of others) {
      if (g.parent !== into.parent) throw new UserError('invalid', 'Les groupes fusionnés doivent être au même niveau (même groupe parent).', 'ids');
      if (descendants(groups, g.id).has(into.id)) throw new UserError('invalid', 'Un groupe ne peut pas absorber son propre parent.', 'ids');
      const have = new Set(into.members.map((m) => m.contribution));
      for (const m of g.members) if (!have.has(m.contribution)) into.members.push(humanMember(m.contribution, by, at));
      for (const s of groups) if (s.parent === g.id) { s.parent = into.id; touched.add(s.id); }
      into.quotes = [...new Set([...into.quotes, ...g.quotes])];
    }
    into.lineage.push({ op: 'merge', at, by, from: others.map((g) => g.id) });
    if (label) {
      into.lineage.push({ op: 'rename', at, by, from: into.label, to: label });
      into.label = label;
      into.labelByHuman = true;
    }
    const removed = new Set(others.map((g) => g.id));
    return { groups: groups.filter((g) => !removed.has(g.id)), touched: [...touched], result: into };
  });
}

/** Splits a group: the given direct members form a new neighbouring group. Returns [the group, the new one]. */
export async function splitGroup(ctx: UseCaseContext, input: { id: string; members: string[]; label?: string }): Promise<[IdeaGroup, IdeaGroup]> {
  if (input.members.length === 0) throw new UserError('invalid', 'Indiquez au moins une contribution à détacher.', 'members');
  const label = input.label?.trim();
  const slug = await consultationOfGroup(ctx, input.id);
  return editGroups(ctx, slug, 'groups.split', input.id, (groups, at) => {
    const by = ctx.actor.name;
    const g = find(groups, input.id);
    const moving = new Set(input.members);
    const own = new Set(g.members.map((m) => m.contribution));
    for (const id of moving) if (!own.has(id)) throw new UserError('invalid', `La contribution « ${id} » n’est pas membre directe de ce groupe.`, 'members');
    if (moving.size === own.size && groups.every((x) => x.parent !== g.id)) throw new UserError('invalid', 'Gardez au moins une contribution dans le groupe d’origine.', 'members');
    let n = 1;
    while (groups.some((x) => x.id === `${g.id}.s${n}`)) n++;
    const created: IdeaGroup = {
      id: `${g.id}.s${n}`, consultation: g.consultation, parent: g.parent, ...(g.theme ? { theme: g.theme } : {}),
      label: label || `${g.label} (${n + 1})`, labelByHuman: Boolean(label), members: [...moving].map((c) => humanMember(c, by, at)),
      quotes: g.quotes.filter((q) => moving.has(q)), lineage: [{ op: 'create', at, by }],
    };
    g.members = g.members.filter((m) => !moving.has(m.contribution));
    g.quotes = g.quotes.filter((q) => !moving.has(q));
    g.lineage.push({ op: 'split', at, by, into: [created.id] });
    groups.splice(groups.indexOf(g) + 1, 0, created);
    return { groups, touched: [g.id, created.id], result: [g, created] as [IdeaGroup, IdeaGroup] };
  });
}

/** Moves a contribution from one group to another (a human decision the next analyses keep). */
export async function moveContribution(ctx: UseCaseContext, input: { contribution: string; from: string; to: string }): Promise<{ from: IdeaGroup; to: IdeaGroup }> {
  const { contribution, from, to } = input;
  if (from === to) throw new UserError('invalid', 'Les groupes de départ et d’arrivée sont identiques.', 'to');
  const slug = await consultationOfGroup(ctx, from);
  return editGroups(ctx, slug, 'groups.move', contribution, (groups, at) => {
    const a = find(groups, from);
    const b = find(groups, to);
    if (!a.members.some((m) => m.contribution === contribution)) throw new UserError('not_found', `La contribution « ${contribution} » n’est pas dans le groupe ${from}.`);
    a.members = a.members.filter((m) => m.contribution !== contribution);
    a.quotes = a.quotes.filter((q) => q !== contribution);
    if (!b.members.some((m) => m.contribution === contribution)) b.members.push(humanMember(contribution, ctx.actor.name, at));
    b.lineage.push({ op: 'move', at, by: ctx.actor.name, contribution, from, to });
    return { groups, touched: [a.id, b.id], result: { from: a, to: b } };
  });
}

/** Undoes the actor's last edit of groups or themes, unless what it changed was changed again since (`conflict`). */
export async function undoLastChange(ctx: UseCaseContext): Promise<{ id: number; action: string; target: string; consultation: string | null }> {
  const entry = await lastUndoableChange(ctx.store, ctx.actor.name, UNDOABLE);
  if (!entry) throw new UserError('not_found', 'Aucune action à annuler.');
  if (entry.action.startsWith('groups.')) {
    const outcome = await undoGroupChange(ctx.store, entry, ctx.actor.name, ctx.now().toISOString());
    if (outcome === 'conflict') throw new UserError('conflict', 'Impossible d’annuler : les groupes concernés ont été modifiés depuis (par vous ou un autre utilisateur).');
  } else {
    const outcome = await undoThemeChange(ctx.store, entry, ctx.actor.name);
    if (outcome === 'conflict') throw new UserError('conflict', 'Impossible d’annuler : les thèmes de cette contribution ont été modifiés depuis.');
  }
  return { id: entry.id, action: entry.action, target: entry.targetId, consultation: entry.consultation };
}
