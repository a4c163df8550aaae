/**
 * Row types of the schéma territorial de santé (migration 0019_plan). Kept apart from schema.ts, which
 * only extends them into its Database type.
 */
export interface PlanCatalogueRow {
  /** INSEE code of the région whose template the schemes follow (« 76 » Occitanie) */
  region: string;
  code: string;
  kind: string;
  /** the catalogue's one title: the first scheme imported words it (each plan keeps its own in plan_elements) */
  title: string;
  first_plan: string;
}

export interface PlanRow {
  id: string;
  /** département code (« 46 ») */
  territory: string;
  territory_name: string;
  region: string;
  title: string;
  period_start: number | null;
  period_end: number | null;
  document_sha256: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  parser: string;
  parser_version: string;
  /** the consultation the plan answers (null: imported with --plan, no consultation) */
  consultation: string | null;
  missing_figures_json: string;
  source_json: string;
  imported_at: string;
  imported_by: string;
}

/** One engagement, défi or objective of a plan, with its fields as printed. */
export interface PlanElementRow {
  plan_id: string;
  code: string;
  kind: string;
  parent_code: string | null;
  number: number;
  position: number;
  /** the title this plan prints (may differ from the catalogue's) */
  title: string;
  enjeux: string | null;
  defi_a_relever: string | null;
  constats: string | null;
  objectif: string | null;
  resultats_attendus: string | null;
  chiffres_cles: string | null;
  parole_citoyen: string | null;
  objectif_regional: string | null;
  themes_json: string;
  parcours_json: string;
  mots_cles_json: string;
  listed_objectives_json: string;
  resultats_items_json: string;
  source_json: string;
}

export interface PlanActionRow {
  plan_id: string;
  objective_code: string;
  position: number;
  text: string;
  placement: string;
  source_json: string;
}

export interface PlanOqosRow {
  plan_id: string;
  position: number;
  activity: string;
  activity_index: number;
  table_title: string;
  table_index: number;
  regime: string | null;
  zone: string | null;
  modalite: string | null;
  mention: string | null;
  mention_na: number;
  group_label: string | null;
  /** OqosValue as JSON ({ kind, value | min/max, raw }), null when the table has no such single column */
  existing_json: string | null;
  target_json: string | null;
  cells_json: string;
  starred: number;
  raw: string;
  source_json: string;
}

export interface PlanItemRow {
  plan_id: string;
  position: number;
  section: string;
  group_label: string | null;
  text: string;
  source_json: string;
}

export interface PlanWarningRow {
  plan_id: string;
  position: number;
  level: string;
  code: string;
  message: string;
  source_json: string | null;
}

export interface PlanTables {
  plan_catalogue: PlanCatalogueRow;
  plans: PlanRow;
  plan_elements: PlanElementRow;
  plan_actions: PlanActionRow;
  plan_oqos: PlanOqosRow;
  plan_items: PlanItemRow;
  plan_warnings: PlanWarningRow;
}

