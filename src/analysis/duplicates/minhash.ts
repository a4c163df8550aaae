/**
 * Exact and near duplicates, and copy-paste campaigns.
 *
 * - Exact: same normalised text (NFC, case- and accent-folded, punctuation and spacing ignored).
 * - Near: MinHash signatures (seeded family of 32-bit hash functions) over word shingles of the normalised text,
 *   LSH banding to find candidates, each candidate verified by the exact Jaccard similarity of the shingle sets.
 * - Campaigns: connected components (exact + near) of at least `campaignMinSize` contributions.
 * Cost is linear in the total text length plus a sort per band; identical texts are hashed once.
 */
import { foldAccents, normalizeText } from '../text/index.ts';

export interface DuplicateOptions {
  /** words per shingle (default 3) */
  shingle?: number;
  /** LSH bands × rows per band = number of MinHash functions (default 16 × 4 → candidate threshold ≈ 0.5) */
  bands?: number;
  rows?: number;
  /** Jaccard similarity of shingle sets at or above which two texts are near duplicates (default 0.6) */
  threshold?: number;
  /** smallest component reported as a campaign (default 5) */
  campaignMinSize?: number;
  seed?: number;
  /** texts are compared on at most this many characters (default 100,000) */
  maxChars?: number;
}

export interface DuplicateGroup {
  /** member ids, in input order */
  ids: string[];
  /** 'exact' when every member has the same normalised text */
  kind: 'exact' | 'near';
  /** smallest Jaccard similarity of a member to the representative (1 for exact) */
  similarity: number;
  representative: string;
}

export interface Campaign { ids: string[]; size: number; representative: string; kind: 'exact' | 'near' }

export interface DuplicatesResult {
  duplicates: DuplicateGroup[];
  campaigns: Campaign[];
  stats: { items: number; distinctTexts: number; candidatePairs: number; verifiedPairs: number };
}

/** Text as compared for duplicates: lowercase, accent-folded, letters and digits only, single spaces. */
export function normalizeForDuplicates(text: string, maxChars = 100_000): string {
  const s = text.length > maxChars ? text.slice(0, maxChars) : text;
  return foldAccents(normalizeText(s).toLowerCase()).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}

/** murmur3 finaliser: a good 32-bit mixer. */
export function fmix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

/** Sorted distinct 32-bit hashes of the word shingles of a normalised text (one shingle when shorter). */
export function shingles(normalized: string, size = 3): Uint32Array {
  if (normalized.length === 0) return new Uint32Array(0);
  const words = normalized.split(' ');
  const hs: number[] = [];
  if (words.length <= size) hs.push(fnv1a(words.join(' ')));
  else for (let i = 0; i + size <= words.length; i++) hs.push(fnv1a(words.slice(i, i + size).join(' ')));
  const a = Uint32Array.from(hs).sort();
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[k++] = a[i] as number;
  return a.slice(0, k);
}

/** Jaccard similarity of two sorted sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0, j = 0, inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number, y = b[j] as number;
    if (x === y) { inter++; i++; j++; } else if (x < y) i++; else j++;
  }
  return inter / (a.length + b.length - inter);
}

/** MinHash signature: for each of `n` seeded hash functions, the minimum over the shingles. */
export function minhash(sh: Uint32Array, n: number, seeds: Uint32Array, out = new Uint32Array(n)): Uint32Array {
  out.fill(0xffffffff);
  for (let s = 0; s < sh.length; s++) {
    const x = sh[s] as number;
    for (let f = 0; f < n; f++) { const h = fmix32(x ^ (seeds[f] as number)); if (h < (out[f] as number)) out[f] = h; }
  }
  return out;
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) { this.parent = new Int32Array(n).map((_, i) => i); }
  find(i: number): number { const p = this.parent; while (p[i] !== i) { p[i] = p[p[i] as number] as number; i = p[i] as number; } return i; }
  union(a: number, b: number): boolean {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra; else this.parent[ra] = rb;
    return true;
  }
}

/** Finds exact and near duplicates and campaigns among items `{id, text}`. Deterministic for a given seed. */
export function findDuplicates(items: readonly { id: string; text: string }[], o: DuplicateOptions = {}): DuplicatesResult {
  const size = o.shingle ?? 3, bands = o.bands ?? 16, rows = o.rows ?? 4, threshold = o.threshold ?? 0.6;
  const minCampaign = o.campaignMinSize ?? 5;
  const nh = bands * rows;
  const seeds = new Uint32Array(nh);
  for (let f = 0; f < nh; f++) seeds[f] = fmix32((o.seed ?? 1) * 0x9e3779b1 + f * 0x7f4a7c15 + 1);

  // 1. exact: distinct normalised texts (non-empty only)
  const distinctOf = new Int32Array(items.length).fill(-1);
  const byText = new Map<string, number>();
  const distinctText: string[] = [];
  items.forEach((it, i) => {
    const t = normalizeForDuplicates(it.text, o.maxChars);
    if (t.length === 0) return;
    let d = byText.get(t);
    if (d === undefined) { d = distinctText.length; byText.set(t, d); distinctText.push(t); }
    distinctOf[i] = d;
  });
  byText.clear();
  const D = distinctText.length;

  // 2. shingles (CSR) and LSH band keys
  const shOff = new Uint32Array(D + 1);
  const shParts: Uint32Array[] = [];
  let total = 0;
  const bandKeys: Uint32Array[] = Array.from({ length: bands }, () => new Uint32Array(D));
  const sig = new Uint32Array(nh);
  for (let d = 0; d < D; d++) {
    const sh = shingles(distinctText[d] as string, size);
    shParts.push(sh); total += sh.length; shOff[d + 1] = total;
    minhash(sh, nh, seeds, sig);
    for (let b = 0; b < bands; b++) {
      let h = 0x9747b28c ^ b;
      for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h, 31) ^ (sig[b * rows + r] as number));
      (bandKeys[b] as Uint32Array)[d] = h;
    }
  }
  distinctText.length = 0;
  const shAll = new Uint32Array(total);
  shParts.forEach((p, d) => shAll.set(p, shOff[d] as number));
  shParts.length = 0;
  const shOf = (d: number): Uint32Array => shAll.subarray(shOff[d] as number, shOff[d + 1] as number);

  // 3. candidates per band (sort by key), verified by Jaccard; union-find skips pairs already connected
  const uf = new UnionFind(D);
  let candidatePairs = 0, verifiedPairs = 0;
  const packed = new Float64Array(D);
  const check = (a: number, b: number): void => {
    if (uf.find(a) === uf.find(b)) return;
    candidatePairs++;
    if (jaccard(shOf(a), shOf(b)) >= threshold) { verifiedPairs++; uf.union(a, b); }
  };
  for (let b = 0; b < bands; b++) {
    const keys = bandKeys[b] as Uint32Array;
    for (let d = 0; d < D; d++) packed[d] = ((keys[d] as number) >>> 1) * 4194304 + d; // 31-bit key·2²² + d < 2⁵³ (D < 4M)
    packed.sort();
    let start = 0;
    for (let i = 1; i <= D; i++) {
      if (i < D && Math.floor((packed[i] as number) / 4194304) === Math.floor((packed[start] as number) / 4194304)) continue;
      const m = i - start;
      if (m >= 2) {
        const ids = Array.from(packed.subarray(start, i), (v) => v % 4194304);
        if (m <= 32) { for (let x = 0; x < m; x++) for (let y = x + 1; y < m; y++) check(ids[x] as number, ids[y] as number); }
        else for (let x = 1; x < m; x++) { check(ids[0] as number, ids[x] as number); check(ids[x - 1] as number, ids[x] as number); }
      }
      start = i;
    }
  }
  if (D >= 4194304) throw new Error('findDuplicates: more than 4,194,303 distinct texts');

  // 4. components over items
  const comp = new Map<number, number[]>();
  items.forEach((_, i) => {
    const d = distinctOf[i] as number;
    if (d < 0) return;
    const r = uf.find(d);
    let a = comp.get(r); if (!a) { a = []; comp.set(r, a); } a.push(i);
  });
  const duplicates: DuplicateGroup[] = [];
  const campaigns: Campaign[] = [];
  for (const members of comp.values()) {
    if (members.length < 2) continue;
    // representative: first item of the most frequent distinct text
    const freq = new Map<number, number>();
    for (const i of members) { const d = distinctOf[i] as number; freq.set(d, (freq.get(d) ?? 0) + 1); }
    let repD = -1, best = -1;
    for (const i of members) { const d = distinctOf[i] as number; const f = freq.get(d) as number; if (f > best) { best = f; repD = d; } }
    const rep = members.find((i) => distinctOf[i] === repD) as number;
    let sim = 1;
    for (const d of freq.keys()) if (d !== repD) sim = Math.min(sim, jaccard(shOf(repD), shOf(d)));
    const kind = freq.size === 1 ? 'exact' : 'near';
    const ids = members.map((i) => (items[i] as { id: string }).id);
    const representative = (items[rep] as { id: string }).id;
    duplicates.push({ ids, kind, similarity: Number(sim.toFixed(4)), representative });
    if (members.length >= minCampaign) campaigns.push({ ids, size: members.length, representative, kind });
  }
  const first = (g: { ids: string[] }): string => g.ids[0] as string;
  const order = new Map(items.map((it, i) => [it.id, i]));
  duplicates.sort((a, b) => (order.get(first(a)) as number) - (order.get(first(b)) as number));
  campaigns.sort((a, b) => b.size - a.size || (order.get(first(a)) as number) - (order.get(first(b)) as number));
  return { duplicates, campaigns, stats: { items: items.length, distinctTexts: D, candidatePairs, verifiedPairs } };
}

/**
 * Number of contributions counting each campaign once: members of a campaign count 1 together.
 * Use it for the counts printed in a synthesis.
 */
export function countCampaignsOnce(ids: readonly string[], result: Pick<DuplicatesResult, 'campaigns'>): number {
  const campaignOf = new Map<string, number>();
  result.campaigns.forEach((c, i) => { for (const id of c.ids) campaignOf.set(id, i); });
  const seen = new Set<number>();
  let n = 0;
  for (const id of ids) {
    const c = campaignOf.get(id);
    if (c === undefined) n++;
    else if (!seen.has(c)) { seen.add(c); n++; }
  }
  return n;
}
