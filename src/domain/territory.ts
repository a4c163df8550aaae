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
