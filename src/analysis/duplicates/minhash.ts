/**
 * Exact and near duplicates, and copy-paste campaigns.
 *
 * - Exact: same normalised text (NFC, case- and accent-folded, punctuation and spacing ignored).
 * - Near: MinHash signatures (seeded family of 32-bit hash functions) over the words and word shingles of the
 *   normalised text, LSH banding to find candidates, each candidate verified by the exact Jaccard similarity.
 * - Sets are tight (leader clustering, no transitive chains): every member is within the threshold of the set's
 *   representative, the text with the most copies.
 * - Campaigns: sets (exact + near) of at least `campaignMinSize` contributions.
 * - Non-answers ("RAS", "aucune idée", "/": src/domain/non-answers.ts) are set aside like empty texts: twelve
 *   "RAS" are not a campaign.
 * Cost is linear in the total text length plus a sort per band; identical texts are hashed once.
 */
import { isNonAnswer } from '../../domain/non-answers.ts';
import { fnv1a } from '../random.ts';
import { foldAccents, normalizeText } from '../text/index.ts';

export interface DuplicateOptions {
  /** words per shingle (default 3) */
  shingle?: number;
  /** LSH bands × rows per band = number of MinHash functions (default 20 × 3: a pair at the 0.6 threshold is a
   *  candidate with probability 0.99, one at 0.7 with 0.9998; sets are not chained, so a missed pair is not made up for) */
  bands?: number;
  rows?: number;
  /** Jaccard similarity of word + shingle sets at or above which a text joins a set's representative (default 0.6) */
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
  /** smallest Jaccard similarity of a member to the representative (1 for exact), never below the threshold */
  similarity: number;
  representative: string;
}

export interface Campaign { ids: string[]; size: number; representative: string; kind: 'exact' | 'near' }

export interface DuplicatesResult {
  duplicates: DuplicateGroup[];
  campaigns: Campaign[];
  stats: { items: number; distinctTexts: number; nonAnswers: number; candidatePairs: number; verifiedPairs: number };
}

/** Text as compared for duplicates: lowercase, accent-folded, letters and digits only, single spaces. */
export function normalizeForDuplicates(text: string, maxChars = 100_000): string {
  const s = text.length > maxChars ? text.slice(0, maxChars) : text;
  return foldAccents(normalizeText(s).toLowerCase()).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
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

/**
 * What two texts are compared on: their words and their word shingles together (sorted distinct hashes). The words
 * keep a swapped or mistyped word in a short text from costing it every shingle around it, which only transitive
 * chains used to make up for; the shingles keep word order mattering.
 */
export function duplicateFeatures(normalized: string, size = 3): Uint32Array {
  if (normalized.length === 0) return new Uint32Array(0);
  const sh = shingles(normalized, size);
  const words = normalized.split(' ');
  const a = new Uint32Array(sh.length + words.length);
  a.set(sh);
  words.forEach((w, i) => { a[sh.length + i] = fnv1a(w, 0x2f1b3c4d); });
  a.sort();
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

/** Candidates compared per leader and LSH bucket at most. */
const MAX_BUCKET_SCAN = 2000;

/** Finds exact and near duplicates and campaigns among items `{id, text}`. Deterministic for a given seed. */
export function findDuplicates(items: readonly { id: string; text: string }[], o: DuplicateOptions = {}): DuplicatesResult {
  const size = o.shingle ?? 3, bands = o.bands ?? 20, rows = o.rows ?? 3, threshold = o.threshold ?? 0.6;
  const minCampaign = o.campaignMinSize ?? 5;
  const nh = bands * rows;
  const seeds = new Uint32Array(nh);
  for (let f = 0; f < nh; f++) seeds[f] = fmix32((o.seed ?? 1) * 0x9e3779b1 + f * 0x7f4a7c15 + 1);

  // 1. exact: distinct normalised texts (non-empty only)
  const distinctOf = new Int32Array(items.length).fill(-1);
  const byText = new Map<string, number>();
  const distinctText: string[] = [];
  let nonAnswers = 0;
  items.forEach((it, i) => {
    if (isNonAnswer(it.text)) { nonAnswers++; return; }
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
    const sh = duplicateFeatures(distinctText[d] as string, size);
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

  // 3. LSH buckets per band (distinct texts sharing a band key), kept only when they hold two texts or more
  const bucketOf: Int32Array[] = [];
  const bucketStart: Int32Array[] = [];
  const bucketMembers: Int32Array[] = [];
  const packed = new Float64Array(D);
  for (let b = 0; b < bands; b++) {
    const keys = bandKeys[b] as Uint32Array;
    for (let d = 0; d < D; d++) packed[d] = ((keys[d] as number) >>> 1) * 4194304 + d; // 31-bit key·2²² + d < 2⁵³ (D < 4M)
    bandKeys[b] = new Uint32Array(0);
    packed.sort();
    const of = new Int32Array(D).fill(-1);
    const starts: number[] = [];
    const members: number[] = [];
    let start = 0;
    for (let i = 1; i <= D; i++) {
      if (i < D && Math.floor((packed[i] as number) / 4194304) === Math.floor((packed[start] as number) / 4194304)) continue;
      if (i - start >= 2) {
        const id = starts.length;
        starts.push(members.length);
        for (let x = start; x < i; x++) { const d = (packed[x] as number) % 4194304; members.push(d); of[d] = id; }
      }
      start = i;
    }
    starts.push(members.length);
    bucketOf.push(of); bucketStart.push(Int32Array.from(starts)); bucketMembers.push(Int32Array.from(members));
  }
  if (D >= 4194304) throw new Error('findDuplicates: more than 4,194,303 distinct texts');

  // 4. Leader clustering, never chains: distinct texts are taken by decreasing number of copies (then input
  // order); each one not yet placed leads a set, and a candidate joins only when its own Jaccard similarity
  // to the leader reaches the threshold. A~B~C~D with A far from D cannot make one set, as union-find did.
  const copies = new Uint32Array(D);
  const firstItem = new Int32Array(D).fill(-1);
  items.forEach((_, i) => { const d = distinctOf[i] as number; if (d >= 0) { copies[d] = (copies[d] as number) + 1; if (firstItem[d] === -1) firstItem[d] = i; } });
  const order = Array.from({ length: D }, (_, d) => d).sort((a, b) => (copies[b] as number) - (copies[a] as number) || (firstItem[a] as number) - (firstItem[b] as number));
  const leaderOf = new Int32Array(D).fill(-1);
  const simToLeader = new Float32Array(D).fill(1);
  const lastSeenBy = new Int32Array(D).fill(-1);
  let candidatePairs = 0, verifiedPairs = 0;
  for (const lead of order) {
    if (leaderOf[lead] !== -1) continue;
    leaderOf[lead] = lead;
    lastSeenBy[lead] = lead;
    const shLead = shOf(lead);
    for (let b = 0; b < bands; b++) {
      const bucket = (bucketOf[b] as Int32Array)[lead] as number;
      if (bucket < 0) continue;
      const members = bucketMembers[b] as Int32Array, starts = bucketStart[b] as Int32Array;
      // a huge bucket (many very short texts) is scanned up to a bound per leader, so the cost stays near linear
      let budget = MAX_BUCKET_SCAN;
      for (let x = starts[bucket] as number; x < (starts[bucket + 1] as number) && budget > 0; x++) {
        const d = members[x] as number;
        if (leaderOf[d] !== -1 || lastSeenBy[d] === lead) continue;
        lastSeenBy[d] = lead;
        budget--;
        candidatePairs++;
        const sim = jaccard(shLead, shOf(d));
        if (sim >= threshold) { verifiedPairs++; leaderOf[d] = lead; simToLeader[d] = sim; }
      }
    }
  }

  // 5. sets over items: each leader's copies and its members' copies
  const comp = new Map<number, number[]>();
  items.forEach((_, i) => {
    const d = distinctOf[i] as number;
    if (d < 0) return;
    const r = leaderOf[d] as number;
    let a = comp.get(r); if (!a) { a = []; comp.set(r, a); } a.push(i);
  });
  const duplicates: DuplicateGroup[] = [];
  const campaigns: Campaign[] = [];
  for (const [repD, members] of comp) {
    if (members.length < 2) continue;
    const distinct = new Set(members.map((i) => distinctOf[i] as number));
    let sim = 1;
    for (const d of distinct) sim = Math.min(sim, simToLeader[d] as number);
    const kind = distinct.size === 1 ? 'exact' : 'near';
    const ids = members.map((i) => (items[i] as { id: string }).id);
    const representative = (items[firstItem[repD] as number] as { id: string }).id;
    duplicates.push({ ids, kind, similarity: Number(sim.toFixed(4)), representative });
    if (members.length >= minCampaign) campaigns.push({ ids, size: members.length, representative, kind });
  }
  const first = (g: { ids: string[] }): string => g.ids[0] as string;
  const position = new Map(items.map((it, i) => [it.id, i]));
  duplicates.sort((a, b) => (position.get(first(a)) as number) - (position.get(first(b)) as number));
  campaigns.sort((a, b) => b.size - a.size || (position.get(first(a)) as number) - (position.get(first(b)) as number));
  return { duplicates, campaigns, stats: { items: items.length, distinctTexts: D, nonAnswers, candidatePairs, verifiedPairs } };
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
