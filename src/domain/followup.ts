/**
 * Follow-up of a schéma territorial de santé (issue 15): the actions that carry out its objectives, their
 * statuses and the rules that move them, and how progress rolls up (child actions → action → objective → plan).
 * Pure: no I/O, no package.
 */

export const ACTION_STATUSES = ['proposee', 'engagee', 'en_cours', 'realisee', 'abandonnee'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  proposee: 'proposée',
  engagee: 'engagée',
  en_cours: 'en cours',
  realisee: 'réalisée',
  abandonnee: 'abandonnée',
};

export const ACTION_SCOPES = ['territorial', 'national'] as const;
export type ActionScope = (typeof ACTION_SCOPES)[number];

/**
 * Which status may follow which. A done action can be reopened (en cours), an abandoned one proposed or
 * engaged again; nothing jumps from proposée straight to réalisée, so that a done action always went through
 * a dated « en cours » entry of its timeline.
 */
export const ACTION_TRANSITIONS: Readonly<Record<ActionStatus, readonly ActionStatus[]>> = {
  proposee: ['engagee', 'en_cours', 'abandonnee'],
  engagee: ['proposee', 'en_cours', 'abandonnee'],
  en_cours: ['engagee', 'realisee', 'abandonnee'],
  realisee: ['en_cours'],
  abandonnee: ['proposee', 'engagee'],
};

export const isActionStatus = (s: unknown): s is ActionStatus => typeof s === 'string' && (ACTION_STATUSES as readonly string[]).includes(s);
export const isActionScope = (s: unknown): s is ActionScope => typeof s === 'string' && (ACTION_SCOPES as readonly string[]).includes(s);

export function mayTransition(from: ActionStatus, to: ActionStatus): boolean {
  return from === to || ACTION_TRANSITIONS[from].includes(to);
}

/** Reads a status as typed by a person: the code or the French label, accents and case optional. */
export function parseActionStatus(input: string): ActionStatus | null {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/[\s-]+/g, '_');
  const n = norm(input);
  return ACTION_STATUSES.find((s) => s === n || norm(ACTION_STATUS_LABELS[s]) === n) ?? null;
}

/** The partners the plan's texts name, each with how it is written: a small closed list, suggestions only. */
export const PARTNERS: readonly { code: string; label: string; pattern: RegExp }[] = [
  { code: 'CPTS', label: 'CPTS (communauté professionnelle territoriale de santé)', pattern: /\bCPTS\b|communautés? professionnelles? territoriales?/iu },
  { code: 'MSP', label: 'MSP (maison de santé pluriprofessionnelle)', pattern: /\bMSP\b|maisons? de santé/iu },
  { code: 'PMI', label: 'PMI (protection maternelle et infantile)', pattern: /\bPMI\b|protection maternelle/iu },
  { code: 'Département', label: 'Département (conseil départemental)', pattern: /\bd[ée]partement\b|conseil d[ée]partemental/iu },
  { code: 'CPAM', label: 'CPAM (assurance maladie)', pattern: /\bCPAM\b|assurance maladie/iu },
  { code: 'DAC', label: 'DAC (dispositif d’appui à la coordination)', pattern: /\bDAC\b|dispositifs? d[’']appui/iu },
  { code: 'CLS', label: 'CLS (contrat local de santé)', pattern: /\bCLS\b|contrats? locaux? de santé/iu },
  { code: 'Éducation nationale', label: 'Éducation nationale', pattern: /[ée]ducation nationale/iu },
  { code: 'GHT', label: 'GHT (groupement hospitalier de territoire)', pattern: /\bGHT\b|groupements? hospitaliers?/iu },
  { code: 'URPS', label: 'URPS (union régionale des professionnels de santé)', pattern: /\bURPS\b/u },
];

/** Partners named by a text, in the list's order; the owner is never inferred (entered by hand). */
export function suggestPartners(text: string): string[] {
  return PARTNERS.filter((p) => p.pattern.test(text)).map((p) => p.code);
}

/** What the progress computation needs of an action. */
export interface ProgressNode {
  id: string;
  parentId: string | null;
  status: ActionStatus;
  /** entered progress 0–100, null when never entered */
  progress: number | null;
  /** share of its parent (child actions) or of its objective; > 0 */
  weight: number;
}

/** The progress nodes of actions (what `actionProgress` and `aggregateProgress` read of them). */
export function progressNodes(actions: readonly ProgressNode[]): ProgressNode[] {
  return actions.map((a) => ({ id: a.id, parentId: a.parentId, status: a.status, progress: a.progress, weight: a.weight }));
}

/** A count per status, all at zero. */
export function emptyStatusCounts(): Record<ActionStatus, number> {
  return { proposee: 0, engagee: 0, en_cours: 0, realisee: 0, abandonnee: 0 };
}

/**
 * Effective progress of an action: the weighted mean of its children's when it has any (abandoned children
 * left out), else the entered value; a réalisée action counts 100, an unentered one 0.
 */
export function actionProgress(id: string, nodes: readonly ProgressNode[]): number {
  const byParent = new Map<string, ProgressNode[]>();
  for (const n of nodes) if (n.parentId) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const of = (n: ProgressNode): number => {
    if (seen.has(n.id)) return 0; // a cycle is refused when written; never loop if one slipped in
    seen.add(n.id);
    const children = (byParent.get(n.id) ?? []).filter((c) => c.status !== 'abandonnee');
    const value = children.length ? weightedMean(children.map((c) => ({ value: of(c), weight: c.weight }))) ?? 0
      : n.status === 'realisee' ? 100 : n.progress ?? 0;
    seen.delete(n.id);
    return value;
  };
  const node = byId.get(id);
  return node ? round1(of(node)) : 0;
}

/**
 * Progress of a set of actions (an objective's, or a whole plan's): the weighted mean of the effective progress
 * of its top-level actions, abandoned ones left out; null when none is left (nothing to measure, not 0 %).
 */
export function aggregateProgress(nodes: readonly ProgressNode[], include: (n: ProgressNode) => boolean = () => true): number | null {
  const top = nodes.filter((n) => n.parentId === null && n.status !== 'abandonnee' && include(n));
  const mean = weightedMean(top.map((n) => ({ value: actionProgress(n.id, nodes), weight: n.weight })));
  return mean === null ? null : round1(mean);
}

function weightedMean(xs: readonly { value: number; weight: number }[]): number | null {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  if (xs.length === 0 || total <= 0) return null;
  return xs.reduce((s, x) => s + x.value * x.weight, 0) / total;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A calendar date as entered (AAAA-MM-JJ), checked for existence. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
