import type { Contribution, Provenance } from '../domain/contribution.ts';
import { nonAnswerReason, type NonAnswerReason } from '../domain/non-answers.ts';
import type { IdeaGroup, LineageEvent } from '../domain/ideas.ts';
import { findDuplicates, type Campaign, type DuplicatesResult, type PendingDuplicates } from './duplicates/index.ts';
import { GROUPING_VERSION, OTHERS_LABEL, groupContributions, regroup, type GroupInput, type GroupingModel } from './grouping/index.ts';

/**
 * The bridge between the grouping model (clusters, pins, lineage) and the stored idea groups.
 * Stored groups hold each contribution once, in its deepest group; memberships a human decided
 * carry a human provenance and come back as pins, so reruns keep them.
 */
export function toIdeaGroups(model: GroupingModel, consultation: string, at: string): IdeaGroup[] {
  const direct = new Map<string, string[]>();
  for (const [c, g] of Object.entries(model.membership)) {
    const list = direct.get(g) ?? [];
    list.push(c);
    direct.set(g, list);
  }
  const modelProvenance: Provenance = { by: 'model', model: 'fabrique-grouping', version: GROUPING_VERSION, at };
  // Parents first: the store inserts in order and children reference their parent.
  const ordered = [...model.groups.filter((g) => g.parent === null), ...model.groups.filter((g) => g.parent !== null)];
  return ordered.map((g) => {
    const members = (direct.get(g.id) ?? []).map((c) => ({
      contribution: c,
      provenance: model.pins[c] === g.id ? humanProvenance(g.lineage, c, at) : modelProvenance,
    }));
    const group: IdeaGroup = {
      id: storedId(consultation, g.id), consultation, parent: g.parent === null ? null : storedId(consultation, g.parent), label: g.label, labelByHuman: g.labelByHuman,
      members, quotes: g.quotes, lineage: g.lineage,
    };
    if (g.theme) group.theme = g.theme;
    return group;
  });
}

/** The grouping model a rerun needs (groups, memberships, pins), rebuilt from stored idea groups. */
export function fromIdeaGroups(groups: IdeaGroup[], seed: number): GroupingModel | null {
  const analysed = groups.filter((g) => g.statedCount === undefined);
  if (analysed.length === 0) return null;
  const local = (id: string) => modelId(analysed[0]!.consultation, id);
  const membership: Record<string, string> = {};
  const pins: Record<string, string> = {};
  for (const g of analysed) {
    for (const m of g.members) {
      membership[m.contribution] = local(g.id);
      if (m.provenance.by === 'human') pins[m.contribution] = local(g.id);
    }
  }
  return {
    type: 'fabrique.grouping', version: GROUPING_VERSION, seed,
    byTheme: analysed.every((g) => g.theme !== undefined),
    threshold: 0.1,
    vectorizer: { vocabulary: [], idf: [], documentCount: 0 } as unknown as GroupingModel['vectorizer'],
    groups: analysed.map((g) => ({
      id: local(g.id), parent: g.parent === null ? null : local(g.parent), ...(g.theme ? { theme: g.theme } : {}), label: g.label, labelByHuman: g.labelByHuman,
      others: g.label === OTHERS_LABEL, keyPhrases: [], quotes: g.quotes, spans: [], lineage: g.lineage, centroid: { indices: [], values: [] },
    })),
    membership, pins, retired: [],
  };
}

/** Stored group ids carry the consultation: idea_groups ids are unique across consultations. */
function storedId(consultation: string, id: string): string {
  return `${consultation}/${id}`;
}

function modelId(consultation: string, id: string): string {
  return id.startsWith(`${consultation}/`) ? id.slice(consultation.length + 1) : id;
}

function humanProvenance(lineage: LineageEvent[], contribution: string, at: string): Provenance {
  const event = [...lineage].reverse().find((e) => e.op === 'move' ? e.contribution === contribution : e.op === 'merge' || e.op === 'split');
  return { by: 'human', reviewer: event?.by ?? 'analyste', at: event?.at ?? at };
}

/** The theme a contribution is grouped under: a source or human decision first, else the model's best guess. */
export function primaryTheme(c: Pick<Contribution, 'themes'>): string | undefined {
  const decided = c.themes.find((t) => t.provenance.by !== 'model');
  if (decided) return decided.theme;
  const guesses = c.themes.filter((t) => t.provenance.by === 'model');
  guesses.sort((a, b) => ((b.provenance as { probability?: number }).probability ?? 0) - ((a.provenance as { probability?: number }).probability ?? 0));
  return guesses[0]?.theme;
}

export interface GroupingSummary {
  groups: number;
  subIdeas: number;
  grouped: number;
  keptHumanDecisions: number;
  duplicates: number;
  campaigns: Campaign[];
  /** contributions set aside as non-answers (« RAS », « aucune idée », empty…): counted, never grouped */
  nonAnswers: number;
  nonAnswerReasons: Partial<Record<NonAnswerReason, number>>;
}

/** What the grouping of a consultation needs, already loaded. */
export interface GroupingInput {
  consultation: string;
  /** the consultation's contributions, with their current themes */
  contributions: readonly Pick<Contribution, 'id' | 'text' | 'themes' | 'moderation'>[];
  /** the consultation's stored idea groups (those of the previous run, and the human syntheses' stated ones) */
  stored: readonly IdeaGroup[];
  seed: number;
  at: string;
  regroup?: boolean;
  /** the duplicates of `duplicateItems(groupable(contributions))`, already started (e.g. in a worker); else computed here */
  duplicates?: PendingDuplicates | { take(): DuplicatesResult };
  /** called once per theme grouped (the grouping runs theme by theme) */
  onScope?: (scope: string, done: number, total: number) => void;
}

/**
 * The contributions the grouping and the duplicates look at: not rejected, not a non-answer (« RAS », « aucune
 * idée », empty: src/domain/non-answers.ts), which are counted by reason instead.
 */
export function groupable<C extends Pick<Contribution, 'text' | 'moderation'>>(all: readonly C[]):
  { contributions: C[]; nonAnswers: number; nonAnswerReasons: Partial<Record<NonAnswerReason, number>> } {
  const nonAnswerReasons: Partial<Record<NonAnswerReason, number>> = {};
  let nonAnswers = 0;
  // set aside before duplicates and grouping: twelve « RAS » are neither an idea nor a campaign
  const contributions = all.filter((c) => {
    if (c.moderation.status === 'rejected') return false;
    const reason = nonAnswerReason(c.text);
    if (reason === null) return true;
    nonAnswers++;
    nonAnswerReasons[reason] = (nonAnswerReasons[reason] ?? 0) + 1;
    return false;
  });
  return { contributions, nonAnswers, nonAnswerReasons };
}

/** What `findDuplicates` is given for the groupable contributions (the same list, whichever thread computes it). */
export function duplicateItems(contributions: readonly Pick<Contribution, 'id' | 'text'>[]): { id: string; text: string }[] {
  return contributions.map((c) => ({ id: c.id, text: c.text }));
}

/**
 * Groups a consultation's contributions into common ideas per theme, keeping the human decisions of the
 * previous run; returns the new analysed groups (the stated groups of human syntheses are not the analysis'
 * and stay as stored). A copy-paste campaign joins the grouping through one representative, then all its
 * copies follow it, so it neither swamps nor splits a group.
 */
export function computeGrouping(input: GroupingInput): { groups: IdeaGroup[]; summary: GroupingSummary } {
  const { seed, at } = input;
  const { contributions, nonAnswers, nonAnswerReasons } = groupable(input.contributions);
  const dup = input.duplicates ? input.duplicates.take() : findDuplicates(duplicateItems(contributions), { seed });
  const follower = new Map<string, string>();
  for (const g of dup.duplicates) for (const id of g.ids) if (id !== g.representative) follower.set(id, g.representative);

  const items: GroupInput[] = contributions.filter((c) => !follower.has(c.id)).map((c) => {
    const theme = primaryTheme(c);
    return { id: c.id, text: c.text, ...(theme ? { theme } : {}) };
  });
  // Without a theme, a contribution is grouped among the "sans thème" ones rather than dropped.
  for (const it of items) if (!it.theme) it.theme = 'sans-theme';

  const options = { at, by: 'fabrique', ...(input.onScope ? { onScope: input.onScope } : {}) };
  const previous = fromIdeaGroups([...input.stored], seed);
  let model: GroupingModel;
  if (!previous) {
    model = groupContributions(items, { seed, byTheme: true, ...options });
  } else if (input.regroup) {
    // A full regrouping: clusters are recomputed, only human decisions are kept.
    model = regroup(previous, items, seed, options);
  } else {
    // Incremental: contributions already grouped stay where they are; new ones join the groups.
    const humanPins = previous.pins;
    model = regroup({ ...previous, pins: { ...previous.membership, ...humanPins } }, items, seed, options);
    model.pins = Object.fromEntries(Object.entries(humanPins).filter(([c]) => c in model.membership));
  }
  for (const [copy, rep] of follower) {
    const g = model.membership[rep];
    if (g && !model.pins[copy]) model.membership[copy] = g;
    else if (model.pins[copy]) model.membership[copy] = model.pins[copy]!;
  }
  const groups = toIdeaGroups(model, input.consultation, at);
  return {
    groups,
    summary: {
      groups: groups.filter((g) => g.parent === null).length,
      subIdeas: groups.filter((g) => g.parent !== null).length,
      grouped: Object.keys(model.membership).length,
      keptHumanDecisions: Object.keys(model.pins).length + groups.filter((g) => g.labelByHuman).length,
      duplicates: dup.duplicates.length,
      campaigns: dup.campaigns,
      nonAnswers,
      nonAnswerReasons,
    },
  };
}
