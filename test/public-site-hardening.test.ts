/**
 * What the review of the public site (issue 16) found, kept fixed: one-time link tokens out of the request log
 * whatever the parameter's spelling, a sector's small counts not recomputable from the map's totals, the
 * withdrawal message's dates in words, a password link that does not survive disabling its account.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frenchDay } from '../src/domain/consultation.ts';
import { publishableAreas } from '../src/domain/communes.ts';
import { redactTokens } from '../src/server/app.ts';
import { Store } from '../src/store/index.ts';
import { createUser, findPasswordLink, savePasswordLink, setUserDisabled } from '../src/store/accounts.ts';

test('the tokens of one-time links never reach a log line: ?token=, ?jeton=, %-escaped names', () => {
  assert.equal(redactTokens('/connexion/nouveau-mot-de-passe?token=SECRET'), '/connexion/nouveau-mot-de-passe?token=[masqué]');
  assert.equal(redactTokens('/abonnement/desabonner?jeton=SECRET&x=1'), '/abonnement/desabonner?jeton=[masqué]&x=1');
  assert.equal(redactTokens('/abonnement/confirmer?a=b&%6Aeton=SECRET'), '/abonnement/confirmer?a=b&%6Aeton=[masqué]');
  assert.equal(redactTokens('/p?%74oken=SECRET'), '/p?%74oken=[masqué]');
  assert.equal(redactTokens('/recherche?q=jeton'), '/recherche?q=jeton', 'a value is not a name');
  assert.equal(redactTokens('/p?%ZZ=1'), '/p?%ZZ=1', 'a malformed escape is left as written');
});

test('a sector under the threshold cannot be recomputed: neither the merged total nor how many sectors it merges', () => {
  const communes = (p: string) => [{ code: p, name: `Commune ${p}`, departement: '12', postcodes: [p], population: 1 }];
  const small = publishableAreas([{ postcode: '12000', count: 6 }, { postcode: '12850', count: 2 }, { postcode: '12330', count: 1 }], communes, () => true);
  assert.deepEqual(small.areas.map((a) => a.count), [6]);
  assert.equal(small.others, null);
  assert.equal(small.othersAreas, 0);
  assert.equal(small.merged, true);
  const shown = publishableAreas([{ postcode: '12000', count: 6 }, { postcode: '12850', count: 3 }, { postcode: '12330', count: 2 }], communes, () => true);
  assert.equal(shown.others, 5);
  assert.equal(shown.othersAreas, 2);
});

test('a publication timestamp is written as its day', () => {
  assert.equal(frenchDay('2026-12-02T06:42:01.440Z'), '2 décembre 2026');
  assert.equal(frenchDay('2026-03-01'), '1er mars 2026');
  assert.equal(frenchDay('pas une date'), 'pas une date');
});

test('disabling an account spends its password links: enabling it again does not revive them', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await createUser(store, { email: 'admin@essai.test', role: 'admin', passwordHash: 'x' });
    await createUser(store, { email: 'animatrice@essai.test', role: 'facilitator', passwordHash: 'x' });
    const at = new Date().toISOString();
    await savePasswordLink(store, 'animatrice@essai.test', { tokenHash: 'a'.repeat(64), purpose: 'reset', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), at, actor: 'admin@essai.test' });
    assert.ok(await findPasswordLink(store, 'a'.repeat(64)));
    await setUserDisabled(store, 'animatrice@essai.test', true, 'admin@essai.test');
    await setUserDisabled(store, 'animatrice@essai.test', false, 'admin@essai.test');
    assert.equal(await findPasswordLink(store, 'a'.repeat(64)), undefined);
  } finally {
    await store.close();
  }
});
