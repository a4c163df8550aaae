import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Contribution } from '../src/domain/index.ts';
import { moderateContribution, replaceContributionThemes } from '../src/store/moderation.ts';
import { statementCountersMigration } from '../src/store/migration-0012-statement-counters.ts';
import { publicStatsMigration } from '../src/store/migration-0007-public-stats.ts';
import type { Store } from '../src/store/index.ts';
import { storeTest } from './helpers/stores.ts';
import { STORE_TEXTS, testConsultation, testDocument } from './helpers/fixtures.ts';

const TEXTS = [...STORE_TEXTS, 'Un bus de dépistage sur les marchés une fois par an.'];

/** The statistics counted from the rows, as `stats` did before the counters. */
async function recount(store: Store, consultation: string, statuses?: string[]) {
  const scoped = <T extends { where: (...a: any[]) => T }>(q: T, col: string): T =>
    (statuses ? q.where(col, 'in', statuses) : q);
  const countBy = async (column: 'kind' | 'meeting' | 'author_college' | 'channel') => {
    const rows = await scoped(store.db.selectFrom('contributions').select([column, (eb) => eb.fn.countAll<number>().as('n')])
      .where('consultation', '=', consultation), 'moderation_status').groupBy(column).execute();
    const out: Record<string, number> = {};
    for (const r of rows) out[(r as Record<string, unknown>)[column] as string ?? '(non renseigné)'] = Number(r.n);
    return out;
  };
  const themeRows = await scoped(store.db.selectFrom('contribution_themes')
    .innerJoin('contributions', 'contributions.id', 'contribution_themes.contribution_id')
    .select(['contribution_themes.theme', (eb) => eb.fn.countAll<number>().as('n')])
    .where('contributions.consultation', '=', consultation), 'contributions.moderation_status')
    .groupBy('contribution_themes.theme').execute();
  const byTheme: Record<string, number> = {};
  for (const r of themeRows) byTheme[r.theme] = Number(r.n);
  const without = await scoped(store.db.selectFrom('contributions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consultation', '=', consultation)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contribution_themes').select('theme').whereRef('contribution_themes.contribution_id', '=', 'contributions.id')))),
  'moderation_status').executeTakeFirstOrThrow();
  const total = await scoped(store.db.selectFrom('contributions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consultation', '=', consultation), 'moderation_status').executeTakeFirstOrThrow();
  return {
    contributions: Number(total.n), byTheme, byKind: await countBy('kind'), byMeeting: await countBy('meeting'),
    byCollege: await countBy('author_college'), byChannel: await countBy('channel'), withoutTheme: Number(without.n),
  };
}

async function assertCountersExact(store: Store, step: string): Promise<void> {
  for (const slug of ['essai', 'autre']) {
    for (const statuses of [undefined, ['published'], ['pending'], ['rejected'], ['pending', 'published']]) {
      const s = await store.stats(slug, statuses ? { moderation: statuses } : {});
      const { consultation: _c, documents: _d, meetings: _m, ...counted } = s;
      assert.deepEqual(counted, await recount(store, slug, statuses), `${step} — ${slug} ${statuses?.join('+') ?? 'tous statuts'}`);
    }
  }
  // arrival-order buckets (deep pages)
  const buckets = await store.db.selectFrom('contribution_counts').select(['consultation', 'value', 'moderation_status', 'n'])
    .where('dimension', '=', 'seq_bucket').where('n', '<>', 0).orderBy('consultation').orderBy('value').orderBy('moderation_status').execute();
  const rows = await store.db.selectFrom('contributions').select(['consultation', 'seq', 'moderation_status']).execute();
  const recounted = new Map<string, number>();
  for (const r of rows) { const k = `${r.consultation}|${Math.floor(Number(r.seq) / 10_000)}|${r.moderation_status}`; recounted.set(k, (recounted.get(k) ?? 0) + 1); }
  assert.deepEqual(new Map(buckets.map((b) => [`${b.consultation}|${b.value}|${b.moderation_status}`, Number(b.n)])), recounted, `${step} — tranches`);
  const meeting = (await store.listMeetings('essai'))[0]?.id ?? 'aucune';
  for (const filter of [{ moderation: 'published' }, { moderation: 'pending', theme: '2' }, { kind: 'proposition' }, { moderation: 'published', college: 'usagers' },
    { moderation: 'published', kind: 'proposition', college: 'usagers' }, { theme: '1', kind: 'constat' }, { moderation: 'published', theme: '3', college: 'elus' },
    { theme: '2', meeting }, { kind: 'constat', meeting }, { moderation: 'pending', meeting, college: 'usagers' }, { channel: 'formulaire' },
    { theme: '2', kind: 'proposition', college: 'usagers' }]) {
    const rows = await store.db.selectFrom('contributions').select('id').where('consultation', '=', 'essai').execute();
    const expected = (await store.listContributions('essai', filter)).length;
    assert.equal(await store.countContributions('essai', filter), expected, `${step} — count ${JSON.stringify(filter)} (${rows.length} rows)`);
  }
}

function formContribution(n: number, extra: Partial<Contribution> = {}): Contribution {
  return {
    id: `formulaire:t${n}`, consultation: 'essai', channel: 'formulaire', text: `Texte du formulaire numéro ${n} sur les urgences.`,
    themes: n % 3 === 0 ? [] : [{ theme: String((n % 4) + 1), provenance: { by: 'source', documentId: 'formulaire' } }],
    moderation: { status: n % 2 ? 'pending' : 'published' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    ...(n % 4 === 0 ? { authorCollege: 'usagers' as const } : {}), ...(n % 5 === 0 ? { kind: 'proposition' as const } : {}), ...extra,
  };
}

storeTest('public counters equal a recount from the rows after inserts, updates, theme changes and deletes', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.upsertConsultation(testConsultation('autre'));
  await assertCountersExact(store, 'vide');

  await store.importParsed('essai', testDocument(TEXTS));
  await store.importParsed('autre', testDocument(TEXTS.slice(0, 3), { documentId: 'b'.repeat(64), consultation: 'autre' }));
  await store.addContributions('essai', Array.from({ length: 12 }, (_, i) => formContribution(i)));
  await assertCountersExact(store, 'après les imports et le formulaire');

  // moderation: status changes (and a text edit, which moves no counter)
  await moderateContribution(store, 'formulaire:t1', { status: 'published', by: 'moderatrice', action: 'moderation.publish' });
  await moderateContribution(store, 'formulaire:t3', { status: 'rejected', reason: 'hors sujet', by: 'moderatrice', action: 'moderation.reject' });
  await moderateContribution(store, 'formulaire:t2', { status: 'pending', by: 'moderatrice', action: 'moderation.pending', text: 'Texte corrigé sur les urgences.' });
  await assertCountersExact(store, 'après la modération');

  // theme changes: human, model (upsert over an existing row), replacement, removal to none, model results replaced
  const first = (await store.listContributions('essai'))[0]!.id;
  await store.assignThemes(first, [{ theme: '3', provenance: { by: 'human', reviewer: 'r', at: '2026-01-01T00:00:00Z' } }]);
  await store.assignThemes(first, [{ theme: '3', provenance: { by: 'model', model: 'm', version: '1', probability: 0.4, at: '2026-01-02T00:00:00Z' } }]);
  await replaceContributionThemes(store, 'formulaire:t4', [{ theme: '1', provenance: { by: 'human', reviewer: 'r', at: '2026-01-01T00:00:00Z' } },
    { theme: '2', provenance: { by: 'human', reviewer: 'r', at: '2026-01-01T00:00:00Z' } }], null);
  await replaceContributionThemes(store, 'formulaire:t5', [], null);
  await store.applyModelResults({
    themes: [{ contribution: 'formulaire:t6', assignments: [{ theme: '4', provenance: { by: 'model', model: 'm', version: '1', probability: 0.9, at: '2026-01-02T00:00:00Z' } }] },
      { contribution: 'formulaire:t9', assignments: [{ theme: '1', provenance: { by: 'model', model: 'm', version: '1', probability: 0.9, at: '2026-01-02T00:00:00Z' } }] }],
    kinds: [{ contribution: 'formulaire:t7', kind: 'constat', provenance: { by: 'model', model: 'm', version: '1', probability: 0.8, at: '2026-01-02T00:00:00Z' } }],
    replaceModelThemes: true,
  });
  await store.applyModelResults({ themes: [{ contribution: 'formulaire:t6', assignments: [] }], replaceModelThemes: true });
  await store.db.updateTable('contribution_themes').set({ theme: '2' }).where('contribution_id', '=', 'formulaire:t9').where('theme', '=', '1').execute();
  await assertCountersExact(store, 'après les changements de thèmes');

  // a multi-row update (every dimension moves) and a moved contribution
  await store.db.updateTable('contributions').set({ author_college: 'elus', channel: 'courrier' }).where('id', 'like', 'formulaire:t1%').execute();
  await store.db.updateTable('contributions').set({ consultation: 'autre' }).where('id', '=', 'formulaire:t8').execute();
  await assertCountersExact(store, 'après les mises à jour groupées');

  // deletes: re-import by a newer parser (cascades to meetings → set null, themes), single rows, a consultation
  await store.importParsed('essai', testDocument(TEXTS.slice(0, 4), { parserVersion: '2.0.0' }));
  await store.db.deleteFrom('contributions').where('id', 'in', ['formulaire:t0', 'formulaire:t4', 'formulaire:t5']).execute();
  await store.db.deleteFrom('meetings').where('consultation', '=', 'autre').execute();
  await assertCountersExact(store, 'après les suppressions');
  await store.db.deleteFrom('consultations').where('slug', '=', 'autre').execute();
  await assertCountersExact(store, 'après la suppression d’une consultation');
  const stale = await store.db.selectFrom('contribution_counts').select('n').where('consultation', '=', 'autre').where('n', '<>', 0).execute();
  assert.deepEqual(stale, []);
});

storeTest('the migration back-fills the counters of contributions stored before it', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(TEXTS));
  await store.addContributions('essai', Array.from({ length: 6 }, (_, i) => formContribution(i)));
  // forget the counters and replay the migration's back-fill, as on a database created before 0007
  await store.db.deleteFrom('contribution_counts').execute();
  const drop = store.dialect === 'sqlite'
    ? ['contribution_counts_ai', 'contribution_counts_bd', 'contribution_counts_au', 'contribution_counts_au_themed', 'contribution_counts_themes_ai', 'contribution_counts_themes_ad', 'contribution_counts_themes_au']
    : [];
  for (const t of drop) await sql.raw(`DROP TRIGGER ${t}`).execute(store.db);
  if (store.dialect === 'postgres') {
    await sql.raw('DROP TRIGGER contribution_counts_ai ON contributions; DROP TRIGGER contribution_counts_bd ON contributions; DROP TRIGGER contribution_counts_au ON contributions; DROP TRIGGER contribution_counts_themes_ai ON contribution_themes; DROP TRIGGER contribution_counts_themes_ad ON contribution_themes; DROP TRIGGER contribution_counts_themes_au ON contribution_themes; DROP FUNCTION contribution_counts_on_insert(); DROP FUNCTION contribution_counts_on_update(); DROP FUNCTION contribution_counts_on_theme_insert(); DROP FUNCTION contribution_counts_on_contribution(); DROP FUNCTION contribution_counts_on_theme(); DROP FUNCTION contribution_counts_add(contributions, integer)').execute(store.db);
  }
  await store.db.schema.dropIndex('contributions_consultation_status_seq').execute();
  await store.db.schema.dropTable('contribution_counts').execute();
  await store.db.schema.alterTable('contributions').dropColumn('theme_count').execute();
  // replayed directly: later migrations are applied already, and the migrator only runs migrations in order
  await publicStatsMigration(store.dialect).up(store.db);
  await statementCountersMigration(store.dialect).up(store.db);
  await store.upsertConsultation(testConsultation('autre'));
  await assertCountersExact(store, 'après la migration');
});
