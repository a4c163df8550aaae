/**
 * Communes for the map of a consultation (issue 16, point 5): a meeting's place matched to a commune of its
 * département, and contributions counted by postcode area with a threshold so that no one is identifiable.
 * Pure: the communes (INSEE code, name, postcodes, population) are handed in by the caller.
 */
import { unaccent } from '../text/french.ts';

export interface Commune {
  /** INSEE code */
  code: string;
  name: string;
  departement: string;
  postcodes: readonly string[];
  population: number | null;
}

/** The smallest count of contributions the map ever shows for one area; smaller areas are merged. */
export const MAP_AREA_THRESHOLD = 5;

/** « Villefranche-de-Rouergue, espace Laurière » → « villefranche de rouergue espace lauriere » */
function words(s: string): string {
  return ` ${unaccent(s).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;
}

// « St-Affrique », « Ste-Eulalie » as printed on a poster
const SAINT = / st (?=[a-z])/g;
const SAINTE = / ste (?=[a-z])/g;

/**
 * The commune a place names, among the communes of its département: the longest commune name found as whole
 * words in the place (« Saint-Affrique, lycée … » is Saint-Affrique, not a commune « Affrique »), the most
 * populated one on a tie; null when none is named. Best effort: a place that names a hall after another
 * commune (« salle de Rodez » in Millau) is matched to the longest name it holds, so the page shows the place
 * as printed beside the commune found.
 */
export function communeOfPlace(place: string | null | undefined, communes: readonly Commune[]): Commune | null {
  if (!place) return null;
  const text = words(place).replace(SAINTE, ' sainte ').replace(SAINT, ' saint ');
  let best: Commune | null = null;
  let bestLength = 0;
  for (const c of communes) {
    const name = words(c.name);
    if (name.length < 4 || !text.includes(name)) continue; // one-letter names (« Y ») never match a word by chance
    if (name.length > bestLength || (name.length === bestLength && (c.population ?? 0) > (best?.population ?? 0))) {
      best = c;
      bestLength = name.length;
    }
  }
  return best;
}

/** One area of the map's table: a postcode and the communes it serves, with its count of published contributions. */
export interface ContributionArea {
  postcode: string;
  /** the communes of the postcode, most populated first */
  communes: string[];
  departement: string | null;
  count: number;
}

export interface ContributionAreas {
  threshold: number;
  /** areas with at least `threshold` contributions, largest first */
  areas: ContributionArea[];
  /** the contributions of the smaller areas, merged (« autres communes »); null when under the threshold too */
  others: number | null;
  /** how many smaller areas were merged into `others` */
  othersAreas: number;
  /** whether some contributions were merged at all */
  merged: boolean;
}

/**
 * Counts per postcode made safe to publish: an area is named only with at least `threshold` contributions;
 * the others are added up into « autres communes », whose count is shown only when it reaches the threshold
 * itself (« moins de 5 » otherwise). Postcodes outside `inScope` (another territory) are merged too.
 */
export function publishableAreas(counts: readonly { postcode: string; count: number }[], communesOf: (postcode: string) => readonly Commune[],
  inScope: (departement: string) => boolean, threshold = MAP_AREA_THRESHOLD): ContributionAreas {
  const areas: ContributionArea[] = [];
  let others = 0;
  let othersAreas = 0;
  for (const { postcode, count } of counts) {
    const communes = [...communesOf(postcode)].sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.name.localeCompare(b.name, 'fr'));
    const departement = communes[0]?.departement ?? null;
    if (count >= threshold && departement !== null && inScope(departement)) {
      areas.push({ postcode, communes: communes.map((c) => c.name), departement, count });
    } else if (count > 0) {
      others += count;
      othersAreas += 1;
    }
  }
  areas.sort((a, b) => b.count - a.count || a.postcode.localeCompare(b.postcode));
  // below the threshold the merged total is hidden, and so is anything it could be recomputed from (how many sectors
  // it merges; the sum of the counts, in the use case): a count that moves by one is a contribution's sector
  const shown = others >= threshold;
  return { threshold, areas, others: shown ? others : null, othersAreas: shown ? othersAreas : 0, merged: others > 0 };
}

/** A count of contributions as the map may show it: itself from the threshold on, null (« moins de 5 ») below. */
export function publishableCount(n: number, threshold = MAP_AREA_THRESHOLD): number | null {
  return n >= threshold ? n : null;
}
