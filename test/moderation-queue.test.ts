/**
 * The moderation queue at scale: filters that combine (status, theme, meeting, channel, full-text search through
 * the scoped index), counts per status, bulk decisions by ids or by filter (one transaction, each contribution
 * audited with the reason, all or none), roles, and 10,000 decided without freezing the event loop.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contribution } from '../src/domain/index.ts';
import { excerptTitle, rejectionReason } from '../src/domain/moderation.ts';
import { listAudit } from '../src/store/audit.ts';
import { Store } from '../src/store/index.ts';
import { context, type Actor } from '../src/usecases/context.ts';
import { bulkModerate, moderationQueue, type QueueFilter } from '../src/usecases/moderation.ts';
import { storeTest } from './helpers/stores.ts';
import { testConsultation } from './helpers/fixtures.ts';
import { Client, testServer } from './helpers/server.ts';

const ANALYST: Actor = { name: 'analyste@ars.test', role: 'analyst' };
const FACILITATOR: Actor = { name: 'animation@ars.test', role: 'facilitator' };
const ctxOf = (store: Store, actor = ANALYST) => context(store, actor, () => new Date('2026-02-01T10:00:00Z'));

const SUBJECTS = ['les urgences ferment la nuit', 'un médecin traitant pour chaque patient', 'la prévention à l’école',
  'loger les internes en stage', 'attendre aux urgences pendant des heures', 'le bus vers l’hôpital'];
const CHANNELS = ['formulaire', 'atelier', 'courrier'] as const;
const MEETINGS = ['essai:m1', 'essai:m2'];

function contributions(n: number, prefix = 'q'): Contribution[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `essai:${prefix}${i}`, consultation: 'essai', channel: CHANNELS[i % 3]!, text: `Contribution ${i} : ${SUBJECTS[i % SUBJECTS.length]}.`,
    themes: i % 4 === 3 ? [] : [{ theme: String((i % 2) + 1), provenance: { by: 'source', documentId: 'formulaire' } }],
    moderation: { status: i % 5 === 0 ? 'published' : i % 7 === 0 ? 'rejected' : 'pending' },
    source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    ...(i % 3 === 1 ? { meeting: MEETINGS[i % 2]! } : {}),
  }));
}

async function seed(store: Store, n = 120): Promise<Contribution[]> {
  await store.upsertConsultation(testConsultation());
  await store.upsertMeetings(MEETINGS.map((id, k) => ({
    id, consultation: 'essai', kind: 'atelier', title: `Atelier ${k + 1}`,
    participants: { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: null },
  })));
  return store.addContributions('essai', contributions(n));
}

/** What a filter should select, computed on every row. */
async function expected(store: Store, f: QueueFilter): Promise<string[]> {
  const all = await store.listContributions('essai');
  let ids = all.filter((c) => c.moderation.status === (f.status ?? 'pending') && (!f.theme || c.themes.some((t) => t.theme === f.theme))
    && (!f.meeting || c.meeting === f.meeting) && (!f.channel || c.channel === f.channel)).map((c) => c.id);
  if (f.q) {
    const found = new Set((await store.searchContributions('essai', f.q, 10_000)).map((c) => c.id));
    ids = ids.filter((id) => found.has(id));
  }
  return ids;
}

const FILTERS: QueueFilter[] = [
  {}, { status: 'published' }, { status: 'rejected' }, { theme: '1' }, { meeting: 'essai:m2' }, { channel: 'atelier' },
  { theme: '2', channel: 'courrier' }, { theme: '1', meeting: 'essai:m1', channel: 'atelier' }, { q: 'urgences' },
  { q: 'urgences', channel: 'formulaire', theme: '1' }, { status: 'published', q: 'médecin' }, { q: 'hôpital', meeting: 'essai:m1' },
];

storeTest('queue filters combine (status, theme, meeting, channel, full-text search) with counts per status', async (store) => {
  await seed(store);
  const ctx = ctxOf(store);
  for (const f of FILTERS) {
    const want = await expected(store, f);
    assert.ok(want.length > 0 || f.meeting, `filtre sans résultat : ${JSON.stringify(f)}`);
    const res = await moderationQueue(ctx, { consultation: 'essai', filter: f, page: 1, pageSize: 100 });
    assert.equal(res.total, want.length, JSON.stringify(f));
    if (f.q) assert.deepEqual(new Set(res.items.map((i) => i.id)), new Set(want), JSON.stringify(f));
    // without a text query, newest first (arrival order reversed)
    else assert.deepEqual(res.items.map((i) => i.id), [...want].reverse(), JSON.stringify(f));
    for (const s of ['pending', 'published', 'rejected'] as const) {
      assert.equal(res.counts[s], (await expected(store, { ...f, status: s })).length, `${s} ${JSON.stringify(f)}`);
    }
  }
  // pages of 20 cover the same list
  const all = await moderationQueue(ctx, { consultation: 'essai', filter: { channel: 'formulaire' }, page: 1, pageSize: 100 });
  const p2 = await moderationQueue(ctx, { consultation: 'essai', filter: { channel: 'formulaire' }, page: 2, pageSize: 20 });
  assert.deepEqual(p2.items.map((i) => i.id), all.items.slice(20, 40).map((i) => i.id));
});

storeTest('bulk by filter: every match decided in one transaction, each audited with the reason; refusals change nothing', async (store) => {
  await seed(store);
  const ctx = ctxOf(store);
  const f: QueueFilter = { theme: '1', channel: 'formulaire' };
  const want = await expected(store, f);
  assert.ok(want.length >= 5);
  // the reason is required to reject
  await assert.rejects(bulkModerate(ctx, { consultation: 'essai', action: 'reject', filter: { ...f, expected: want.length } }), { code: 'invalid' });
  await assert.rejects(bulkModerate(ctx, { consultation: 'essai', action: 'reject', reason: '   ', ids: want }), { code: 'invalid' });
  // the queue moved since the person confirmed: refused
  await assert.rejects(bulkModerate(ctx, { consultation: 'essai', action: 'reject', reason: 'Spam', filter: { ...f, expected: want.length + 1 } }), { code: 'conflict' });
  // one id of another consultation (or unknown) refuses the whole decision
  await store.upsertConsultation(testConsultation('autre'));
  const [foreign] = await store.addContributions('autre', [{ ...contributions(1, 'x')[0]!, id: 'autre:x0', consultation: 'autre' }]);
  await assert.rejects(bulkModerate(ctx, { consultation: 'essai', action: 'publish', ids: [...want, foreign!.id] }), { code: 'not_found' });
  await assert.rejects(bulkModerate(ctx, { consultation: 'essai', action: 'publish', ids: [want[0]!, 'essai:inconnue'] }), { code: 'not_found' });
  // a facilitator may not moderate, even through the use case
  await assert.rejects(bulkModerate(ctxOf(store, FACILITATOR), { consultation: 'essai', action: 'publish', ids: want }), { code: 'forbidden' });
  await assert.rejects(moderationQueue(ctxOf(store, FACILITATOR), { consultation: 'essai', filter: {}, page: 1, pageSize: 20 }), { code: 'forbidden' });
  assert.deepEqual(await expected(store, f), want, 'rien n’a changé');
  assert.equal((await listAudit(store, { consultation: 'essai' })).filter((e) => e.action.startsWith('moderation.')).length, 0);

  const reason = rejectionReason('Hors sujet', 'publicité pour un commerce');
  const done = await bulkModerate(ctx, { consultation: 'essai', action: 'reject', reason, filter: { ...f, expected: want.length } });
  assert.equal(done.count, want.length);
  const after = new Map((await store.listContributions('essai')).map((c) => [c.id, c]));
  for (const id of want) {
    assert.equal(after.get(id)!.moderation.status, 'rejected');
    assert.equal(after.get(id)!.moderation.reason, 'Hors sujet : publicité pour un commerce');
  }
  const audit = (await listAudit(store, { consultation: 'essai', limit: 10_000 })).filter((e) => e.action === 'moderation.reject');
  assert.deepEqual(audit.map((e) => e.targetId).sort(), [...want].sort(), 'une entrée par contribution');
  for (const e of audit) {
    assert.equal(e.actor, ANALYST.name);
    assert.deepEqual(e.before, { status: 'pending', reason: null });
    assert.equal((e.after as { reason: string }).reason, 'Hors sujet : publicité pour un commerce');
    assert.ok(!JSON.stringify(e).includes('Contribution '), 'le journal ne garde pas le texte');
  }
  // others untouched
  assert.equal([...after.values()].filter((c) => c.moderation.status === 'rejected').length,
    want.length + contributions(120).filter((c) => c.moderation.status === 'rejected').length);
});

storeTest('bulk publish by a text search selects what the scoped index finds, masks applied', async (store) => {
  await seed(store);
  await store.addContributions('essai', [{ ...contributions(1, 'mail')[0]!, id: 'essai:mail', text: 'Les urgences : écrivez à jeanne.exemple@courriel.test pour témoigner.', moderation: { status: 'pending' } }]);
  const ctx = ctxOf(store);
  const f: QueueFilter = { q: 'urgences' };
  const want = await expected(store, f);
  assert.ok(want.includes('essai:mail'));
  const listed = await moderationQueue(ctx, { consultation: 'essai', filter: f, page: 1, pageSize: 20 });
  const done = await bulkModerate(ctx, { consultation: 'essai', action: 'publish', filter: { ...f, expected: listed.total } });
  assert.equal(done.count, want.length);
  assert.deepEqual(new Set(done.ids), new Set(want));
  const mail = await store.getContribution('essai:mail');
  assert.equal(mail!.moderation.status, 'published');
  assert.ok(!mail!.text.includes('jeanne.exemple@courriel.test'), 'jamais publié sans masque');
  // the published ones left the pending range of the index: the same search now finds none pending
  assert.equal((await moderationQueue(ctx, { consultation: 'essai', filter: f, page: 1, pageSize: 20 })).total, 0);
  assert.equal((await moderationQueue(ctx, { consultation: 'essai', filter: { ...f, status: 'published' }, page: 1, pageSize: 100 })).total,
    (await expected(store, { ...f, status: 'published' })).length);
});

describe('moderation queue API', () => {
  test('query validated, filters in the query string, bulk by filter, roles', async () => {
    const t = await testServer();
    try {
      await t.store.upsertMeetings(MEETINGS.map((id, k) => ({
        id, consultation: 'essai', kind: 'atelier', title: `Atelier ${k + 1}`,
        participants: { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: null },
      })));
      await t.store.addContributions('essai', contributions(90));
      const a = await (await Client.create(t.app, '10.9.1.5')).login('analyst');
      let res = await a.get('/api/admin/consultations/essai/moderation?theme=1&channel=atelier&pageSize=50');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      const want = await expected(t.store, { theme: '1', channel: 'atelier' });
      assert.equal(body.total, want.length);
      assert.equal(body.pageSize, 50);
      assert.equal(body.counts.pending, want.length);
      assert.ok(body.items.every((i: { channel: string; themes: string[] }) => i.channel === 'atelier' && i.themes.includes('1')));
      assert.equal((await a.get('/api/admin/consultations/essai/moderation?pageSize=30')).statusCode, 400);
      assert.equal((await a.get('/api/admin/consultations/essai/moderation?channel=pigeon')).statusCode, 400);
      assert.equal((await a.get('/api/admin/consultations/essai/moderation?status=spam')).statusCode, 400);
      res = await a.get('/api/admin/consultations/essai/moderation?q=urgences&status=pending');
      assert.equal(res.json().total, (await expected(t.store, { q: 'urgences' })).length);

      res = await a.post('/api/admin/consultations/essai/moderation', { action: 'reject', filter: { theme: '1', channel: 'atelier', expected: want.length } });
      assert.equal(res.statusCode, 400, res.body);
      res = await a.post('/api/admin/consultations/essai/moderation', { action: 'reject', reason: 'Doublon', filter: { theme: '1', channel: 'atelier', expected: want.length - 1 } });
      assert.equal(res.statusCode, 409, res.body);
      res = await a.post('/api/admin/consultations/essai/moderation', { action: 'reject', reason: 'Doublon', filter: { theme: '1', channel: 'atelier', expected: want.length } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { count: want.length });
      res = await a.get('/api/admin/consultations/essai/moderation?theme=1&channel=atelier&status=rejected&pageSize=100');
      assert.ok(want.every((id) => res.json().items.some((i: { id: string; reason: string }) => i.id === id && i.reason === 'Doublon')));

      const f = await (await Client.create(t.app, '10.9.1.3')).login('facilitator');
      assert.equal((await f.get('/api/admin/consultations/essai/moderation?theme=1')).statusCode, 403);
      assert.equal((await f.post('/api/admin/consultations/essai/moderation', { action: 'publish', filter: { expected: 1 } })).statusCode, 403);
    } finally { await t.close(); }
  });
});

test('card titles: the text’s start, cut on a word', () => {
  assert.equal(excerptTitle('Court texte.'), 'Court texte.');
  const long = 'Le bus vers l’hôpital ne passe que deux fois par jour : les rendez-vous de consultation sont souvent manqués par les patients.';
  const title = excerptTitle(long);
  assert.ok(title.endsWith('…'));
  assert.ok([...title].length <= 81, title);
  assert.ok(long.startsWith(title.slice(0, -1)), title);
  assert.match(long.slice(title.length - 1), /^[\s,;:]/, 'coupé entre deux mots');
  assert.equal(excerptTitle('Sauts\n\nde   ligne'), 'Sauts de ligne');
  assert.equal([...excerptTitle('x'.repeat(200))].length, 81);
  assert.equal(rejectionReason('Spam', ''), 'Spam');
  assert.equal(rejectionReason('', ' publicité '), 'publicité');
});

test('10,000 published by filter in one transaction without freezing the event loop [sqlite]', { timeout: 300_000 }, async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const n = 10_000;
    const items = Array.from({ length: n }, (_, i) => ({
      id: `essai:g${i}`, consultation: 'essai', channel: 'formulaire' as const, text: `Contribution ${i} : ${SUBJECTS[i % SUBJECTS.length]}.`,
      themes: [], moderation: { status: 'pending' as const }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    }));
    for (let i = 0; i < n; i += 2000) await store.addContributions('essai', items.slice(i, i + 2000));
    const ctx = ctxOf(store);
    // a timer every 10 ms: the longest gap between two ticks is the longest the server could not answer
    let last = performance.now();
    let worst = 0;
    const timer = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last); last = now; }, 10);
    const t0 = performance.now();
    const done = await bulkModerate(ctx, { consultation: 'essai', action: 'publish', filter: { expected: n } });
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    console.log(`# 10 000 publiées en ${Math.round(elapsed)} ms ; plus longue pause de la boucle d’événements : ${Math.round(worst)} ms`);
    assert.equal(done.count, n);
    assert.equal(await store.countContributions('essai', { moderation: 'published' }), n);
    assert.equal((await listAudit(store, { consultation: 'essai', limit: 20_000 })).filter((e) => e.action === 'moderation.publish').length, n);
    assert.ok(worst < 1000, `boucle d’événements bloquée ${Math.round(worst)} ms`);
  } finally { await store.close(); }
});
