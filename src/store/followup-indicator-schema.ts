/** Row types of the follow-up indicators (migration 0023_followup_indicators), extended into schema.ts's Database. */
export interface FollowupIndicatorRow {
  id: string;
  plan_id: string;
  objective_code: string | null;
  label: string;
  unit: string;
  territory: string;
  baseline_value: number;
  baseline_date: string | null;
  baseline_source: string;
  /** SourceRef JSON of the plan's text the baseline was read from */
  baseline_source_json: string | null;
  /** value | range | direction */
  target_kind: string;
  target_value: number | null;
  target_min: number | null;
  target_max: number | null;
  target_direction: string | null;
  due_date: string | null;
  /** oqos | manual */
  origin: string;
  origin_key: string | null;
  position: number;
  created_by: string;
  created_at: string;
}

export interface FollowupMeasurementRow {
  id: string;
  indicator_id: string;
  value: number;
  date: string;
  source: string;
  entered_by: string;
  entered_at: string;
}

export interface FollowupIndicatorTables {
  followup_indicators: FollowupIndicatorRow;
  followup_measurements: FollowupMeasurementRow;
}
