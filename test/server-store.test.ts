import assert from 'node:assert/strict';
import type { Contribution } from '../src/domain/contribution.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import { appDb, createSession, createUser, deleteSession, findUserByEmail, listUsers, sessionUser, updateUser } from '../src/store/accounts.ts';
import { lastUndoable, listAudit } from '../src/store/audit.ts';
import { changeGroups, undoGroupChange } from '../src/store/idea-groups.ts';
import {
  addContributionsWithOriginals, latestPublishedSynthesis, moderateContribution, privateTexts, replaceContributionThemes, savePublishedSynthesis, undoThemeChange,
} from '../src/store/moderation.ts';
import { pageContributions } from '../src/store/moderation-page.ts';
import { testConsultation } from './helpers/fixtures.ts';
import { storeTest } from './helpers/stores.ts';

function formContribution(id: string, text: string, theme?: string): Contribution {
  return {
    id, consultation: 'essai', channel: 'formulaire', text, moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    themes: theme ? [{ theme, provenance: { by: 'source', documentId: 'formulaire' } }] : [],
  };
}

storeTest('comptes et sessions (migration 0002)', async (store) => {
  const u = await createUser(store, { email: ' Analyste@ARS.test ', role: 'analyst', passwordHash: 'scrypt$x' });
  assert.equal(u.email, 'analyste@ars.test');
  await assert.rejects(createUser(store, { email: 'analyste@ars.test', role: 'admin', passwordHash: 'h' }), /existe déjà/);
  await assert.rejects(createUser(store, { email: 'pas-une-adresse', role: 'admin', passwordHash: 'h' }), /invalide/);
  assert.equal((await findUserByEmail(store, 'ANALYSTE@ars.test'))?.passwordHash, 'scrypt$x');
  await createSession(store, 'hash-1', u.id, new Date(Date.now() + 60_000));
  await createSession(store, 'hash-old', u.id, new Date(Date.now() - 1000));
  assert.equal((await sessionUser(store, 'hash-1'))?.id, u.id);
  assert.equal(await sessionUser(store, 'hash-old'), undefined, 'session expirée');
  await deleteSession(store, 'hash-1');
  assert.equal(await sessionUser(store, 'hash-1'), undefined);
  await createSession(store, 'hash-2', u.id, new Date(Date.now() + 60_000));
  await updateUser(store, u.email, { passwordHash: 'scrypt$y', role: 'admin' });
  assert.equal(await sessionUser(store, 'hash-2'), undefined, 'un changement de mot de passe ferme les sessions');
  assert.deepEqual((await listUsers(store)).map((x) => x.role), ['admin']);
});

storeTest('contributions du formulaire : original à part, modération et thèmes audités, annulation', async (store) => {
  await store.upsertConsultation(testConsultation());
  await addContributionsWithOriginals(store, 'essai', [
    { contribution: formContribution('formulaire:a', 'Appelez [téléphone] pour les urgences de nuit', '2'), original: 'Appelez 06 12 34 56 78 pour les urgences de nuit', masked: [{ kind: 'phone', start: 8, end: 22, original: '06 12 34 56 78' }] },
    { contribution: formContribution('formulaire:b', 'Plus de médecins traitants') },
  ], { actor: 'visiteur', action: 'contribution.submit' });
  const priv = await privateTexts(store, ['formulaire:a', 'formulaire:b']);
  assert.equal(priv.get('formulaire:a')?.original, 'Appelez 06 12 34 56 78 pour les urgences de nuit');
  assert.equal(priv.has('formulaire:b'), false);
  assert.equal((await listAudit(store, { actor: 'visiteur' })).length, 2);

  await moderateContribution(store, 'formulaire:b', { status: 'published', by: 'analyste@ars.test', action: 'moderation.publish', text: 'Plus de médecins traitants !' });
  const b = await store.getContribution('formulaire:b');
  assert.equal(b?.moderation.status, 'published');
  assert.equal(b?.text, 'Plus de médecins traitants !');
  assert.equal((await privateTexts(store, ['formulaire:b'])).get('formulaire:b')?.original, 'Plus de médecins traitants', 'l’original est gardé');
  assert.deepEqual((await store.searchContributions('essai', 'médecin')).map((c) => c.id), ['formulaire:b'], 'la recherche suit le nouveau texte');
  const page = await pageContributions(store, 'essai', { moderation: 'published' }, 0, 10);
  assert.deepEqual(page.items.map((i) => i.id), ['formulaire:b']);
  assert.equal(page.total, 1);

  const human = { by: 'human' as const, reviewer: 'analyste@ars.test', at: '2026-01-01T00:00:00.000Z' };
  await replaceContributionThemes(store, 'formulaire:a', [{ theme: '2', provenance: { by: 'source', documentId: 'formulaire' } }, { theme: '1', provenance: human }], { actor: 'analyste@ars.test', action: 'themes.accept' });
  assert.deepEqual((await store.getContribution('formulaire:a'))!.themes.map((t) => t.theme), ['1', '2']);
  const entry = await lastUndoable(appDb(store), 'analyste@ars.test', ['themes.accept']);
  assert.ok(entry);
  assert.equal(await undoThemeChange(store, entry, 'analyste@ars.test'), 'undone');
  assert.deepEqual((await store.getContribution('formulaire:a'))!.themes.map((t) => `${t.theme}:${t.provenance.by}`), ['2:source']);
  assert.equal(await lastUndoable(appDb(store), 'analyste@ars.test', ['themes.accept']), undefined);
});

storeTest('opérations sur les groupes auditées, annulées, refusées si modifiées depuis', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.addContributions('essai', ['c1', 'c2', 'c3'].map((id) => formContribution(id, `texte ${id}`)));
  const model = { by: 'model' as const, model: 'm', version: '1', at: '2026-01-01T00:00:00Z' };
  const g = (id: string, members: string[]): IdeaGroup => ({
    id, consultation: 'essai', parent: null, label: id, labelByHuman: false, members: members.map((c) => ({ contribution: c, provenance: model })), quotes: [], lineage: [],
  });
  await store.saveIdeaGroups('essai', [g('g1', ['c1', 'c2']), g('g2', ['c3'])]);
  await changeGroups(store, 'essai', { actor: 'a@ars.test', action: 'groups.move', targetId: 'c2' }, (groups) => {
    const [a, b] = groups as [IdeaGroup, IdeaGroup];
    a.members = a.members.filter((m) => m.contribution !== 'c2');
    b.members.push({ contribution: 'c2', provenance: { by: 'human', reviewer: 'a@ars.test', at: '2026-01-02T00:00:00Z' } });
    return { groups, touched: [a.id, b.id], result: null };
  });
  assert.deepEqual((await store.listIdeaGroups('essai')).map((x) => x.members.length), [1, 2]);
  const move = (await lastUndoable(appDb(store), 'a@ars.test', ['groups.move']))!;
  // another change to the same group since: the undo is refused, nothing changes
  await changeGroups(store, 'essai', { actor: 'b@ars.test', action: 'groups.rename', targetId: 'g2' }, (groups) => {
    groups[1]!.label = 'Renommé';
    return { groups, touched: ['g2'], result: null };
  });
  assert.equal(await undoGroupChange(store, move, 'a@ars.test'), 'conflict');
  const rename = (await lastUndoable(appDb(store), 'b@ars.test', ['groups.rename']))!;
  assert.equal(await undoGroupChange(store, rename, 'b@ars.test'), 'undone');
  assert.equal(await undoGroupChange(store, move, 'a@ars.test'), 'undone');
  const after = await store.listIdeaGroups('essai');
  assert.deepEqual(after.map((x) => [x.id, x.label, x.members.map((m) => m.contribution)]), [['g1', 'g1', ['c1', 'c2']], ['g2', 'g2', ['c3']]]);
  assert.equal((await listAudit(store, { consultation: 'essai' })).filter((x) => x.action === 'undo').length, 2);

  await savePublishedSynthesis(store, { id: 'essai:departement:46', consultation: 'essai', level: 'departement', territory: '46', html: '<p>v1</p>', by: 'a@ars.test' }, { before: null, after: {} });
  await savePublishedSynthesis(store, { id: 'essai:departement:46', consultation: 'essai', level: 'departement', territory: '46', html: '<p>v2</p>', by: 'a@ars.test' }, { before: null, after: {} });
  assert.equal((await latestPublishedSynthesis(store, 'essai'))?.html, '<p>v2</p>');
});
