/**
 * The territory's indicators ("data repère" of the schéma territorial de santé), migration
 * 0003_indicators: per territory (code and level), one row per indicator and year, with the région
 * and France values. A null value is a figure missing in the source; it is stored as null, never
 * replaced by 0 or an estimate.
 */
import type { Transaction } from 'kysely';
import type { Indicator } from '../domain/plan.ts';
import { consultationLevel, type TerritoryLevel } from '../domain/territory.ts';
import type { Database, IndicatorRow } from './schema.ts';
import type { Store } from './store.ts';
import { StoreError } from './errors.ts';

/** The level of a consultation's territory (the domain rule, src/domain/territory.ts). */
export const consultationTerritoryLevel = consultationLevel;

const finiteOrNull = (v: number | null | undefined, what: string): number | null => {
  if (v === undefined || v === null) return null;
  if (!Number.isFinite(v)) throw new StoreError('invalid', `Indicateur : ${what} n’est pas un nombre fini (${v}).`);
  return v;
};

/**
 * Replaces the indicators of a territory (code and level) with `indicators`, in one transaction;
 * their order is kept. Each needs a year; an (id, year) pair appears once.
 */
export async function saveIndicators(store: Store, territory: string, level: TerritoryLevel, indicators: Indicator[]): Promise<void> {
  const rows = indicatorRows(territory, level, indicators);
  await store.db.transaction().execute((trx) => writeIndicatorRows(trx, territory, level, rows));
}

/**
 * The year column is part of the key and not null: an indicator whose source prints no reference year (the
 * data repère of a schéma territorial de santé) is stored with 0 and read back without a year, never guessed.
 */
export const NO_REFERENCE_YEAR = 0;

/**
 * saveIndicators inside the caller's transaction (e.g. a consultation file written as a whole). `yearOptional`:
 * the source prints no year (a plan's data repère), so an indicator without one is kept without one.
 */
export async function replaceIndicatorsIn(trx: Transaction<Database>, territory: string, level: TerritoryLevel, indicators: Indicator[],
  opts: { yearOptional?: boolean } = {}): Promise<void> {
  const items = opts.yearOptional ? indicators.map((i) => (i.year === undefined ? { ...i, year: NO_REFERENCE_YEAR } : i)) : indicators;
  await writeIndicatorRows(trx, territory, level, indicatorRows(territory, level, items));
}

async function writeIndicatorRows(trx: Transaction<Database>, territory: string, level: TerritoryLevel, rows: IndicatorRow[]): Promise<void> {
  await trx.deleteFrom('indicators').where('territory', '=', territory).where('territory_level', '=', level).execute();
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('indicators').values(rows.slice(i, i + 200)).execute();
}

/** Checked rows: each indicator needs a year; an (id, year) pair appears once. */
function indicatorRows(territory: string, level: TerritoryLevel, indicators: Indicator[]): IndicatorRow[] {
  const seen = new Set<string>();
  const rows: IndicatorRow[] = indicators.map((ind, i) => {
    const name = `« ${ind.id} »`;
    if (!ind.id.trim()) throw new StoreError('invalid', `Indicateur n° ${i + 1} sans identifiant.`);
    if (ind.territory !== territory) throw new StoreError('invalid', `Indicateur ${name} : territoire ${ind.territory}, attendu ${territory}.`);
    if (ind.year === undefined || !Number.isInteger(ind.year)) throw new StoreError('invalid', `Indicateur ${name} : année manquante ou invalide.`);
    const key = `${ind.id}\u0000${ind.year}`;
    if (seen.has(key)) throw new StoreError('invalid', `Indicateur ${name} en double pour l’année ${ind.year}.`);
    seen.add(key);
    return {
      territory, territory_level: level, id: ind.id, label: ind.label, unit: ind.unit ?? null, year: ind.year,
      value: finiteOrNull(ind.value, `la valeur de ${name}`),
      region_value: finiteOrNull(ind.regionValue, `la valeur régionale de ${name}`),
      france_value: finiteOrNull(ind.franceValue, `la valeur nationale de ${name}`),
      source: ind.source ?? null, position: i,
    };
  });
  return rows;
}

/** The indicators of a territory (code and level), in the order they were saved. */
export async function listIndicators(store: Store, territory: string, level: TerritoryLevel): Promise<Indicator[]> {
  const rows = await store.db.selectFrom('indicators').selectAll()
    .where('territory', '=', territory).where('territory_level', '=', level)
    .orderBy('position').orderBy('id').orderBy('year').execute();
  return rows.map((r) => {
    const ind: Indicator = {
      id: r.id, label: r.label, territory: r.territory, value: num(r.value), regionValue: num(r.region_value), franceValue: num(r.france_value),
    };
    if (Number(r.year) !== NO_REFERENCE_YEAR) ind.year = Number(r.year);
    if (r.unit !== null) ind.unit = r.unit;
    if (r.source !== null) ind.source = r.source;
    return ind;
  });
}

/** PostgreSQL may return numeric columns as strings depending on the driver's parsers. */
function num(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}
