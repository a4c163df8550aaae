import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Contribution } from '../src/domain/contribution.ts';
import { appDb } from '../src/store/accounts.ts';
import { auditTextRetentionDays, listAudit, purgeAuditTexts } from '../src/store/audit.ts';
import { addContributionsWithOriginals, moderateContribution } from '../src/store/moderation.ts';
import { testConsultation } from './helpers/fixtures.ts';
import { storeTest } from './helpers/stores.ts';

// Every text below is made up.
function formContribution(id: string, text: string): Contribution {
  return { id, consultation: 'essai', channel: 'formulaire', text, moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' }, themes: [] };
}

const DAY = 86_400_000;
const hasText = (v: unknown) => JSON.stringify(v ?? null).match(/"(text|original)"/) !== null;

storeTest('journal d’audit : les textes des contributions rejetées ou supprimées ne passent pas la durée de conservation', async (store) => {
  await store.upsertConsultation(testConsultation());
  const old = new Date(Date.now() - 200 * DAY).toISOString();
  await addContributionsWithOriginals(store, 'essai', [
    { contribution: formContribution('formulaire:rejetee', 'Appelez [téléphone]'), original: 'Appelez 06 12 34 56 78', masked: [{ kind: 'phone', start: 8, end: 22, original: '06 12 34 56 78' }] },
    { contribution: formContribution('formulaire:publiee', 'Plus de médecins traitants') },
    { contribution: formContribution('formulaire:supprimee', 'Mon voisin Octave Fictif est malade') },
    { contribution: formContribution('formulaire:recente', 'Rejet récent, texte gardé') },
  ], { actor: 'visiteur', action: 'contribution.submit' });
  await moderateContribution(store, 'formulaire:rejetee', { status: 'rejected', reason: 'hors charte', by: 'analyste@ars.test', action: 'moderation.reject', at: old });
  await moderateContribution(store, 'formulaire:publiee', { status: 'published', by: 'analyste@ars.test', action: 'moderation.publish', at: old });
  await moderateContribution(store, 'formulaire:recente', { status: 'rejected', reason: 'doublon', by: 'analyste@ars.test', action: 'moderation.reject' });
  await appDb(store).deleteFrom('contributions').where('id', '=', 'formulaire:supprimee').execute();
  // the submissions and the first two decisions happened 200 days ago
  await appDb(store).updateTable('audit_log').set({ at: old }).where('target_id', '!=', 'formulaire:recente').execute();

  assert.equal(await purgeAuditTexts(store, { days: 90 }), 3, 'dépôt et rejet de la rejetée, dépôt de la supprimée (pas la publiée)');
  const audit = await listAudit(store, { consultation: 'essai', limit: 1000 });
  const about = (id: string) => audit.filter((a) => a.targetId === id);
  for (const a of [...about('formulaire:rejetee'), ...about('formulaire:supprimee')]) {
    assert.equal(hasText(a.before) || hasText(a.after), false, `${a.action} ${a.targetId} : texte retiré`);
    assert.ok(a.actor && a.at && a.action, 'qui, quand, quoi restent');
  }
  const reject = about('formulaire:rejetee').find((a) => a.action === 'moderation.reject')!;
  assert.deepEqual(reject.after, { status: 'rejected', reason: 'hors charte' });
  assert.equal(reject.actor, 'analyste@ars.test');
  assert.ok(about('formulaire:publiee').every((a) => hasText(a.after)), 'une contribution publiée garde son historique');
  assert.ok(about('formulaire:recente').every((a) => hasText(a.after)), 'un rejet plus récent que la durée garde le texte');
  assert.equal(JSON.stringify(audit).includes('06 12 34 56 78'), false);
  assert.equal(JSON.stringify(audit).includes('Octave'), false);

  assert.equal(await purgeAuditTexts(store, { days: 90 }), 0, 'idempotent');
  assert.equal(await purgeAuditTexts(store, { days: 0 }), 2, 'durée 0 : le rejet récent aussi (dépôt et décision)');
});

test('durée de conservation lue dans l’environnement', () => {
  assert.equal(auditTextRetentionDays({}), 90);
  assert.equal(auditTextRetentionDays({ FABRIQUE_AUDIT_TEXT_RETENTION_DAYS: '30' }), 30);
  assert.throws(() => auditTextRetentionDays({ FABRIQUE_AUDIT_TEXT_RETENTION_DAYS: 'trois mois' }), /nombre entier de jours/);
});

test('le serveur retire les textes expirés dès son démarrage', async () => {
  const { Store } = await import('../src/store/index.ts');
  const { startServer } = await import('../src/server/serve.ts');
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    await addContributionsWithOriginals(store, 'essai', [{ contribution: formContribution('formulaire:x', 'Jeanne Fictif, 3 rue des Lilas') }], { actor: 'visiteur', action: 'contribution.submit' });
    await moderateContribution(store, 'formulaire:x', { status: 'rejected', by: 'analyste@ars.test', action: 'moderation.reject', at: old });
    await appDb(store).updateTable('audit_log').set({ at: old }).execute();
    const server = await startServer({ store, port: 0, auditTextRetentionDays: 30 });
    await server.close(); // waits for the purge started with the server
    const audit = await listAudit(store, { consultation: 'essai' });
    assert.equal(audit.length, 2);
    assert.equal(JSON.stringify(audit).includes('Jeanne'), false);
  } finally {
    await store.close();
  }
});

test('fabrique audit purge [--days N] retire les textes expirés et le dit en français', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Store } = await import('../src/store/index.ts');
  const { main } = await import('../src/cli/main.ts');
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-audit-'));
  const path = join(dir, 'base.sqlite');
  const saved = { db: process.env.FABRIQUE_DB, url: process.env.DATABASE_URL, log: console.log };
  const printed: string[] = [];
  try {
    const store = await Store.open({ sqlitePath: path });
    await store.upsertConsultation(testConsultation());
    const old = new Date(Date.now() - 10 * DAY).toISOString();
    await addContributionsWithOriginals(store, 'essai', [{ contribution: formContribution('formulaire:y', 'Appelez Gisèle au 06 33 21 45 89') }], { actor: 'visiteur', action: 'contribution.submit' });
    await moderateContribution(store, 'formulaire:y', { status: 'rejected', by: 'analyste@ars.test', action: 'moderation.reject', at: old });
    await appDb(store).updateTable('audit_log').set({ at: old }).execute();
    await store.close();
    process.env.FABRIQUE_DB = path;
    delete process.env.DATABASE_URL;
    console.log = (...a: unknown[]) => { printed.push(a.join(' ')); };
    assert.equal(await main(['audit', 'purge', '--days', '30']), 0);
    assert.equal(await main(['audit', 'purge', '--days', '7']), 0);
    assert.equal(await main(['audit', 'purge', '--days', 'sept']), 2);
    console.log = saved.log;
    assert.match(printed[0]!, /^Rien à retirer/);
    assert.match(printed[1]!, /^2 entrées du journal d’audit sans texte/);
    const check = await Store.open({ sqlitePath: path });
    try {
      assert.equal(JSON.stringify(await listAudit(check, { consultation: 'essai' })).includes('Gisèle'), false);
    } finally { await check.close(); }
  } finally {
    console.log = saved.log;
    if (saved.db === undefined) delete process.env.FABRIQUE_DB; else process.env.FABRIQUE_DB = saved.db;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    rmSync(dir, { recursive: true, force: true });
  }
});
