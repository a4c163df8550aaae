import assert from 'node:assert/strict';
import type { Indicator } from '../src/domain/plan.ts';
import { StoreError } from '../src/store/index.ts';
import { listIndicators, saveIndicators } from '../src/store/indicators.ts';
import { storeTest } from './helpers/stores.ts';

const ind = (id: string, value: number | null, extra: Partial<Indicator> = {}): Indicator =>
  ({ id, label: `Indicateur ${id}`, territory: '12', value, year: 2022, ...extra });

storeTest('indicators: saved in order, null kept as missing, replaced as a set per territory and level', async (store) => {
  assert.deepEqual(await listIndicators(store, '12', 'departement'), []);
  await saveIndicators(store, '12', 'departement', [
    ind('population', 278_900, { unit: 'habitants', regionValue: 6_022_176, franceValue: 67_842_582, source: 'Valeurs fictives de démonstration' }),
    ind('apl-mg', null, { unit: 'consultations par an et par habitant', regionValue: 3.4, franceValue: 3.3 }),
    ind('densite', 31.4, { year: 2021, regionValue: 83.4, franceValue: null }),
  ]);
  // a région with the same code is another territory
  await saveIndicators(store, '12', 'region', [{ ...ind('population', 1), territory: '12' }]);
  const list = await listIndicators(store, '12', 'departement');
  assert.deepEqual(list.map((i) => i.id), ['population', 'apl-mg', 'densite']);
  assert.deepEqual(list[0], {
    id: 'population', label: 'Indicateur population', territory: '12', value: 278_900, regionValue: 6_022_176, franceValue: 67_842_582,
    year: 2022, unit: 'habitants', source: 'Valeurs fictives de démonstration',
  });
  assert.equal(list[1]!.value, null, 'une valeur absente reste absente');
  assert.equal(list[1]!.regionValue, 3.4);
  assert.equal(list[2]!.franceValue, null);
  assert.equal(list[2]!.year, 2021);
  assert.ok(!('source' in list[2]!));

  await saveIndicators(store, '12', 'departement', [ind('esperance-vie', 82.6)]);
  assert.deepEqual((await listIndicators(store, '12', 'departement')).map((i) => i.id), ['esperance-vie']);
  assert.equal((await listIndicators(store, '12', 'region')).length, 1, 'l’autre niveau est intact');
});

storeTest('indicators: invalid sets are refused and leave the stored set unchanged', async (store) => {
  await saveIndicators(store, '46', 'departement', [{ ...ind('a', 1), territory: '46' }]);
  const bad: Indicator[][] = [
    [{ ...ind('a', 1), territory: '46' }, { ...ind('a', 2), territory: '46' }],
    [{ ...ind('a', 1), territory: '46', year: undefined }],
    [{ ...ind('a', Number.NaN), territory: '46' }],
    [ind('a', 1)],
  ];
  for (const set of bad) await assert.rejects(saveIndicators(store, '46', 'departement', set), StoreError);
  assert.deepEqual((await listIndicators(store, '46', 'departement')).map((i) => [i.id, i.value]), [['a', 1]]);
});
