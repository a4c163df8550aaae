/** Grouping contributions into common ideas (two levels), incremental assignment, human operations, metrics. */
export {
  groupContributions, assignNew, regroup, renameGroup, moveContribution, mergeGroups, splitGroup, groupsOutput,
  membersOf, topGroupOf, cleanLabel, bestSentence, GROUPING_VERSION, OTHERS_LABEL,
  type GroupInput, type GroupNode, type GroupingModel, type GroupOptions, type GroupOutput, type QuoteSpan, type Assignment, type Actor,
} from './model.ts';
export { runGroup, parseGroupInput, type RunGroupOptions, type RunGroupSummary } from './jsonl.ts';
export {
  adjustedRandIndex, normalizedMutualInformation, mutualInformation, pairwiseF1, bestMatchAgreement, hungarianMax, contingency,
  type PairwiseScores, type Contingency,
} from './metrics.ts';
export { clusterRows, prng, deriveSeed, localMatrix, type ClusterOptions, type ClusterResult } from './kmeans.ts';
export { vectorizeTexts, vectorizeOne, type CsrMatrix } from './matrix.ts';
