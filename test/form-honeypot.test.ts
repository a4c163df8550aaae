/**
 * The public form's trap for robots (issue 16): a post that fills the field people never see is answered as any other
 * (201, an id) and nothing is kept; the same post without it is stored. The default address limit leaves room for a
 * workshop room on one shared address.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, testServer } from './helpers/server.ts';

const FORM = '/api/consultations/essai/contributions';

test('a post filling the hidden field is answered 201 and kept nowhere; without it, it is stored', async () => {
  const t = await testServer();
  try {
    const v = await Client.create(t.app, '192.0.2.80');
    const before = await t.store.tableCounts();
    const trapped = await v.post(FORM, { text: 'Achetez des montres pas chères sur notre site', website: 'https://robot.example' });
    assert.equal(trapped.statusCode, 201, trapped.body);
    assert.equal(trapped.json().status, 'pending');
    assert.match(trapped.json().id, /^[0-9a-f-]{36}$/);
    const real = await v.post(FORM, { text: 'Le cabinet médical du village ferme le samedi', website: '' });
    assert.equal(real.statusCode, 201, real.body);
    await t.app.close(); // flushes the form queue
    const after = await t.store.tableCounts();
    assert.equal(after.contributions, (before.contributions ?? 0) + 1, 'only the post without the trap is stored');
    assert.equal(await t.store.getContribution(trapped.json().id), undefined);
    assert.equal((await t.store.getContribution(real.json().id))?.text, 'Le cabinet médical du village ferme le samedi');
  } finally { await t.store.close(); }
});

test('a workshop room on one shared address can send thirty contributions in a minute', async () => {
  const t = await testServer();
  try {
    const room = await Client.create(t.app, '192.0.2.81');
    for (let i = 1; i <= 30; i++) {
      const res = await room.post(FORM, { text: `Proposition numéro ${i} de l’atelier sur l’accès aux soins` });
      assert.equal(res.statusCode, 201, `envoi ${i} : ${res.statusCode}`);
    }
  } finally { await t.close(); }
});
