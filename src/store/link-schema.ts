/**
 * Row types of the traceability links (migration 0020_links). Kept apart from schema.ts, which only extends
 * them into its Database type.
 */
import type { Generated } from 'kysely';

/** One link between a source (contribution, idea group, plan item) and a plan element, or a source's null-target decision. */
export interface PlanLinkRow {
  id: string;
  plan_id: string;
  consultation: string | null;
  /** 'contribution' | 'idea' | 'planItem' */
  source_kind: string;
  source_id: string;
  /** element code; null for national and not_taken_up */
  target: string | null;
  kind: string;
  status: string;
  score: number | null;
  /** suggested rows: the source's fit when suggested (0021_link_fit); null otherwise */
  source_fit: number | null;
  evidence_json: string;
  model: string | null;
  model_version: string | null;
  note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

/** One decision on a source: the links it touched as they were before and after (JSON arrays of PlanLink). */
export interface PlanLinkHistoryRow {
  id: Generated<number>;
  plan_id: string;
  consultation: string | null;
  /** the link the decision was about (what the undo names) */
  link_id: string;
  source_kind: string;
  source_id: string;
  decision: string;
  before_json: string;
  after_json: string;
  actor: string;
  at: string;
  undone_at: string | null;
}

export interface LinkTables {
  plan_links: PlanLinkRow;
  plan_link_history: PlanLinkHistoryRow;
}
