import type { Provenance } from './contribution.ts';

export interface IdeaMember {
  contribution: string;
  provenance: Provenance;
}

export type LineageEvent =
  | { op: 'create'; at: string; by: string }
  | { op: 'rename'; at: string; by: string; from: string; to: string }
  | { op: 'merge'; at: string; by: string; from: string[] }
  | { op: 'split'; at: string; by: string; into: string[] }
  | { op: 'move'; at: string; by: string; contribution: string; from: string; to: string };

/** A common idea. Groups nest: a top-level group (parent null) holds sub-ideas. */
export interface IdeaGroup {
  id: string;
  consultation: string;
  parent: string | null;
  theme?: string;
  label: string;
  /** true once a human renamed the label: reruns keep it */
  labelByHuman: boolean;
  members: IdeaMember[];
  /** ids of contributions whose text is quoted as representative */
  quotes: string[];
  lineage: LineageEvent[];
  /** for human syntheses imported from documents: the count as stated in the document */
  statedCount?: number;
}
