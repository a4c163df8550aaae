/**
 * Row types of the follow-up actions (migration 0022_actions). Kept apart from schema.ts, which only extends
 * them into its Database type.
 */
import type { Generated } from 'kysely';

/** One follow-up action of a plan, under one of its objectives (a child action: under a parent action). */
export interface FollowupActionRow {
  id: string;
  plan_id: string;
  objective_code: string;
  parent_id: string | null;
  weight: number;
  title: string;
  description: string | null;
  owner_organisation: string | null;
  owner_contact: string | null;
  partners_json: string;
  /** 'territorial' | 'national' */
  scope: string;
  /** ActionStatus code */
  status: string;
  /** why it was abandoned (required with 'abandonnee') */
  status_reason: string | null;
  start_date: string | null;
  due_date: string | null;
  /** entered progress 0–100; null: never entered, or computed from the children */
  progress: number | null;
  /** euros, where known */
  budget: number | null;
  /** SourceRef JSON of an imported action; null for one entered by hand */
  source_json: string | null;
  /** what makes an import idempotent: the plan action's source span (stable across objective renames) */
  import_key: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

/** One dated change of an action: who, which fields before → after, an optional public comment. */
export interface FollowupTimelineRow {
  id: Generated<number>;
  action_id: string;
  plan_id: string;
  at: string;
  actor: string;
  /** 'created' | 'updated' */
  kind: string;
  /** { field: { before, after } } */
  changes_json: string;
  comment: string | null;
}

/** An account that manages an action (migration 0024_action_accounts): it may update it besides the analysts. */
export interface ActionAccountRow {
  action_id: string;
  user_id: string;
  assigned_at: string;
  assigned_by: string;
}

export interface FollowupTables {
  followup_actions: FollowupActionRow;
  followup_timeline: FollowupTimelineRow;
  action_accounts: ActionAccountRow;
}
