/**
 * The postcode typed on the public form (migration 0025_contribution_area), kept apart from the contribution:
 * personal data, read only as counts of published contributions per postcode (the map, src/usecases/map.ts),
 * deleted with its contribution (cascade; src/store/deletion.ts deletes it explicitly too).
 */
import type { Db } from './schema.ts';
import { PUBLIC_FILTER, type Store } from './store.ts';

/** Rows for contributions being added, written in their transaction (addContributionsWithOriginals). */
export async function insertContributionAreas(db: Db, consultation: string, rows: { contributionId: string; postcode: string }[]): Promise<void> {
  for (let k = 0; k < rows.length; k += 200) {
    await db.insertInto('contribution_areas')
      .values(rows.slice(k, k + 200).map((r) => ({ contribution_id: r.contributionId, consultation, postcode: r.postcode })))
      .onConflict((oc) => oc.column('contribution_id').doNothing())
      .execute();
  }
}

/** Published contributions per postcode (the one publication filter of the store), largest first. */
export async function publicCountsByPostcode(store: Store, consultation: string): Promise<{ postcode: string; count: number }[]> {
  const rows = await store.filteredContributions(consultation, PUBLIC_FILTER)
    .innerJoin('contribution_areas', 'contribution_areas.contribution_id', 'contributions.id')
    .select((eb) => ['contribution_areas.postcode as postcode', eb.fn.countAll<number | string>().as('n')])
    .groupBy('contribution_areas.postcode')
    .execute();
  return rows.map((r) => ({ postcode: r.postcode, count: Number(r.n) })).sort((a, b) => b.count - a.count || a.postcode.localeCompare(b.postcode));
}

/** Published contributions per département (their `territory`, null when none was given), for the drawing. */
export async function publicCountsByDepartement(store: Store, consultation: string): Promise<{ departement: string | null; count: number }[]> {
  const rows = await store.filteredContributions(consultation, PUBLIC_FILTER)
    .select((eb) => ['contributions.territory as territory', eb.fn.countAll<number | string>().as('n')])
    .groupBy('contributions.territory')
    .execute();
  return rows.map((r) => ({ departement: r.territory, count: Number(r.n) }));
}

/** The postcode kept for one contribution (tests, the archive), or null. */
export async function contributionArea(store: Store, contributionId: string): Promise<string | null> {
  const r = await store.db.selectFrom('contribution_areas').select('postcode').where('contribution_id', '=', contributionId).executeTakeFirst();
  return r?.postcode ?? null;
}
