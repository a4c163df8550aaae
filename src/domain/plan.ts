/** The schéma territorial de santé: engagements → défis → objectifs opérationnels → actions. */
export interface Plan {
  id: string;
  territory: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  engagements: Engagement[];
}

export interface Engagement {
  /** number in the regional catalogue: "1".."6" */
  code: string;
  label: string;
  defis: Defi[];
}

export interface Defi {
  /** catalogue code, e.g. "E1D4" */
  code: string;
  label: string;
  objectives: Objective[];
}

export interface Objective {
  /** catalogue code, e.g. "E1D4O6" */
  code: string;
  label: string;
  constats?: string;
  objectif?: string;
  resultatsAttendus?: string;
  enPratique?: string;
  themes: string[];
  parcours: string[];
  /** contributions (proposals) linked to this objective */
  linkedContributions: string[];
  actions: Action[];
}

export type ActionStatus = 'prevue' | 'en_cours' | 'realisee' | 'abandonnee';

export interface Action {
  id: string;
  label: string;
  owner?: string;
  status: ActionStatus;
  /** 0..100 */
  progress?: number;
  indicators: Indicator[];
}

export interface Indicator {
  id: string;
  label: string;
  unit?: string;
  territory: string;
  /** value for the territory; null when the source lost it (e.g. with a chart) */
  value: number | null;
  regionValue?: number | null;
  franceValue?: number | null;
  year?: number;
  target?: number;
  source?: string;
}

/** The fields of a stored plan element a correction may change (the printed text fields, the title, the code). */
export const PLAN_ELEMENT_FIELDS = ['title', 'code', 'enjeux', 'defiARelever', 'constats', 'objectif', 'resultatsAttendus', 'chiffresCles', 'paroleCitoyen', 'objectifRegional'] as const;
export type PlanElementField = (typeof PLAN_ELEMENT_FIELDS)[number];
export type PlanElementKind = 'engagement' | 'defi' | 'objective';

/** Which fields each kind of element prints, hence may be corrected (the API and the back-office form read it). */
export const CORRECTABLE_FIELDS: Record<PlanElementKind, readonly PlanElementField[]> = {
  engagement: ['title', 'code'],
  defi: ['title', 'code', 'enjeux', 'objectifRegional'],
  objective: ['title', 'code', 'defiARelever', 'constats', 'objectif', 'resultatsAttendus', 'chiffresCles', 'paroleCitoyen', 'objectifRegional'],
};

/** French names of the fields, for messages and form labels. */
export const PLAN_FIELD_LABELS: Record<PlanElementField, string> = {
  title: 'Titre', code: 'Code', enjeux: 'Enjeux', defiARelever: 'Le défi à relever', constats: 'Les constats', objectif: 'L’objectif',
  resultatsAttendus: 'Les résultats attendus', chiffresCles: 'Chiffres-clés', paroleCitoyen: 'Parole de citoyen', objectifRegional: 'Objectif régional de rattachement',
};
