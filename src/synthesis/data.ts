/**
 * The stored data a synthesis is computed from, and the evaluation of figure rules over it. The
 * builder and the verifier share this code path on purpose: the verifier re-reads the store and
 * recomputes every figure from its rule, then compares with what the document says.
 */
import { cleanLabel, OTHERS_LABEL } from '../analysis/grouping/model.ts';
import { labelOccursIn, phraseLabel } from '../analysis/grouping/labels.ts';
import type { Consultation } from '../domain/consultation.ts';
import { isPublic, type Contribution, type ModerationStatus } from '../domain/contribution.ts';
import { DEPARTEMENTS } from '../domain/geography.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { answersSource, applicableLinks, isDecided, LINK_KINDS, planItemIndex, type LinkKind, type PlanLink } from '../domain/links.ts';
import { COLLEGES, participantsSum, type Meeting } from '../domain/meeting.ts';
import type { HumanSynthesisItem } from '../domain/synthesis.ts';
import { isDepartementCode } from '../domain/territory.ts';
import { UserError } from '../domain/errors.ts';
import { publicMeeting } from '../privacy/public.ts';
import { aggregateProgress, progressNodes, type ActionStatus } from '../domain/followup.ts';
import { indicatorProgress, type FollowupIndicator, type IndicatorMeasurement } from '../domain/followup-indicators.ts';
import { listPlanActions, listTimeline, type FollowupAction, type TimelineEntry } from '../store/actions.ts';
import { listFollowupIndicators, listFollowupMeasurements } from '../store/followup-indicators.ts';
import { listPlanLinks } from '../store/links.ts';
import { listNationalMarks } from '../store/national-marks.ts';
import { readStoredPlan, type StoredPlan } from '../store/plans.ts';
import type { Store } from '../store/store.ts';
import { elementTitles, linkedObjectives, type LinkedBySource, type PlanElementTitles } from './links.ts';
import { loadPlanLinks } from './plan-links.ts';
import { NATIONAL_CATEGORY, type ContributionQuery, type FigureRule, type FollowupRule, type LinkRule } from './model.ts';

export interface SynthesisData {
  consultation: Consultation;
  /** the consultation's département when it is about one département (see consultationDepartement) */
  consultationDept: string | undefined;
  /**
   * the consultation's public contributions (see isPublic), in arrival order: a synthesis counts,
   * quotes and names ideas from nothing else
   */
  all: Contribution[];
  byId: Map<string, Contribution>;
  /** moderation status of the contributions that are not public, to say why one is missing */
  withheld: Map<string, ModerationStatus>;
  meetings: Meeting[];
  meetingById: Map<string, Meeting>;
  /** idea groups as the public may see them (see publicGroups) */
  groups: IdeaGroup[];
  groupById: Map<string, IdeaGroup>;
  childrenOf: Map<string | null, IdeaGroup[]>;
  /** effective theme of each group: its own, its parent's, else the most frequent theme of its members */
  groupTheme: Map<string, string | undefined>;
  /** members of a group and of its sub-groups */
  groupMembers(id: string): Set<string>;
  /**
   * contributions an analyst marked "relève du niveau national", directly or through an idea group (national_marks):
   * a group's mark covers its members (sub-ideas included) filed under the group's theme; and those a decided
   * « niveau national » link of a plan applies to (domain applicableLinks: own decision, else the idea's)
   */
  nationalMarked: Set<string>;
  /** département of a contribution: its own territory, else its meeting's, else the consultation's when it is a département */
  deptOf(c: Contribution): string | undefined;
  /**
   * the plan elements public ideas and public contributions are linked to by decided links saying the plan takes
   * them up (issue 14, see links.ts), from the consultation's links to any plan
   */
  linked: LinkedBySource;
  humanSyntheses(documentId: string): Promise<HumanSynthesisItem[]>;
  /** a plan and its decided links over this consultation, as the public may see them (coverage figures); loaded once */
  planLinks(planId: string): Promise<PlanLinkData>;
  /** a plan with its follow-up actions and indicators (follow-up figures); loaded once */
  followup(planId: string): Promise<FollowupData>;
}

/** What follow-up figures read of a plan (issue 15): its tree, all its actions (sub-actions too), its indicators and their measurements. */
export interface FollowupData {
  plan: StoredPlan;
  actions: FollowupAction[];
  indicators: FollowupIndicator[];
  /** indicator id → measurements, oldest first */
  measurements: Map<string, IndicatorMeasurement[]>;
  /** the actions' timeline, oldest entry first (to read an action as it stood on a past day) */
  timeline: TimelineEntry[];
}

export async function loadFollowupData(store: Store, planId: string): Promise<FollowupData> {
  const plan = await readStoredPlan(store, planId);
  if (!plan) throw new UserError('not_found', `Schéma territorial de santé introuvable : « ${planId} ».`);
  const indicators = await listFollowupIndicators(store, plan.id);
  return {
    plan, actions: await listPlanActions(store, plan.id), indicators, measurements: await listFollowupMeasurements(store, indicators.map((i) => i.id)),
    timeline: await listTimeline(store, { planId: plan.id }),
  };
}

/** A loader memoised per plan id. */
function memoised<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (id) => {
    let p = cache.get(id);
    if (!p) { p = load(id); cache.set(id, p); }
    return p;
  };
}

/** A plan's decided links whose source the public may see, and what each source's outcome is (see LinkRule). */
export interface PlanLinkData {
  plan: StoredPlan;
  /** decided (confirmed or stated), of this consultation or of the plan's own items, source public */
  links: PlanLink[];
  /** contribution id → the links that apply to it: its own, else its idea groups' (less the targets it rejected itself) */
  effective: Map<string, PlanLink[]>;
  /** `${kind}:${id}` of a source (« idea:g1 », « planItem:3 », « contribution:… ») → its own decided links */
  ownLinks: Map<string, PlanLink[]>;
  /**
   * positions of the plan's items a coverage report counts: its CNR proposals only (« propositions issues de la
   * concertation »); links from its enjeux and défis du CTS are left out of `links` too, so totals do not move as they are decided
   */
  items: string[];
}

/**
 * The département a consultation is about, when it is about one: then items with no territory
 * belong to it. Codes such as "75" name both a région and a département; the territories table
 * decides when it knows the code, else items located in other départements mean a wider consultation.
 */
async function consultationDepartement(store: Store, c: Consultation, meetings: Meeting[], all: Contribution[]): Promise<string | undefined> {
  const code = c.territory;
  if (c.territoryLevel) return c.territoryLevel === 'departement' ? code : undefined;
  if (!isDepartementCode(code)) return undefined;
  const t = await store.getTerritory(code);
  if (t) return t.level === 'departement' ? code : undefined;
  const elsewhere = meetings.some((m) => m.territory !== undefined && m.territory !== code) || all.some((x) => x.territory !== undefined && x.territory !== code);
  return elsewhere ? undefined : code;
}

export async function loadSynthesisData(store: Store, consultationSlug: string): Promise<SynthesisData> {
  const consultation = await store.requireConsultation(consultationSlug);
  const everything = await store.listContributions(consultationSlug);
  const all = everything.filter(isPublic);
  const withheld = new Map(everything.filter((c) => !isPublic(c)).map((c) => [c.id, c.moderation.status]));
  // titles and places are published (tables, charts, figure labels): masked like contribution texts
  const meetings = (await store.listMeetings(consultationSlug)).map(publicMeeting);
  const byId = new Map(all.map((c) => [c.id, c]));
  const groups = publicGroups(await store.listIdeaGroups(consultationSlug), byId);
  const meetingById = new Map(meetings.map((m) => [m.id, m]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const childrenOf = new Map<string | null, IdeaGroup[]>();
  for (const g of groups) {
    const p = g.parent !== null && groupById.has(g.parent) ? g.parent : null;
    const list = childrenOf.get(p) ?? [];
    list.push(g);
    childrenOf.set(p, list);
  }
  const memo = new Map<string, Set<string>>();
  const groupMembers = (id: string, seen = new Set<string>()): Set<string> => {
    const cached = memo.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    if (seen.has(id)) return out;
    seen.add(id);
    for (const m of groupById.get(id)?.members ?? []) out.add(m.contribution);
    for (const child of childrenOf.get(id) ?? []) for (const m of groupMembers(child.id, seen)) out.add(m);
    memo.set(id, out);
    return out;
  };
  const groupTheme = new Map<string, string | undefined>();
  const themeOf = (g: IdeaGroup, depth = 0): string | undefined => {
    if (groupTheme.has(g.id)) return groupTheme.get(g.id);
    let t = g.theme;
    if (t === undefined && g.parent && depth < 20) {
      const parent = groupById.get(g.parent);
      if (parent) t = themeOf(parent, depth + 1);
    }
    if (t === undefined) {
      const counts = new Map<string, number>();
      for (const id of groupMembers(g.id)) {
        const th = byId.get(id)?.themes[0]?.theme;
        if (th !== undefined) counts.set(th, (counts.get(th) ?? 0) + 1);
      }
      t = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    }
    groupTheme.set(g.id, t);
    return t;
  };
  for (const g of groups) themeOf(g);
  const consultationDept = await consultationDepartement(store, consultation, meetings, all);
  const deptOf = (c: Contribution) =>
    c.territory ?? (c.meeting ? meetingById.get(c.meeting)?.territory : undefined) ?? consultationDept;
  const synthCache = new Map<string, Promise<HumanSynthesisItem[]>>();
  const nationalMarked = new Set<string>();
  for (const m of await listNationalMarks(store, consultationSlug)) {
    if (m.type === 'contribution') nationalMarked.add(m.id);
    else if (groupById.has(m.id)) {
      // the idea as the page shows it, under its theme: a member filed under other themes only is not marked with it
      const theme = groupTheme.get(m.id);
      for (const id of groupMembers(m.id)) if (theme === undefined || byId.get(id)?.themes.some((t) => t.theme === theme)) nationalMarked.add(id);
    }
  }
  const { linked, national } = await loadLinked(store, consultationSlug, { ideas: new Set(groupById.keys()), contributions: new Set(byId.keys()) }, (id) => groupMembers(id));
  // a decided « niveau national » link counts as an analyst's national mark (the one rule says which contributions it applies to)
  for (const id of national) nationalMarked.add(id);
  const planCache = new Map<string, Promise<PlanLinkData>>();
  const data: SynthesisData = {
    consultation, consultationDept, all, byId, withheld, meetings, meetingById, groups, groupById, childrenOf, groupTheme,
    groupMembers: (id) => groupMembers(id), deptOf, nationalMarked, linked,
    planLinks: (planId) => {
      let p = planCache.get(planId);
      if (!p) { p = loadPlanLinks(store, planId).then((r) => planLinkData(data, r.plan, r.links)); planCache.set(planId, p); }
      return p;
    },
    followup: memoised((planId) => loadFollowupData(store, planId)),
    humanSyntheses: (documentId) => {
      let p = synthCache.get(documentId);
      if (!p) { p = store.documentSyntheses(documentId); synthCache.set(documentId, p); }
      return p;
    },
  };
  return data;
}

/**
 * Data of no consultation, for the follow-up report of a plan imported without one: its funnel's first steps are 0,
 * its actions and indicators are read as for any plan.
 */
export function noConsultationData(store: Store): SynthesisData {
  const consultation: Consultation = { slug: '', title: '', territory: '', status: 'closed', themes: [] };
  const data: SynthesisData = {
    consultation, consultationDept: undefined, all: [], byId: new Map(), withheld: new Map(), meetings: [], meetingById: new Map(),
    groups: [], groupById: new Map(), childrenOf: new Map(), groupTheme: new Map(), groupMembers: () => new Set(), deptOf: () => undefined,
    nationalMarked: new Set(), linked: { byIdea: new Map(), byContribution: new Map(), unknown: [] },
    planLinks: memoised((planId) => loadPlanLinks(store, planId).then((r) => planLinkData(data, r.plan, r.links))),
    followup: memoised((planId) => loadFollowupData(store, planId)),
    humanSyntheses: async () => [],
  };
  return data;
}

const key = (l: PlanLink) => `${l.source.kind}:${l.source.id}`;

/**
 * Keeps the decided links the public may see (a public contribution of this consultation, a public idea group, an item
 * of the plan) and says which links apply to each contribution: its own when it has any, else its idea groups' but
 * those to a target rejected for the contribution itself. `stored` may hold rejected links (only those are read of them).
 */
export function planLinkData(data: SynthesisData, plan: StoredPlan, stored: readonly PlanLink[]): PlanLinkData {
  const slug = data.consultation.slug;
  const links = stored.filter((l) => isDecided(l) && l.planId === plan.id && (
    l.source.kind === 'planItem' ? planItemIndex(l.source.id, plan.consultationItems.length) !== undefined && plan.consultationItems[Number(l.source.id)]?.section === 'cnr'
      : l.consultation === slug && (l.source.kind === 'contribution' ? data.byId.has(l.source.id) : data.groupById.has(l.source.id))));
  const ownLinks = new Map<string, PlanLink[]>();
  for (const l of links) ownLinks.set(key(l), [...(ownLinks.get(key(l)) ?? []), l]);
  // the one rule (domain applicableLinks): own decided links, else the idea groups' less the targets rejected for it
  const rejected = stored.filter((l) => l.status === 'rejected' && l.planId === plan.id && l.source.kind === 'contribution' && data.byId.has(l.source.id));
  const effective = applicableLinks([...links, ...rejected], data.all.map((c) => c.id), (id) => data.groupMembers(id));
  const items = plan.consultationItems.flatMap((it, i) => (it.section === 'cnr' ? [String(i)] : []));
  return { plan, links, effective, ownLinks, items };
}

/** The best outcome among links: taken up, then partly, national, not taken up; undefined without any. */
export function outcomeOf(links: readonly PlanLink[] | undefined): LinkKind | undefined {
  let best: number | undefined;
  for (const l of links ?? []) {
    const r = LINK_KINDS.indexOf(l.kind);
    if (r >= 0 && (best === undefined || r < best)) best = r;
  }
  return best === undefined ? undefined : LINK_KINDS[best];
}

/** Sources a link rule counts, in a stable order (contributions in arrival order, ideas as stored, items by position). */
export function linkRuleSources(data: SynthesisData, pl: PlanLinkData, rule: LinkRule): string[] {
  const matches = (links: readonly PlanLink[] | undefined): boolean => {
    if (rule.target !== undefined) {
      const to = (links ?? []).filter((l) => l.target === rule.target && answersSource(l));
      if (to.length === 0) return false;
      return rule.outcome === undefined || outcomeOf(to) === rule.outcome;
    }
    if (rule.outcome === undefined) return true;
    return (outcomeOf(links) ?? 'undecided') === rule.outcome;
  };
  if (rule.source === 'contribution') {
    const kinds = rule.kinds ? new Set<string>(rule.kinds) : undefined;
    return data.all.filter((c) => isPublic(c)
      && (rule.theme === undefined || c.themes.some((t) => t.theme === rule.theme))
      && (!kinds || (c.kind !== undefined && kinds.has(c.kind)))
      && matches(rule.own ? pl.ownLinks.get(`contribution:${c.id}`) : pl.effective.get(c.id))
      && (!rule.own || pl.ownLinks.has(`contribution:${c.id}`))
      && (rule.group === undefined || data.groupMembers(rule.group).has(c.id))).map((c) => c.id);
  }
  if (rule.source === 'idea') {
    return data.groups.filter((g) => (rule.theme === undefined || data.groupTheme.get(g.id) === rule.theme) && matches(pl.ownLinks.get(`idea:${g.id}`))).map((g) => g.id);
  }
  if (rule.theme !== undefined) return [];
  return pl.items.filter((i) => matches(pl.ownLinks.get(`planItem:${i}`)));
}

/** The decided links of the consultation's public ideas and contributions, with the titles of the elements they name. */
async function loadLinked(store: Store, consultation: string, visible: Parameters<typeof linkedObjectives>[2], members: (idea: string) => Iterable<string>): Promise<{ linked: LinkedBySource; national: Set<string> }> {
  // rejected ones too: a contribution's own rejection sets its idea's link to that target aside (applicableLinks)
  const links = await listPlanLinks(store, { consultation, statuses: ['confirmed', 'stated', 'rejected'], sourceKinds: ['idea', 'contribution'] });
  if (!links.some(isDecided)) return { linked: { byIdea: new Map(), byContribution: new Map(), unknown: [] }, national: new Set() };
  // public contributions a decided « niveau national » link applies to (own, else through a public idea), any plan
  const shown = links.filter((l) => (l.source.kind === 'idea' ? visible.ideas : visible.contributions).has(l.source.id));
  const national = new Set<string>();
  // its best outcome, as the coverage report counts it: a contribution also taken up somewhere is not « national »
  for (const [id, list] of applicableLinks(shown, visible.contributions, members)) if (outcomeOf(list) === 'national') national.add(id);
  const plans = new Map<string, PlanElementTitles>();
  for (const id of new Set(links.map((l) => l.planId))) {
    const plan = await readStoredPlan(store, id);
    if (plan) plans.set(id, elementTitles(plan));
  }
  return { linked: linkedObjectives(links, plans, visible, members), national };
}

/**
 * Idea groups rebuilt from public members only: non-public members and quotes are dropped, groups left
 * with no public member (themselves or below) are dropped, and a generated label that no public member
 * supports (its phrase occurs in no public member's text, nor is it one's cleaned text: it came from a
 * withdrawn or edited text) is derived again from its public members (their most used phrase, else the
 * first quote's text). Labels a human wrote and labels stated by a source document stay.
 */
export function publicGroups(stored: IdeaGroup[], publicById: Map<string, Contribution>): IdeaGroup[] {
  const groups = stored.map((g) => ({
    ...g, members: g.members.filter((m) => publicById.has(m.contribution)), quotes: g.quotes.filter((id) => publicById.has(id)),
  }));
  const ids = new Set(groups.map((g) => g.id));
  const children = new Map<string, IdeaGroup[]>();
  for (const g of groups) if (g.parent !== null && ids.has(g.parent)) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const below = (g: IdeaGroup, depth = 0): string[] =>
    depth > 20 ? [] : [...g.members.map((m) => m.contribution), ...(children.get(g.id) ?? []).flatMap((c) => below(c, depth + 1))];
  // a parent is kept whenever one of its children is, so the tree stays whole
  return groups.filter((g) => below(g).length > 0).map((g) => {
    if (g.labelByHuman || g.statedCount !== undefined || g.label === OTHERS_LABEL) return g;
    const members = below(g);
    const ordered = [...new Set([...g.quotes.filter((id) => members.includes(id)), ...members])];
    const texts = ordered.map((id) => publicById.get(id)!.text);
    if (usesLabel(texts, g.label)) return g;
    return { ...g, label: phraseLabel(texts.slice(0, 150)) ?? cleanLabel(texts[0]!) };
  });
}

/** The texts use a generated label: as a phrase of theirs, or as the cleaned text of one of them (older models). */
export function usesLabel(texts: readonly string[], label: string): boolean {
  return labelOccursIn(label, texts) || texts.some((t) => cleanLabel(t) === label);
}

export function isNational(c: Contribution): boolean {
  return c.category !== undefined && NATIONAL_CATEGORY.test(c.category);
}

function regionOf(dept: string | undefined): string | undefined {
  return dept === undefined ? undefined : DEPARTEMENTS[dept]?.[1];
}

/** Contributions matching a query, in arrival order. Rejected contributions never match. */
export function queryContributions(data: SynthesisData, q: ContributionQuery): Contribution[] {
  const members = q.group !== undefined ? data.groupMembers(q.group) : undefined;
  let grouped: Set<string> | undefined;
  if (q.ungrouped) {
    grouped = new Set();
    for (const g of data.groups) {
      if (g.parent !== null && data.groupById.has(g.parent)) continue;
      if (q.theme !== undefined && data.groupTheme.get(g.id) !== q.theme) continue;
      for (const id of data.groupMembers(g.id)) grouped.add(id);
    }
  }
  const except = q.except ? new Set(q.except) : undefined;
  let outside: Set<string> | undefined;
  if (q.outsideGroups) {
    outside = new Set();
    for (const g of q.outsideGroups) for (const id of data.groupMembers(g)) outside.add(id);
  }
  const kinds = q.kinds ? new Set<string>(q.kinds) : undefined;
  return data.all.filter((c) => {
    if (!isPublic(c)) return false;
    if (q.territory !== undefined && data.deptOf(c) !== q.territory) return false;
    if (q.region !== undefined) {
      const r = regionOf(data.deptOf(c));
      if (r !== undefined && r !== q.region) return false;
    }
    if (q.theme !== undefined && !c.themes.some((t) => t.theme === q.theme)) return false;
    if (q.themed !== undefined && (c.themes.length > 0) !== q.themed) return false;
    if (kinds && !(c.kind !== undefined && kinds.has(c.kind))) return false;
    if (q.category !== undefined && (c.category ?? null) !== q.category) return false;
    if (q.categoryPrefix !== undefined && !(c.category === q.categoryPrefix || c.category?.startsWith(`${q.categoryPrefix} › `))) return false;
    if (q.national !== undefined && (isNational(c) || data.nationalMarked.has(c.id)) !== q.national) return false;
    if (members && !members.has(c.id)) return false;
    if (grouped && grouped.has(c.id)) return false;
    if (outside && outside.has(c.id)) return false;
    if (except && except.has(c.id)) return false;
    if (q.meeting !== undefined && (c.meeting ?? null) !== q.meeting) return false;
    if (q.college !== undefined && (c.authorCollege ?? null) !== q.college) return false;
    return true;
  });
}

/** Meetings of a territory: a meeting with no territory belongs to the consultation's département, if it is one. */
export function queryMeetings(data: SynthesisData, rule: { territory?: string; region?: string; kinds?: string[] }): Meeting[] {
  const kinds = rule.kinds ? new Set(rule.kinds) : undefined;
  const fallback = data.consultationDept;
  return data.meetings.filter((m) => {
    const dept = m.territory ?? fallback;
    if (rule.territory !== undefined && dept !== rule.territory) return false;
    if (rule.region !== undefined && dept !== undefined && regionOf(dept) !== rule.region) return false;
    if (kinds && !kinds.has(m.kind)) return false;
    return true;
  });
}

export interface Evaluation {
  value: number | null;
  contributions: string[];
  meetings?: string[];
  /** link rules over ideas or plan items: the ids counted */
  sources?: string[];
  /** why the rule could not be evaluated */
  error?: string;
}

/** Finds a HumanSynthesisItem by its index path in a document's syntheses. */
export function itemAtPath(roots: HumanSynthesisItem[], path: number[]): HumanSynthesisItem | undefined {
  let list = roots;
  let item: HumanSynthesisItem | undefined;
  for (const i of path) {
    item = list[i];
    if (!item) return undefined;
    list = item.children;
  }
  return item;
}

export function shareOf(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator * 1000) / denominator) / 10;
}

/**
 * Evaluates a rule on the data. `valueOf` gives the value of another figure (for shares and
 * differences); the verifier passes recomputed values so a chain of figures is checked end to end.
 */
export async function evaluateRule(data: SynthesisData, rule: FigureRule, valueOf: (key: string) => number | undefined): Promise<Evaluation> {
  switch (rule.op) {
    case 'contributions': {
      const list = queryContributions(data, rule.where);
      return { value: list.length, contributions: list.map((c) => c.id) };
    }
    case 'meetings': {
      const list = queryMeetings(data, rule);
      return { value: list.length, contributions: [], meetings: list.map((m) => m.id) };
    }
    case 'participants': {
      let sum = 0;
      let any = false;
      for (const id of rule.meetings) {
        const m = data.meetingById.get(id);
        if (!m) return { value: null, contributions: [], meetings: rule.meetings, error: `réunion introuvable : ${id}` };
        const v = rule.field === 'sum' ? participantsSum(m.participants) : m.participants[rule.field];
        if (v !== null) { sum += v; any = true; }
      }
      return { value: any ? sum : null, contributions: [], meetings: rule.meetings };
    }
    case 'share': {
      const n = valueOf(rule.numerator);
      const d = valueOf(rule.denominator);
      if (n === undefined || d === undefined) return { value: null, contributions: [], error: `chiffre de référence absent (${n === undefined ? rule.numerator : rule.denominator})` };
      return { value: shareOf(n, d), contributions: [] };
    }
    case 'difference': {
      const a = valueOf(rule.minuend);
      const b = valueOf(rule.subtrahend);
      if (a === undefined || b === undefined) return { value: null, contributions: [], error: `chiffre de référence absent (${a === undefined ? rule.minuend : rule.subtrahend})` };
      return { value: a - b, contributions: [] };
    }
    case 'groupStated': {
      const g = data.groupById.get(rule.group);
      if (!g) return { value: null, contributions: [], error: `idée commune introuvable : ${rule.group}` };
      if (g.statedCount === undefined) return { value: null, contributions: [], error: `l’idée commune « ${g.label.slice(0, 60)} » n’a pas de nombre annoncé` };
      return { value: g.statedCount, contributions: [] };
    }
    case 'links': {
      let pl: PlanLinkData;
      try {
        pl = await data.planLinks(rule.plan);
      } catch (e) {
        return { value: null, contributions: [], error: (e as Error).message };
      }
      const ids = linkRuleSources(data, pl, rule);
      return rule.source === 'contribution' ? { value: ids.length, contributions: ids } : { value: ids.length, contributions: [], sources: ids };
    }
    case 'followup':
      return evaluateFollowup(data, rule);
    case 'stated': {
      const roots = await data.humanSyntheses(rule.document);
      const item = itemAtPath(roots, rule.path);
      if (!item) return { value: null, contributions: [], error: `élément de synthèse introuvable dans le document ${rule.document.slice(0, 12)} (chemin ${rule.path.join('.')})` };
      if (item.statedCount === undefined) return { value: null, contributions: [], error: `« ${item.label.slice(0, 60)} » n’annonce pas de nombre` };
      return { value: item.statedCount, contributions: [] };
    }
  }
}

export const COLLEGE_FIELDS = COLLEGES;

/** Statuses of an engaged action (the funnel's « engagées » step). */
export const ENGAGED_STATUSES: readonly ActionStatus[] = ['engagee', 'en_cours', 'realisee'];

/** The plan's objectives in reading order, with their engagement's code. */
export function planObjectives(plan: StoredPlan): { code: string; title: string; engagement: string }[] {
  return plan.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives.map((o) => ({ code: o.code, title: o.title, engagement: e.code }))));
}

/**
 * The plan's objectives a decided link applying to a public contribution of the consultation takes up (taken up or
 * partly): the one rule of domain applicableLinks (a contribution's own decisions, else its public ideas'), so an
 * idea's link no member keeps counts for nothing. In the plan's order.
 */
export async function linkedPlanObjectives(data: SynthesisData, plan: StoredPlan): Promise<string[]> {
  if (plan.consultation === null || plan.consultation !== data.consultation.slug) return [];
  const pl = await data.planLinks(plan.id);
  const hit = new Set<string>();
  for (const links of pl.effective.values()) for (const l of links) if (l.planId === plan.id && answersSource(l)) hit.add(l.target!);
  return planObjectives(plan).map((o) => o.code).filter((c) => hit.has(c));
}

const asOfCache = new WeakMap<FollowupData, Map<string, FollowupAction[]>>();

/**
 * The plan's actions as they stood at the end of `asOf` (YYYY-MM-DD, UTC): the timeline entries written after it are
 * undone, newest first (each field back to its `before`), and actions created after it left out. Without `asOf`, today's.
 */
export function actionsAt(f: FollowupData, asOf: string | undefined): FollowupAction[] {
  if (asOf === undefined) return f.actions;
  let byDay = asOfCache.get(f);
  if (!byDay) { byDay = new Map(); asOfCache.set(f, byDay); }
  const cached = byDay.get(asOf);
  if (cached) return cached;
  const cutoff = `${asOf}T23:59:59.999Z`;
  const state = new Map(f.actions.filter((a) => a.createdAt <= cutoff).map((a) => [a.id, structuredClone(a)]));
  const later = f.timeline.filter((e) => e.at > cutoff).sort((a, b) => b.id - a.id);
  for (const e of later) {
    const a = state.get(e.actionId);
    if (!a) continue;
    if (e.kind === 'created') { state.delete(e.actionId); continue; }
    for (const [k, change] of Object.entries(e.changes)) (a as unknown as Record<string, unknown>)[k] = change.before;
  }
  const out = f.actions.filter((a) => state.has(a.id)).map((a) => state.get(a.id)!);
  byDay.set(asOf, out);
  return out;
}

/** Top-level actions of a follow-up rule's scope (objective, engagement, status filters), as of the rule's day. */
function scopedActions(f: FollowupData, rule: FollowupRule): FollowupAction[] {
  const engagementOf = new Map(planObjectives(f.plan).map((o) => [o.code, o.engagement]));
  return actionsAt(f, rule.asOf).filter((a) => a.parentId === null
    && (rule.objective === undefined || a.objectiveCode === rule.objective)
    && (rule.engagement === undefined || engagementOf.get(a.objectiveCode) === rule.engagement)
    && (rule.status === undefined || a.status === rule.status));
}

/** Evaluates a follow-up rule (see FollowupRule) on the plan's stored actions, indicators and links. */
export async function evaluateFollowup(data: SynthesisData, rule: FollowupRule): Promise<Evaluation> {
  const none = (error: string): Evaluation => ({ value: null, contributions: [], error });
  let f: FollowupData;
  try {
    f = await data.followup(rule.plan);
  } catch (e) {
    return none((e as Error).message);
  }
  const plan = f.plan;
  const counted = (ids: string[]): Evaluation => ({ value: ids.length, contributions: [], sources: ids });
  const funnel = ['contributions', 'ideas', 'objectives', 'engaged', 'done'].includes(rule.count);
  // the funnel reads the plan's own consultation: a document built over another one does not verify
  if (funnel && plan.consultation !== null && plan.consultation !== data.consultation.slug) {
    return none(`le schéma ${plan.id} est rattaché à la consultation « ${plan.consultation} », le document à « ${data.consultation.slug || 'aucune'} »`);
  }
  switch (rule.count) {
    case 'contributions': {
      const ids = plan.consultation === null ? [] : data.all.filter(isPublic).map((c) => c.id);
      return { value: ids.length, contributions: ids };
    }
    case 'ideas':
      // publicGroups already dropped the ideas without any public member; the catch-all « Autres » is no idea (as links.ts says)
      return counted(plan.consultation === null ? [] : (data.childrenOf.get(null) ?? []).filter((g) => g.label !== OTHERS_LABEL).map((g) => g.id));
    case 'objectives':
      return counted(await linkedPlanObjectives(data, plan));
    case 'engaged': case 'done': {
      const objectives = new Set(await linkedPlanObjectives(data, plan));
      const want = rule.count === 'done' ? ['realisee'] : ENGAGED_STATUSES;
      return counted(actionsAt(f, rule.asOf).filter((a) => a.parentId === null && objectives.has(a.objectiveCode) && want.includes(a.status)).map((a) => a.id));
    }
    case 'actions':
      return counted(scopedActions(f, rule).map((a) => a.id));
    case 'late': {
      if (rule.asOf === undefined) return none('date de référence absente (asOf)');
      const asOf = rule.asOf;
      return counted(scopedActions(f, rule).filter((a) => a.dueDate !== null && a.dueDate < asOf && a.status !== 'realisee' && a.status !== 'abandonnee').map((a) => a.id));
    }
    case 'unowned':
      // actions still to carry out, as the CTS dashboard counts them: a done or abandoned one needs no owner any more
      return counted(scopedActions(f, rule).filter((a) => !a.owner.organisation && a.status !== 'abandonnee' && a.status !== 'realisee').map((a) => a.id));
    case 'objectivesWithoutAction': {
      const busy = new Set(actionsAt(f, rule.asOf).filter((a) => a.parentId === null && a.status !== 'abandonnee').map((a) => a.objectiveCode));
      return counted(planObjectives(plan).filter((o) => (rule.engagement === undefined || o.engagement === rule.engagement)
        && (rule.objective === undefined || o.code === rule.objective) && !busy.has(o.code)).map((o) => o.code));
    }
    case 'progress': {
      const nodes = progressNodes(actionsAt(f, rule.asOf));
      const scope = new Set(scopedActions(f, rule).map((a) => a.id));
      const p = aggregateProgress(nodes, (n) => scope.has(n.id));
      return p === null ? none('aucune action à mesurer (aucune, ou toutes abandonnées)') : { value: p, contributions: [] };
    }
    case 'indicators':
      return counted(f.indicators.filter((i) => rule.objective === undefined || i.objectiveCode === rule.objective).map((i) => i.id));
    case 'indicator': {
      const ind = f.indicators.find((i) => i.id === rule.indicator);
      if (!ind) return none(`indicateur de suivi introuvable : ${rule.indicator ?? '(absent)'}`);
      const t = ind.target;
      const ms = (f.measurements.get(ind.id) ?? []).filter((m) => rule.asOf === undefined || m.date <= rule.asOf);
      const p = indicatorProgress(ind, ms);
      const v = rule.field === 'baseline' ? ind.baseline.value
        : rule.field === 'target' ? (t.kind === 'value' ? t.value : null)
          : rule.field === 'targetMin' ? (t.kind === 'range' ? t.min : null)
            : rule.field === 'targetMax' ? (t.kind === 'range' ? t.max : null)
              : rule.field === 'latest' ? p.latest?.value ?? null
                : rule.field === 'percent' ? p.percent
                  : rule.field === 'reached' ? p.reached
                    : rule.field === 'needed' ? p.needed : null;
      return v === null ? none(`« ${ind.label.slice(0, 60)} » : pas de valeur « ${rule.field ?? '(absent)'} »`) : { value: v, contributions: [] };
    }
  }
}
