/**
 * Grouping contributions into common ideas: a two-level hierarchy (groups → sub-ideas → contributions),
 * per theme or across themes, with French labels, key phrases, verbatim quotes, incremental assignment,
 * human operations with lineage, and reruns that keep human decisions.
 */
import type { LineageEvent } from '../../domain/ideas.ts';
import { analyze, normalizeText, TfidfVectorizer, type SparseVector, type TfidfJSON } from '../text/index.ts';
import { balancedAssign, clusterTop, DEFAULT_CAP, type Criterion } from './balance.ts';
import { clusterRows, deriveSeed, localMatrix, rowDot, type LocalMatrix } from './kmeans.ts';
import { hungarianMax } from './metrics.ts';
import { fnv1a } from '../random.ts';
import { assignLabels, phraseLabel, PhraseCache, type LabelNode } from './labels.ts';
import { GROUPING_ANALYZER, rowNnz, vectorizeOne, vectorizeTexts, type CsrMatrix } from './matrix.ts';

export const GROUPING_VERSION = '1.1.0'; // 1.1: phrase-seeded, capped top level
export const OTHERS_LABEL = 'Autres';

export interface GroupInput {
  id: string;
  text: string;
  /** theme code; with `byTheme`, grouping is done within each theme */
  theme?: string;
}

/** A verbatim span of a contribution: `text.slice(start, end)` (UTF-16 offsets into the contribution's text). */
export interface QuoteSpan { id: string; start: number; end: number }

export interface GroupNode {
  id: string;
  parent: string | null;
  theme?: string;
  label: string;
  /** true once a human renamed the label: reruns keep it */
  labelByHuman: boolean;
  /** the "Autres" bucket (contributions without usable words, or too far from every group) */
  others: boolean;
  /** 2–4 key phrases: the centroid's top terms, as written in the members */
  keyPhrases: string[];
  /** ids of the most central members (their text is the quote) */
  quotes: string[];
  /** the most central sentence of each quoted member, as offsets into its text */
  spans: QuoteSpan[];
  lineage: LineageEvent[];
  /** centroid in the model's TF-IDF space (sparse, L2-normalised) */
  centroid: { indices: number[]; values: number[] };
}

export interface GroupingModel {
  type: 'fabrique.grouping';
  version: string;
  seed: number;
  byTheme: boolean;
  /** cosine to the nearest group centroid below which `assignNew` puts a contribution in "Autres" */
  threshold: number;
  vectorizer: TfidfJSON;
  /** top groups first (by theme, then size), each followed by nothing: sub-ideas follow all top groups */
  groups: GroupNode[];
  /** contribution → the deepest group it belongs to (a sub-idea, or a top group without sub-ideas) */
  membership: Record<string, string>;
  /** memberships decided by a human (move, merge, split): contribution → group; reruns keep them */
  pins: Record<string, string>;
  /** groups removed by human operations, with their lineage */
  retired: { id: string; label: string; lineage: LineageEvent[] }[];
}

export interface GroupOptions {
  seed?: number;
  /** group within each theme (items need `theme`) — default: true when every item has a theme */
  byTheme?: boolean;
  /** fixed number of top groups per scope (default: automatic) */
  k?: number;
  kMax?: number;
  /** no sub-ideas in groups smaller than this (default 6) */
  minSubgroupSize?: number;
  subKMax?: number;
  /**
   * sample of large scopes: 'id-hash' (default) = the rows with the smallest hash of their id (seed-independent),
   * 'seeded' = a draw from the seed
   */
  sampling?: 'id-hash' | 'seeded';
  /** clustering method (default 'agglomerative', see clusterRows) and consensus runs (default 12) */
  method?: 'agglomerative' | 'consensus';
  runs?: number;
  /**
   * how the number of top groups is chosen: 'phrase' (default: seeds = shared stem phrases), 'stability' (k-means
   * over resamples) or 'silhouette' (the former criterion); compared in bench/quality/grouping.ts
   */
  criterion?: Criterion;
  /** largest share of its scope a top group may hold unless its texts say one thing (default 0.25, see balance.ts) */
  cap?: number;
  /** largest share of its parent a sub-idea may hold (default 0.6) */
  subCap?: number;
  quotes?: number;
  threshold?: number;
  /** creation time and author for lineage (default: now, "fabrique") */
  at?: string;
  by?: string;
  /** progress: called as each scope (theme) starts, with the number of scopes already grouped */
  onScope?: (scope: string, done: number, total: number) => void;
}

interface Ctx {
  items: readonly GroupInput[];
  matrix: CsrMatrix;
  vectorizer: TfidfVectorizer;
  index: Map<string, number>;
}

const scopeOf = (it: GroupInput, byTheme: boolean): string => (byTheme ? it.theme ?? '' : '');
const prefix = (scope: string): string => (scope ? `${scope}:` : '');

function centroidSparse(x: LocalMatrix, c: Float32Array, l: number): SparseVector {
  const pairs: [number, number][] = [];
  for (let d = 0; d < x.dim; d++) { const v = c[l * x.dim + d] as number; if (v !== 0) pairs.push([x.globalDim[d] as number, v]); }
  pairs.sort((a, b) => a[0] - b[0]);
  return { indices: Uint32Array.from(pairs.map((p) => p[0])), values: Float32Array.from(pairs.map((p) => p[1])) };
}

function sparseOfRows(m: CsrMatrix, rows: readonly number[]): SparseVector {
  const acc = new Map<number, number>();
  for (const r of rows) for (let p = m.offsets[r] as number; p < (m.offsets[r + 1] as number); p++) {
    const d = m.indices[p] as number; acc.set(d, (acc.get(d) ?? 0) + (m.values[p] as number));
  }
  const ids = [...acc.keys()].sort((a, b) => a - b);
  let s = 0; for (const d of ids) s += (acc.get(d) as number) ** 2;
  const nr = Math.sqrt(s) || 1;
  return { indices: Uint32Array.from(ids), values: Float32Array.from(ids.map((d) => (acc.get(d) as number) / nr)) };
}

function dotRow(m: CsrMatrix, r: number, c: SparseVector): number {
  let i = m.offsets[r] as number; const ie = m.offsets[r + 1] as number;
  let j = 0, s = 0;
  while (i < ie && j < c.indices.length) {
    const a = m.indices[i] as number, b = c.indices[j] as number;
    if (a === b) { s += (m.values[i] as number) * (c.values[j] as number); i++; j++; } else if (a < b) i++; else j++;
  }
  return s;
}

function dotSparse(a: SparseVector, b: { indices: ArrayLike<number>; values: ArrayLike<number> }): number {
  let i = 0, j = 0, s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i] as number, y = b.indices[j] as number;
    if (x === y) { s += (a.values[i] as number) * (b.values[j] as number); i++; j++; } else if (x < y) i++; else j++;
  }
  return s;
}

/** Display label from a contribution's text: cleaned (bullets, trailing punctuation), cut at a word boundary. */
export function cleanLabel(text: string, max = 90): string {
  let s = normalizeText(text).replace(/^[\s\-–•*·>»"'.,;:!?()0-9]+(?=\p{L})/u, '').replace(/[\s;:,.\-–]+$/u, '');
  if (s.length === 0) return OTHERS_LABEL;
  s = s.charAt(0).toLocaleUpperCase('fr-FR') + s.slice(1);
  if (s.length <= max) return s;
  let cut = s.lastIndexOf(' ', max - 1);
  if (cut < max / 2) cut = max - 1;
  return s.slice(0, cut).replace(/[\s;:,.\-–'(]+$/u, '') + '…';
}

const SENTENCE = /[^.!?;\n]+[.!?;]*/g;

/** The sentence of `text` most similar to a centroid, as offsets into `text` (verbatim, trimmed). */
export function bestSentence(text: string, v: TfidfVectorizer, c: SparseVector): { start: number; end: number } {
  const src = text.length > 20_000 ? text.slice(0, 20_000) : text;
  let best = { start: 0, end: src.length }, bs = -Infinity;
  SENTENCE.lastIndex = 0;
  for (let m = SENTENCE.exec(src); m !== null; m = SENTENCE.exec(src)) {
    let start = m.index, end = m.index + m[0].length;
    while (start < end && /\s/.test(src.charAt(start))) start++;
    while (end > start && /\s/.test(src.charAt(end - 1))) end--;
    if (end - start < 3) continue;
    const s = dotSparse(v.transform(src.slice(start, end)), c);
    if (s > bs) { bs = s; best = { start, end }; }
  }
  // never split a UTF-16 surrogate pair
  if (best.end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(best.end))) best.end++;
  return best;
}

/** Top centroid terms shown as the surface words most often used for them in the given texts. */
function keyPhrases(c: SparseVector, v: TfidfVectorizer, texts: readonly string[], n = 4): string[] {
  const order = Array.from(c.indices.keys()).sort((a, b) => (c.values[b] as number) - (c.values[a] as number) || (c.indices[a] as number) - (c.indices[b] as number));
  const top = order.slice(0, 24).map((i) => v.vocabulary.term(c.indices[i] as number));
  const wanted = new Set(top);
  const surf = new Map<string, Map<string, number>>();
  for (const t of texts) {
    const a = analyze(t.length > 5000 ? t.slice(0, 5000) : t, GROUPING_ANALYZER);
    a.terms.forEach((term, i) => {
      if (!wanted.has(term)) return;
      let m = surf.get(term); if (!m) { m = new Map(); surf.set(term, m); }
      const s = (a.surfaces[i] as string).toLocaleLowerCase('fr-FR');
      m.set(s, (m.get(s) ?? 0) + 1);
    });
  }
  const out: string[] = [];
  const usedStems = new Set<string>();
  // prefer bigrams ranked in the top terms, then unigrams not already covered
  const ranked = [...top.filter((t) => t.includes(' ')).slice(0, 2), ...top];
  for (const term of ranked) {
    if (out.length >= n) break;
    const parts = term.split(' ');
    if (parts.every((p) => usedStems.has(p))) continue;
    const m = surf.get(term);
    if (!m) continue;
    const best = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) continue;
    out.push(best[0]);
    parts.forEach((p) => usedStems.add(p));
  }
  return out;
}

function describe(ctx: Ctx, rows: readonly number[], c: SparseVector, quotes: number): Pick<GroupNode, 'label' | 'keyPhrases' | 'quotes' | 'spans'> {
  const scored = rows.map((r) => ({ r, s: dotRow(ctx.matrix, r, c) })).sort((a, b) => b.s - a.s || a.r - b.r);
  const central = scored.slice(0, Math.max(1, quotes));
  // provisional label from the group alone; `withLabels` then makes labels distinct across the tree
  const labelTexts = scored.slice(0, 60).map((x) => ({ s: x.s, t: ctx.items[x.r]?.text ?? '' }))
    .sort((a, b) => b.s - a.s || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)).map((x) => x.t);
  const label = phraseLabel(labelTexts, phraseCache(ctx)) ?? (scored[0] ? cleanLabel(ctx.items[scored[0].r]?.text ?? '') : OTHERS_LABEL);
  const texts = scored.slice(0, 60).map(({ r }) => ctx.items[r]?.text ?? '');
  return {
    label,
    keyPhrases: keyPhrases(c, ctx.vectorizer, texts),
    quotes: central.map(({ r }) => ctx.items[r]?.id as string),
    spans: central.map(({ r }) => { const text = ctx.items[r]?.text ?? ''; return { id: ctx.items[r]?.id as string, ...bestSentence(text, ctx.vectorizer, c) }; }),
  };
}

const phraseCaches = new WeakMap<Ctx, PhraseCache>();
function phraseCache(ctx: Ctx): PhraseCache {
  let c = phraseCaches.get(ctx);
  if (!c) { c = new PhraseCache(); phraseCaches.set(ctx, c); }
  return c;
}

/** Members read to label a group: the most central ones (ties broken by text, so reruns agree). */
const LABEL_SAMPLE = 150;

/**
 * Labels of every generated group, chosen together (src/analysis/grouping/labels.ts): supported phrases of
 * their members, distinct from the parent and the siblings; human labels and the Autres buckets are kept.
 */
function withLabels(ctx: Ctx, model: GroupingModel): GroupingModel {
  const direct = new Map<string, number[]>();
  for (const [id, g] of Object.entries(model.membership)) {
    const r = ctx.index.get(id);
    if (r !== undefined) { let a = direct.get(g); if (!a) { a = []; direct.set(g, a); } a.push(r); }
  }
  const kids = new Map<string, string[]>();
  for (const g of model.groups) if (g.parent !== null) { let a = kids.get(g.parent); if (!a) { a = []; kids.set(g.parent, a); } a.push(g.id); }
  const nodes: LabelNode[] = model.groups.map((g) => {
    const c = fromJSONVec(g.centroid);
    const rows = [g.id, ...(kids.get(g.id) ?? [])].flatMap((id) => direct.get(id) ?? []);
    const texts = rows.map((r) => ({ s: dotRow(ctx.matrix, r, c), t: ctx.items[r]?.text ?? '' }))
      .sort((a, b) => b.s - a.s || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)).slice(0, LABEL_SAMPLE).map((x) => x.t);
    return { id: g.id, parent: g.parent, scope: g.theme ?? '', others: g.others, ...(g.labelByHuman ? { fixed: g.label } : {}), texts };
  });
  const labels = assignLabels(nodes, { othersLabel: OTHERS_LABEL, cache: phraseCache(ctx) });
  return { ...model, groups: model.groups.map((g) => ({ ...g, label: labels.get(g.id) ?? g.label })) };
}

const toJSONVec = (v: SparseVector): GroupNode['centroid'] => ({ indices: Array.from(v.indices), values: Array.from(v.values, (x) => Number(x.toFixed(6))) });
const fromJSONVec = (v: GroupNode['centroid']): SparseVector => ({ indices: Uint32Array.from(v.indices), values: Float32Array.from(v.values) });

interface Cluster { rows: number[]; centroid: SparseVector }

/** Clusters rows (non-empty vectors) into k (or auto) clusters, sorted by size desc, ties by first row. */
function idHash(id: string): number {
  let h = fnv1a(id);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13;
  return h >>> 0;
}

/** Rows clustered in detail inside one top group (the rest is assigned to their nearest sub-idea). */
const SUB_SAMPLE = 800;

interface SubsetOptions {
  seed: number; k?: number; kMax: number; runs: number;
  method?: 'agglomerative' | 'consensus' | undefined; sampling?: 'id-hash' | 'seeded' | undefined;
  /** top level: the capped, phrase-seeded grouping with an "others" rest; else sub-ideas capped at `cap` */
  top?: { criterion?: Criterion | undefined; cap: number };
  cap?: number;
}

/** Clusters rows (non-empty vectors); clusters sorted by size desc, ties by first row; `others` = rows fitting none. */
function clusterSubset(ctx: Ctx, rows: readonly number[], o: SubsetOptions): { clusters: Cluster[]; others: number[] } {
  if (rows.length === 0) return { clusters: [], others: [] };
  const x = localMatrix(ctx.matrix, rows);
  // sub-ideas: a smaller sample (their average linkage and silhouettes are O(sample²), once per top group)
  const sample = o.top ? 2000 : SUB_SAMPLE;
  const sampleKeys = o.sampling === 'seeded' || rows.length <= sample ? undefined : Uint32Array.from(rows, (r) => idHash(ctx.items[r]?.id ?? ''));
  const common = { seed: o.seed, kMax: o.kMax, runs: o.runs, sample, ...(o.method ? { method: o.method } : {}), ...(o.k !== undefined ? { k: o.k } : {}), ...(sampleKeys ? { sampleKeys } : {}) };
  const subCap = o.cap;
  const res = o.top
    ? clusterTop(x, { ...common, cap: o.top.cap, ...(o.top.criterion ? { criterion: o.top.criterion } : {}) })
    : clusterRows(x, { ...common, ...(subCap !== undefined ? { finish: (xx: LocalMatrix, init: Float32Array, k: number) => balancedAssign(xx, init, k, { cap: subCap, cohesiveExempt: false, floor: 1 }) } : {}) });
  const by: number[][] = Array.from({ length: res.k }, () => []);
  const others: number[] = [];
  res.labels.forEach((l, i) => (l < 0 ? others : (by[l] as number[])).push(rows[i] as number));
  const clusters = by.map((r, l) => ({ rows: r, centroid: centroidSparse(x, res.centroids, l) }))
    .filter((c) => c.rows.length > 0)
    .sort((a, b) => b.rows.length - a.rows.length || (a.rows[0] as number) - (b.rows[0] as number));
  return { clusters, others };
}

function buildContext(items: readonly GroupInput[], vectorizer?: TfidfVectorizer): Ctx {
  const index = new Map<string, number>();
  items.forEach((it, i) => {
    if (index.has(it.id)) throw new Error(`grouping: duplicate id "${it.id}"`);
    index.set(it.id, i);
  });
  const { matrix, vectorizer: v } = vectorizeTexts(items.map((i) => i.text), vectorizer);
  return { items, matrix, vectorizer: v, index };
}

function nowIso(o: { at?: string }): string { return o.at ?? new Date().toISOString(); }

function makeNode(ctx: Ctx, id: string, parent: string | null, scope: string, rows: number[], centroid: SparseVector | null, quotes: number, lineage: LineageEvent[]): GroupNode {
  const others = centroid === null;
  const c = centroid ?? sparseOfRows(ctx.matrix, rows);
  const d = rows.length ? describe(ctx, rows, c, quotes) : { label: OTHERS_LABEL, keyPhrases: [], quotes: [], spans: [] };
  return {
    id, parent, ...(scope ? { theme: scope } : {}),
    ...d, label: others ? OTHERS_LABEL : d.label, labelByHuman: false, others, lineage, centroid: toJSONVec(c),
  };
}

/**
 * Groups contributions. Deterministic for a given seed (default 1). Contributions without any usable word
 * (empty, emoji only, unknown script…) go to an "Autres" group of their scope.
 */
export function groupContributions(items: readonly GroupInput[], o: GroupOptions = {}): GroupingModel {
  const ctx = buildContext(items);
  const byTheme = o.byTheme ?? (items.length > 0 && items.every((i) => i.theme !== undefined && i.theme !== ''));
  return withLabels(ctx, buildModel(ctx, byTheme, o, null));
}

function scopes(ctx: Ctx, byTheme: boolean): Map<string, number[]> {
  const m = new Map<string, number[]>();
  ctx.items.forEach((it, r) => { const s = scopeOf(it, byTheme); let a = m.get(s); if (!a) { a = []; m.set(s, a); } a.push(r); });
  return new Map([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * Core of `groupContributions` and `regroup`. With `previous`, clusters are mapped to the previous groups by
 * maximum overlap (Hungarian), inheriting their ids, human labels and lineage; pinned memberships are applied.
 */
function buildModel(ctx: Ctx, byTheme: boolean, o: GroupOptions, previous: GroupingModel | null): GroupingModel {
  const seed = o.seed ?? 1;
  const quotes = o.quotes ?? 3;
  const runs = o.runs ?? 12;
  const method = o.method;
  const sampling = o.sampling;
  const minSub = o.minSubgroupSize ?? 6;
  const subCap = o.subCap ?? 0.6;
  const at = nowIso(o), by = o.by ?? 'fabrique';
  const groups: GroupNode[] = [];
  const subs: GroupNode[] = [];
  const membership: Record<string, string> = {};
  const pins: Record<string, string> = {};
  const prevNodes = new Map((previous?.groups ?? []).map((g) => [g.id, g]));
  const prevTop = (id: string | undefined): string | undefined => {
    const g = id === undefined ? undefined : prevNodes.get(id);
    return g ? (g.parent ?? g.id) : undefined;
  };
  if (previous) for (const [c, g] of Object.entries(previous.pins)) if (ctx.index.has(c) && prevNodes.has(g)) pins[c] = g;

  const scoped = scopes(ctx, byTheme);
  let scopeIndex = 0;
  for (const [scope, rows] of scoped) {
    o.onScope?.(scope, scopeIndex++, scoped.size);
    const p = prefix(scope);
    const pinnedRow = (r: number): string | undefined => pins[ctx.items[r]?.id as string];
    const live = rows.filter((r) => rowNnz(ctx.matrix, r) > 0);
    const empty = rows.filter((r) => rowNnz(ctx.matrix, r) === 0 && pinnedRow(r) === undefined);
    const prevTops = (previous?.groups ?? []).filter((g) => g.parent === null && !g.others && (g.theme ?? '') === scope);
    const k = prevTops.length > 0 ? Math.min(prevTops.length, live.length) : o.k;
    const { clusters: tops, others: unfit } = clusterSubset(ctx, live, { seed: deriveSeed(seed, 'top', scope), ...(k !== undefined ? { k } : {}), kMax: o.kMax ?? 12, runs, method, sampling, top: { criterion: o.criterion, cap: o.cap ?? DEFAULT_CAP } });
    // rows that fit no group join the empty ones in "Autres", unless a human pinned them
    for (const r of unfit) if (pinnedRow(r) === undefined) empty.push(r);
    empty.sort((a, b) => a - b);
    // ids: inherited from the previous groups by maximum overlap, else fresh
    const ids = inheritIds(tops.map((c) => c.rows), prevTops.map((g) => g.id), (r) => prevTop(previous?.membership[ctx.items[r]?.id as string]), p, 'g', previous);
    // pinned rows go to their pinned top group
    const topRows = new Map<string, number[]>();
    tops.forEach((c, i) => topRows.set(ids[i] as string, []));
    for (const g of prevTops) if (!topRows.has(g.id) && Object.values(pins).some((x) => x === g.id || prevNodes.get(x)?.parent === g.id)) topRows.set(g.id, []);
    tops.forEach((c, i) => { for (const r of c.rows) { const pin = pinnedRow(r); const t = pin ? prevTop(pin) : undefined; (topRows.get(t && topRows.has(t) ? t : (ids[i] as string)) as number[]).push(r); } });
    const unfitSet = new Set(unfit);
    for (const r of rows) { const pin = pinnedRow(r); if (pin && (rowNnz(ctx.matrix, r) === 0 || unfitSet.has(r))) { const t = prevTop(pin); if (t && topRows.has(t)) (topRows.get(t) as number[]).push(r); else empty.push(r); } }
    empty.sort((a, b) => a - b);
    for (const [gid, gRows] of topRows) {
      if (gRows.length === 0) continue;
      gRows.sort((a, b) => a - b);
      const prev = prevNodes.get(gid);
      const node = makeNode(ctx, gid, null, scope, gRows, sparseOfRows(ctx.matrix, gRows.filter((r) => rowNnz(ctx.matrix, r) > 0)), quotes, prev?.lineage ?? [{ op: 'create', at, by }]);
      if (prev?.labelByHuman) { node.label = prev.label; node.labelByHuman = true; }
      groups.push(node);
      // sub-ideas
      const prevSubs = (previous?.groups ?? []).filter((g) => g.parent === gid);
      const gLive = gRows.filter((r) => rowNnz(ctx.matrix, r) > 0);
      let subClusters: Cluster[] = [];
      if (prevSubs.length > 1) subClusters = clusterSubset(ctx, gLive, { seed: deriveSeed(seed, 'sub', gid), k: Math.min(prevSubs.length, gLive.length), kMax: 8, runs, method, sampling, cap: subCap }).clusters;
      else if (prevSubs.length === 0 && gLive.length >= minSub && !previous?.groups.some((g) => g.id === gid)) {
        subClusters = clusterSubset(ctx, gLive, { seed: deriveSeed(seed, 'sub', gid), kMax: o.subKMax ?? 6, runs, method, sampling, cap: subCap }).clusters;
      }
      if (subClusters.length <= 1) { for (const r of gRows) membership[ctx.items[r]?.id as string] = gid; continue; }
      const subIds = inheritIds(subClusters.map((c) => c.rows), prevSubs.map((g) => g.id), (r) => previous?.membership[ctx.items[r]?.id as string], `${gid}.`, '', previous);
      const subRows = new Map<string, number[]>(subIds.map((id) => [id, []]));
      subClusters.forEach((c, i) => { for (const r of c.rows) { const pin = pinnedRow(r); (subRows.get(pin && subRows.has(pin) ? pin : (subIds[i] as string)) as number[]).push(r); } });
      // members of the group not in a sub-cluster (zero vectors, pinned from elsewhere): nearest sub-idea = the largest
      const inSub = new Set(subClusters.flatMap((c) => c.rows));
      for (const r of gRows) if (!inSub.has(r)) { const pin = pinnedRow(r); (subRows.get(pin && subRows.has(pin) ? pin : (subIds[0] as string)) as number[]).push(r); }
      for (const [sid, sRows] of subRows) {
        if (sRows.length === 0) continue;
        sRows.sort((a, b) => a - b);
        const sprev = prevNodes.get(sid);
        const sn = makeNode(ctx, sid, gid, scope, sRows, sparseOfRows(ctx.matrix, sRows.filter((r) => rowNnz(ctx.matrix, r) > 0)), quotes, sprev?.lineage ?? [{ op: 'create', at, by }]);
        if (sprev?.labelByHuman) { sn.label = sprev.label; sn.labelByHuman = true; }
        subs.push(sn);
        for (const r of sRows) membership[ctx.items[r]?.id as string] = sid;
      }
    }
    if (empty.length) {
      const oid = `${p}autres`;
      groups.push(makeNode(ctx, oid, null, scope, empty, null, quotes, prevNodes.get(oid)?.lineage ?? [{ op: 'create', at, by }]));
      for (const r of empty) membership[ctx.items[r]?.id as string] = oid;
    }
  }
  const json = ctx.vectorizer.toJSON();
  return {
    type: 'fabrique.grouping', version: GROUPING_VERSION, seed, byTheme, threshold: o.threshold ?? previous?.threshold ?? 0.1,
    vectorizer: json, groups: [...groups, ...subs], membership, pins, retired: previous?.retired.slice() ?? [],
  };
}

/** Ids for new clusters: Hungarian match on overlap with previous groups, then fresh ids `${prefix}${stem}N`. */
function inheritIds(clusters: number[][], prevIds: string[], prevOf: (row: number) => string | undefined, pfx: string, stem: string, previous: GroupingModel | null): string[] {
  const out = new Array<string>(clusters.length).fill('');
  if (prevIds.length) {
    const col = new Map(prevIds.map((id, j) => [id, j]));
    const profit = clusters.map((rows) => { const row = new Array<number>(prevIds.length).fill(0); for (const r of rows) { const j = col.get(prevOf(r) ?? ''); if (j !== undefined) row[j] = (row[j] as number) + 1; } return row; });
    hungarianMax(profit).forEach((j, i) => { if (j >= 0) out[i] = prevIds[j] as string; });
  }
  const taken = new Set<string>([...out.filter(Boolean), ...(previous?.groups.map((g) => g.id) ?? []), ...(previous?.retired.map((g) => g.id) ?? [])]);
  let n = 1;
  for (let i = 0; i < out.length; i++) {
    if (out[i]) continue;
    while (taken.has(`${pfx}${stem}${n}`)) n++;
    out[i] = `${pfx}${stem}${n}`; taken.add(out[i] as string);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the model

/** Members of a group: its own direct members plus its sub-ideas' members, in input order of ids. */
export function membersOf(model: GroupingModel, groupId: string): string[] {
  const ids = new Set([groupId, ...model.groups.filter((g) => g.parent === groupId).map((g) => g.id)]);
  return Object.entries(model.membership).filter(([, g]) => ids.has(g)).map(([c]) => c);
}

export function topGroupOf(model: GroupingModel, contribution: string): string | undefined {
  const g = model.membership[contribution];
  if (g === undefined) return undefined;
  return model.groups.find((x) => x.id === g)?.parent ?? g;
}

function node(model: GroupingModel, id: string): GroupNode {
  const g = model.groups.find((x) => x.id === id);
  if (!g) throw new Error(`grouping: unknown group "${id}"`);
  return g;
}

// ---------------------------------------------------------------------------------------------------------
// Incremental assignment

export interface Assignment { id: string; group: string; similarity: number }

/**
 * Puts new contributions into the existing groups without touching existing memberships: nearest top-group
 * centroid (cosine, within the item's theme when the model is by theme) if ≥ `model.threshold`, then the
 * nearest sub-idea of that group; else the scope's "Autres" group (created when missing). Centroids are not moved.
 */
export function assignNew(model: GroupingModel, items: readonly GroupInput[]): { model: GroupingModel; assignments: Assignment[] } {
  const v = TfidfVectorizer.fromJSON(model.vectorizer);
  const out: GroupingModel = { ...model, groups: model.groups.map((g) => ({ ...g })), membership: { ...model.membership } };
  const assignments: Assignment[] = [];
  for (const it of items) {
    if (out.membership[it.id] !== undefined) throw new Error(`assignNew: "${it.id}" is already grouped`);
    const scope = model.byTheme ? it.theme ?? '' : '';
    const vec = vectorizeOne(v, it.text);
    let best: GroupNode | undefined, bs = -Infinity;
    for (const g of out.groups) {
      if (g.parent !== null || g.others || (g.theme ?? '') !== scope) continue;
      const s = dotSparse(vec, g.centroid);
      if (s > bs) { bs = s; best = g; }
    }
    let target: string;
    if (!best || bs < model.threshold) {
      const oid = `${prefix(scope)}autres`;
      if (!out.groups.some((g) => g.id === oid)) {
        out.groups.push({ id: oid, parent: null, ...(scope ? { theme: scope } : {}), label: OTHERS_LABEL, labelByHuman: false, others: true, keyPhrases: [], quotes: [], spans: [], lineage: [{ op: 'create', at: new Date().toISOString(), by: 'fabrique' }], centroid: { indices: [], values: [] } });
      }
      target = oid; bs = Math.max(0, bs);
    } else {
      target = best.id;
      let bsub: GroupNode | undefined, ss = -Infinity;
      for (const g of out.groups) if (g.parent === best.id) { const s = dotSparse(vec, g.centroid); if (s > ss) { ss = s; bsub = g; } }
      if (bsub) target = bsub.id;
    }
    out.membership[it.id] = target;
    assignments.push({ id: it.id, group: target, similarity: Number(bs.toFixed(4)) });
  }
  return { model: out, assignments };
}

// ---------------------------------------------------------------------------------------------------------
// Human operations (each returns a new model; the input model is not modified)

export interface Actor { by: string; at?: string }

function clone(model: GroupingModel): GroupingModel {
  return { ...model, groups: model.groups.map((g) => ({ ...g, lineage: g.lineage.slice() })), membership: { ...model.membership }, pins: { ...model.pins }, retired: model.retired.slice() };
}

export function renameGroup(model: GroupingModel, groupId: string, label: string, who: Actor): GroupingModel {
  const m = clone(model);
  const g = node(m, groupId);
  const to = label.trim();
  if (!to) throw new Error('renameGroup: empty label');
  g.lineage.push({ op: 'rename', at: who.at ?? new Date().toISOString(), by: who.by, from: g.label, to });
  g.label = to; g.labelByHuman = true;
  return m;
}

/** Moves a contribution to a group (top group or sub-idea); the membership is pinned for reruns. */
export function moveContribution(model: GroupingModel, contribution: string, toGroup: string, who: Actor): GroupingModel {
  const m = clone(model);
  const from = m.membership[contribution];
  if (from === undefined) throw new Error(`moveContribution: unknown contribution "${contribution}"`);
  let target = node(m, toGroup);
  // a top group with sub-ideas: land in its largest sub-idea
  const children = m.groups.filter((g) => g.parent === target.id);
  if (children.length) {
    const size = (id: string): number => Object.values(m.membership).filter((x) => x === id).length;
    target = children.slice().sort((a, b) => size(b.id) - size(a.id))[0] as GroupNode;
  }
  m.membership[contribution] = target.id;
  m.pins[contribution] = target.id;
  target.lineage.push({ op: 'move', at: who.at ?? new Date().toISOString(), by: who.by, contribution, from, to: target.id });
  return m;
}

/**
 * Merges groups (all top groups, or all sub-ideas of one parent) into the first one. The others are retired;
 * every member of the merged group is pinned to it (a human decided they belong together).
 */
export function mergeGroups(model: GroupingModel, groupIds: readonly string[], who: Actor): GroupingModel {
  if (groupIds.length < 2) throw new Error('mergeGroups: give at least two groups');
  const m = clone(model);
  const [intoId, ...rest] = groupIds as [string, ...string[]];
  const into = node(m, intoId);
  for (const id of rest) {
    const g = node(m, id);
    if (g.parent !== into.parent) throw new Error('mergeGroups: groups must be at the same level (same parent)');
    for (const c of Object.keys(m.membership)) if (m.membership[c] === id) m.membership[c] = into.id;
    for (const s of m.groups) if (s.parent === id) s.parent = into.id;
    m.retired.push({ id: g.id, label: g.label, lineage: g.lineage });
  }
  m.groups = m.groups.filter((g) => !rest.includes(g.id));
  into.lineage.push({ op: 'merge', at: who.at ?? new Date().toISOString(), by: who.by, from: rest.slice() });
  for (const c of membersOf(m, into.id)) m.pins[c] = m.membership[c] as string;
  return m;
}

/**
 * Splits a group: each part (a list of its member ids) becomes a new sibling group; the remaining members stay.
 * Members of the new groups are pinned to them.
 */
export function splitGroup(model: GroupingModel, groupId: string, parts: readonly (readonly string[])[], who: Actor, labels?: readonly string[]): GroupingModel {
  const m = clone(model);
  const g = node(m, groupId);
  const members = new Set(membersOf(m, groupId));
  const at = who.at ?? new Date().toISOString();
  const taken = new Set([...m.groups.map((x) => x.id), ...m.retired.map((x) => x.id)]);
  const base = g.parent === null ? `${prefix(g.theme ?? '')}g` : `${g.parent}.`;
  const into: string[] = [];
  let n = 1;
  parts.forEach((part, pi) => {
    if (part.length === 0) throw new Error('splitGroup: empty part');
    for (const c of part) if (!members.has(c)) throw new Error(`splitGroup: "${c}" is not a member of ${groupId}`);
    while (taken.has(`${base}${n}`)) n++;
    const id = `${base}${n}`; taken.add(id); into.push(id);
    const label = labels?.[pi]?.trim();
    m.groups.push({ ...g, id, label: label || `${g.label} (${pi + 2})`, labelByHuman: Boolean(label), quotes: part.slice(0, 3), spans: [], keyPhrases: [], lineage: [{ op: 'create', at, by: who.by }] });
    for (const c of part) { m.membership[c] = id; m.pins[c] = id; }
  });
  g.lineage.push({ op: 'split', at, by: who.by, into });
  return m;
}

/**
 * Reruns the grouping on (possibly changed) items and keeps the human decisions of `previous`: the same number
 * of groups per scope (so merges and splits hold), ids inherited by maximum overlap (so renamed labels and
 * lineage follow their group), pinned memberships applied, and the previous vectoriser replaced by one fitted on
 * the new items. Deterministic for a given seed.
 */
export function regroup(previous: GroupingModel, items: readonly GroupInput[], seed: number, o: Omit<GroupOptions, 'seed' | 'byTheme'> = {}): GroupingModel {
  const ctx = buildContext(items);
  return withLabels(ctx, buildModel(ctx, previous.byTheme, { ...o, seed, threshold: previous.threshold }, previous));
}

/** Output shape of `runGroup`: groups with their member ids. */
export interface GroupOutput {
  id: string;
  label: string;
  parent: string | null;
  theme?: string;
  count: number;
  members: string[];
  quotes: string[];
  spans: QuoteSpan[];
  keyPhrases: string[];
  labelByHuman: boolean;
  others: boolean;
}

export function groupsOutput(model: GroupingModel, order: readonly string[] = Object.keys(model.membership)): GroupOutput[] {
  const pos = new Map(order.map((id, i) => [id, i]));
  const direct = new Map<string, string[]>();
  for (const [c, g] of Object.entries(model.membership)) { let a = direct.get(g); if (!a) { a = []; direct.set(g, a); } a.push(c); }
  const children = new Map<string, string[]>();
  for (const g of model.groups) if (g.parent !== null) { let a = children.get(g.parent); if (!a) { a = []; children.set(g.parent, a); } a.push(g.id); }
  return model.groups.map((g) => {
    const members = [g.id, ...(children.get(g.id) ?? [])].flatMap((id) => direct.get(id) ?? [])
      .sort((a, b) => (pos.get(a) ?? 0) - (pos.get(b) ?? 0));
    const set = new Set(members);
    return {
      id: g.id, label: g.label, parent: g.parent, ...(g.theme ? { theme: g.theme } : {}), count: members.length, members,
      quotes: g.quotes.filter((q) => set.has(q)), spans: g.spans.filter((s) => set.has(s.id)), keyPhrases: g.keyPhrases,
      labelByHuman: g.labelByHuman, others: g.others,
    };
  });
}
