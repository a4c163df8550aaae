import { UserError } from './errors.ts';
import { DEPARTEMENTS, REGIONS } from './geography.ts';

export type TerritoryLevel = 'france' | 'region' | 'departement' | 'epci' | 'commune';

export interface Territory {
  /** INSEE code: "76" for Occitanie, "46" for the Lot, "2A" for Corse-du-Sud, a SIREN for an EPCI */
  code: string;
  name: string;
  level: TerritoryLevel;
  /** code of the enclosing territory, if any */
  parent?: string;
}

const DEPARTEMENT_CODE = /^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-46])$/;

export function isDepartementCode(code: string): boolean {
  return DEPARTEMENT_CODE.test(code);
}

/** Département code of a French postcode (5 digits), or undefined when it is not one. */
export function departementOfPostcode(postcode: string): string | undefined {
  const pc = postcode.trim();
  if (!/^\d{5}$/.test(pc)) return undefined;
  if (pc.startsWith('97')) return pc.slice(0, 3);
  if (pc.startsWith('20')) return Number(pc) < 20200 ? '2A' : '2B';
  return pc.slice(0, 2);
}

/** The levels a consultation (or a restitution) can cover. */
export const SCOPE_LEVELS = ['departement', 'region'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** A territory a consultation covers, resolved: its level is never ambiguous. */
export interface Scope {
  code: string;
  level: ScopeLevel;
  name: string;
  /** the région of a département */
  region?: { code: string; name: string };
}

/**
 * The one rule for a territory code given by a person (CLI option, API field, consultation file): codes overlap
 * ("75" is Paris and Nouvelle-Aquitaine, "76" Seine-Maritime and Occitanie), so the level decides; without a
 * level a département is meant when the code is one, else a région. Unknown codes are a user error.
 */
export function resolveScope(code: string, level?: string): Scope {
  const c = code.trim().toUpperCase();
  if (level !== undefined && !(SCOPE_LEVELS as readonly string[]).includes(level)) {
    throw new UserError('invalid', `Niveau de territoire inconnu : « ${level} » (departement ou region)`, 'level');
  }
  const chosen = (level as ScopeLevel | undefined) ?? (DEPARTEMENTS[c] ? 'departement' : 'region');
  if (chosen === 'departement') {
    const dep = DEPARTEMENTS[c];
    if (!dep) throw new UserError('invalid', `Code de département inconnu : « ${code} » (code INSEE, ex. « 46 » ou « 2A »)`, 'territory');
    return { code: c, level: 'departement', name: dep[0], region: { code: dep[1], name: REGIONS[dep[1]] ?? dep[1] } };
  }
  const name = REGIONS[c];
  if (!name) {
    throw new UserError('invalid', `Code de territoire inconnu : « ${code} » (code INSEE de département ou de région)`, 'territory');
  }
  return { code: c, level: 'region', name };
}

/** The territory rows a scope needs (a département with its région), so later steps tell a région from a département. */
export function scopeTerritories(scope: Scope): Territory[] {
  if (scope.level === 'region') return [{ code: scope.code, name: scope.name, level: 'region' }];
  const region = scope.region!;
  return [{ code: region.code, name: region.name, level: 'region' }, { code: scope.code, name: scope.name, level: 'departement', parent: region.code }];
}

/**
 * The level of a stored consultation's territory: the declared one, else département when the code is one
 * (consultations stored before the level was recorded). Never throws, unlike resolveScope.
 */
export function consultationLevel(c: { territory: string; territoryLevel?: ScopeLevel }): ScopeLevel {
  return c.territoryLevel ?? (DEPARTEMENTS[c.territory] ? 'departement' : 'region');
}

/**
 * Département codes a document names: its meetings' and contributions' territories (a code, or a postcode).
 * Sorted; empty when the document names none.
 */
export function documentDepartements(doc: { meetings: readonly { territory?: string }[]; contributions: readonly { territory?: string }[] }): string[] {
  const found = new Set<string>();
  for (const t of [...doc.meetings.map((m) => m.territory), ...doc.contributions.map((c) => c.territory)]) {
    if (!t) continue;
    const code = t.trim().toUpperCase();
    const dep = isDepartementCode(code) ? code : departementOfPostcode(code);
    if (dep) found.add(dep);
  }
  return [...found].sort();
}

/** Of the départements a document names, those outside a consultation's territory (a département, or a région). */
export function departementsOutside(scope: { code: string; level: ScopeLevel }, departements: readonly string[]): string[] {
  return departements.filter((d) => (scope.level === 'departement' ? d !== scope.code : DEPARTEMENTS[d]?.[1] !== scope.code));
}

/**
 * Whether a document looks like the wrong file for a consultation: it names départements and none of them is in
 * the consultation's territory. A file that also names neighbouring départements is ordinary (people from next
 * door take part in an online consultation); one entirely about elsewhere is the case to confirm.
 */
export function isOtherTerritory(scope: { code: string; level: ScopeLevel }, departements: readonly string[]): boolean {
  return departements.length > 0 && departementsOutside(scope, departements).length === departements.length;
}
