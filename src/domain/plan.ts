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
