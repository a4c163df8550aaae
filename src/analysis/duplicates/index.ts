/** Exact / near duplicates (MinHash + LSH, verified by Jaccard) and copy-paste campaigns. */
export {
  findDuplicates, countCampaignsOnce, normalizeForDuplicates, shingles, duplicateFeatures, jaccard, minhash, fmix32,
  type DuplicateOptions, type DuplicateGroup, type Campaign, type DuplicatesResult,
} from './minhash.ts';
export { runDuplicates, type RunDuplicatesOptions } from './jsonl.ts';
export { startDuplicates, OFF_THREAD_MIN, type PendingDuplicates } from './offthread.ts';
