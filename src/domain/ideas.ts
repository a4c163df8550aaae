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

/**
 * What the analysis page says once « Annuler la dernière action » has undone one of the audited edits
 * (`UNDOABLE` in src/usecases/analysis.ts; test/french-wording.test.ts checks each has its sentence).
 */
export const UNDONE_MESSAGES: Readonly<Record<string, string>> = {
  'groups.rename': 'Le changement d’intitulé du groupe est annulé.',
  'groups.merge': 'La fusion des groupes est annulée.',
  'groups.split': 'La séparation du groupe est annulée.',
  'groups.move': 'Le déplacement de la contribution est annulé.',
  'themes.accept': 'L’acceptation du thème proposé est annulée.',
  'themes.reject': 'Le refus du thème proposé est annulé.',
};

/** The sentence for an undone action (a general one for an action this version does not name). */
export function undoneMessage(action: string): string {
  return UNDONE_MESSAGES[action] ?? 'La dernière action est annulée.';
}
