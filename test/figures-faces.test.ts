/**
 * Issue 11, "the same question gets the same number everywhere": on a demo-like consultation holding published,
 * pending, rejected and spam contributions (a public-form one left pending among them), the five faces — the home
 * page list, « En chiffres », the analysis page's API, the restitution's verified figures and `fabrique stats --json`
 * — give identical figures, and none counts what is not public. Then: in a restitution, an idea's number inside a
 * kind section counts that idea's contributions of the section's kind, and a count that does not is refused by verify.
 * Last, the one store query behind the faces on SQLite and PostgreSQL.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CNR_SANTE_THEMES, isPublic, type ContributionKind } from '../src/domain/index.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import type { Meeting } from '../src/domain/meeting.ts';
import { parseTabular } from '../src/ingest/tabular/index.ts';
import { Store } from '../src/store/index.ts';
import { moderateContribution } from '../src/store/moderation.ts';
import { publicFigures, withheldCounts } from '../src/store/public-stats.ts';
import { buildSynthesis, verifySynthesis, type IdeaItem, type Section, type SynthesisDocument } from '../src/synthesis/index.ts';
import { context, VISITOR } from '../src/usecases/context.ts';
import { submitContribution } from '../src/usecases/contributions.ts';
import { runCli } from './helpers/cli.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';
import { buildParsed } from './helpers/synthesis-fixture.ts';

const SLUG = 'essai';

const participants = { elus: 4, institutionnels: 2, professionnels: 6, associations: 3, usagers: 9, autres: null, total: 24 };
const MEETINGS = (): Meeting[] => [
  { id: 'fig-m1', consultation: '', kind: 'atelier', title: 'Atelier fictif de Villefranche', territory: '12', date: '2026-02-10', participants },
  { id: 'fig-m2', consultation: '', kind: 'atelier', title: 'Atelier fictif de Millau', territory: '12', date: '2026-02-17', participants },
];

type Item = { meeting: string; theme: string; kind: ContributionKind; text: string };
/** Workshop items, published with their document by a named person: theme 1 holds constats and propositions. */
const WORKSHOP: Item[] = [
  ...['Le cabinet médical du bourg ferme le samedi matin.', 'Les délais de rendez-vous chez le généraliste dépassent un mois.',
    'Les jeunes médecins ne restent pas faute de logement.'].map((text) => ({ meeting: 'fig-m1', theme: '1', kind: 'constat' as const, text })),
  ...['Ouvrir une maison de santé pluriprofessionnelle au bourg.', 'Créer un cabinet éphémère pendant les vacances scolaires.',
    'Financer un poste d’assistant médical partagé.', 'Proposer des consultations avancées de spécialistes.',
    'Organiser un transport solidaire vers le cabinet.'].map((text) => ({ meeting: 'fig-m2', theme: '1', kind: 'proposition' as const, text })),
  { meeting: 'fig-m1', theme: '2', kind: 'constat', text: 'Les urgences de nuit sont saturées le week-end.' },
  { meeting: 'fig-m1', theme: '2', kind: 'proposition', text: 'Faire connaître le numéro du service d’accès aux soins.' },
  { meeting: 'fig-m2', theme: '3', kind: 'levier_frein', text: 'Le manque d’emploi pour le conjoint freine les installations.' },
];

/** An online form's export, imported unpublished: every line waits for moderation. */
const ONLINE_CSV = [
  'Texte;Thème;Nature',
  'Il faut un pédiatre au moins une fois par semaine dans le canton;1;Proposition',
  'Le centre de soins non programmés est trop loin;2;Constat',
  'Soutenir les infirmières libérales qui font de longues tournées;3;Proposition',
  'Gagnez de l’argent facilement en cliquant ici;1;Proposition',
  'Texte de test à ne pas publier;2;Constat',
  'Ouvrir une permanence de sage-femme à la mairie;4;Proposition',
].join('\r\n') + '\r\n';

let server: TestServer;
let dir: string;
let dbPath: string;
let analyst: Client;
let visitor: Client;
let groupIds: { mixed: string };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fabrique-figures-'));
  dbPath = join(dir, 'fabrique.sqlite');
  server = await testServer({}, await Store.open({ sqlitePath: dbPath }));
  const { store } = server;
  // open until far ahead: the form's contributions must be accepted whatever the date of the run
  const c = (await store.getConsultation(SLUG))!;
  await store.upsertConsultation({ ...c, periodEnd: '2099-12-31' });

  const { parsed } = buildParsed('atelier-fictif-figures.txt', SLUG, MEETINGS(), WORKSHOP);
  for (const x of parsed.contributions) x.territory = '12';
  await store.importParsed(SLUG, parsed, { publishBy: 'animatrice@ars.test' });
  const online = await parseTabular(Buffer.from(ONLINE_CSV), 'formulaire-en-ligne.csv', { consultation: SLUG, themes: [...CNR_SANTE_THEMES] });
  await store.importParsed(SLUG, online);

  analyst = await (await Client.create(server.app)).login('analyst');
  visitor = await Client.create(server.app);
  const pending = (await store.listContributions(SLUG)).filter((x) => x.moderation.status === 'pending');
  const byText = (s: string) => pending.find((x) => x.text.startsWith(s))!.id;
  const moderate = async (id: string, action: 'publish' | 'reject', reason?: string) => {
    const res = await analyst.post(`/api/admin/contributions/${encodeURIComponent(id)}/moderation`, { action, ...(reason ? { reason } : {}) });
    assert.equal(res.statusCode, 200, res.body);
  };
  await moderate(byText('Il faut un pédiatre'), 'publish');
  await moderate(byText('Le centre de soins'), 'publish');
  await moderate(byText('Soutenir les infirmières'), 'publish');
  await moderate(byText('Gagnez de l’argent'), 'reject', 'indésirable (spam)');
  await moderate(byText('Texte de test'), 'reject', 'test');
  // « Ouvrir une permanence de sage-femme » stays pending

  // the public form: one left pending, one published that was sent from another département (Tarn) with no theme
  const form = context(store, VISITOR);
  await submitContribution(form, { consultation: SLUG, text: 'Contribution de test envoyée par le formulaire, jamais modérée.', theme: '1', postcode: '12000' });
  const sent = await submitContribution(form, { consultation: SLUG, text: 'Je passe mes vacances en Aveyron et je n’ai pas trouvé de médecin.', postcode: '81000' });
  await moderate(sent.id, 'publish');

  // an idea of theme 1 mixing constats and propositions (propositions the most frequent): its place is « Solutions »
  const published = (await store.listContributions(SLUG)).filter(isPublic);
  const of = (theme: string, kind: ContributionKind) => published.filter((x) => x.themes.some((t) => t.theme === theme) && x.kind === kind).map((x) => x.id);
  const mixed: IdeaGroup = {
    id: 'fig-acces', consultation: SLUG, parent: null, theme: '1', label: 'Des médecins au bourg', labelByHuman: true,
    members: [...of('1', 'constat'), ...of('1', 'proposition').slice(0, 4)].map((contribution) => ({ contribution, provenance: { by: 'human', reviewer: 'analyste@ars.test', at: '2026-02-20T10:00:00Z' } })),
    quotes: [], lineage: [],
  };
  await store.saveIdeaGroups(SLUG, [mixed], '1');
  groupIds = { mixed: mixed.id };
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const json = async (c: Client, url: string) => {
  const res = await c.get(url);
  assert.equal(res.statusCode, 200, `${url} : ${res.body}`);
  return res.json();
};

function* walk(sections: Section[]): Generator<Section> {
  for (const s of sections) { yield s; yield* walk(s.sections); }
}

describe('les cinq faces donnent les mêmes chiffres', () => {
  test('accueil, « En chiffres », analyse, restitution et fabrique stats : mêmes nombres, contributions publiques seulement', async () => {
    const { store } = server;
    const all = await store.listContributions(SLUG);
    const pub = all.filter(isPublic);
    // the fixture holds every status, and the expected figure is counted here from the rows, independently
    assert.deepEqual([...new Set(all.map((x) => x.moderation.status))].sort(), ['pending', 'published', 'rejected']);
    assert.equal(pub.length, WORKSHOP.length + 3 + 1);
    const expected = {
      total: pub.length,
      byTheme: (t: string) => pub.filter((x) => x.themes.some((a) => a.theme === t)).length,
      byKind: (k: string) => pub.filter((x) => x.kind === k).length,
      byMeeting: (m: string) => pub.filter((x) => x.meeting === m).length,
    };

    const list = (await json(visitor, '/api/consultations')).items.find((x: { slug: string }) => x.slug === SLUG);
    const stats = await json(visitor, `/api/consultations/${SLUG}/stats`);
    const cli = await runCli(['stats', '--consultation', SLUG, '--json'], { FABRIQUE_DB: dbPath });
    assert.equal(cli.code, 0, cli.stderr);
    const cliStats = JSON.parse(cli.stdout);
    assert.equal(cliStats.contributions, expected.total, 'fabrique stats');
    const analysis = await json(analyst, `/api/admin/consultations/${SLUG}/figures`);
    const doc = await buildSynthesis(store, { consultation: SLUG, level: 'departement', now: new Date('2026-03-01T00:00:00Z') });
    const verified = await verifySynthesis(store, doc);
    assert.ok(verified.ok, JSON.stringify(verified.failures.slice(0, 5)));
    const fig = (key: string) => {
      const f = doc.figures.find((x) => x.key === key);
      assert.ok(f, `chiffre ${key} absent de la restitution`);
      return f.value;
    };

    // the consultation's total, face by face
    assert.equal(list.counts.contributions, expected.total, 'accueil');
    assert.equal(stats.contributions, expected.total, '« En chiffres »');
    assert.equal(analysis.public.contributions, expected.total, 'analyse');
    assert.equal(cliStats.contributions, expected.total, 'fabrique stats');
    assert.equal(fig('consultation.total'), expected.total, 'restitution : toute la consultation');
    // the restitution is about Aveyron: it says how many come from elsewhere instead of counting them
    assert.equal(fig('consultation.elsewhere'), 1);
    assert.equal(fig('total'), expected.total - 1);
    // the same public figures under the same names, everywhere but the restitution (which has no channel or documents)
    for (const key of ['contributions', 'documents', 'meetings', 'participants', 'meetingsWithParticipants', 'byTheme', 'byKind', 'byMeeting', 'byCollege', 'byChannel', 'withoutTheme']) {
      assert.deepEqual(analysis.public[key], stats[key], `analyse ${key}`);
      assert.deepEqual(cliStats[key], stats[key], `fabrique stats ${key}`);
    }
    assert.equal(list.counts.meetings, stats.meetings);
    // per theme, per kind, per meeting: API = restitution = counted from the rows (the out-of-territory one has no theme, kind or meeting)
    for (const t of CNR_SANTE_THEMES) {
      assert.equal(stats.byTheme[t.code] ?? 0, expected.byTheme(t.code), `thème ${t.code}`);
      assert.equal(fig(`theme.${t.code}.total`), expected.byTheme(t.code), `restitution, thème ${t.code}`);
    }
    for (const k of ['constat', 'proposition', 'levier_frein']) {
      assert.equal(stats.byKind[k] ?? 0, expected.byKind(k), `nature ${k}`);
      assert.equal(fig(`kind.${k}`), expected.byKind(k), `restitution, nature ${k}`);
    }
    for (const m of MEETINGS()) {
      assert.equal(stats.byMeeting[m.id], expected.byMeeting(m.id), `réunion ${m.id}`);
      assert.equal(fig(`meeting.${m.id}.contributions`), expected.byMeeting(m.id), `restitution, réunion ${m.id}`);
    }
    assert.equal(fig('meetings'), stats.meetings);
    // participants: the totals the meetings state, summed the same way
    assert.equal(stats.participants, 2 * participants.total);
    assert.equal(stats.meetingsWithParticipants, 2);
    assert.equal(fig('participants.total'), stats.participants);
    assert.equal(stats.withoutTheme, 1);

    // what is not public is shown apart in the back office and the CLI, never added in
    assert.deepEqual(analysis.withheld, { pending: 2, rejected: 2, other: 0 });
    assert.deepEqual(cliStats.withheld, analysis.withheld);
    const text = await runCli(['stats', '--consultation', SLUG], { FABRIQUE_DB: dbPath });
    assert.match(text.stdout, new RegExp(`^${expected.total} contributions publiques`, 'm'));
    assert.match(text.stdout, /Hors chiffres publics \(non comptées ci-dessus\) : 2 à modérer, 2 rejetées/);
    // a theme is named by its label, without its code
    assert.match(text.stdout, /^Accès à un médecin traitant/m);
    assert.doesNotMatch(text.stdout, /^\S+\. /m);

    // the restitution says what its totals count
    const contexte = [...walk(doc.sections)].find((s) => s.key === 'contexte.reunions')!;
    const para = contexte.blocks.find((b) => b.type === 'paragraph');
    const words = para && para.type === 'paragraph' ? para.content.map((x) => (typeof x === 'string' ? x : `[${x.figure}]`)).join('') : '';
    assert.match(words, /\[meetings\] réunion\(s\) enregistrée\(s\) \(\[participants\.total\] participant\(s\) selon les totaux indiqués\) ; /);
    assert.match(words, /\[total\] contribution\(s\) publiée\(s\) rattachée\(s\) au territoire « Aveyron » ; \[consultation\.total\] contribution\(s\) publiée\(s\) dans toute la consultation, dont \[consultation\.elsewhere\] venant d’autres territoires/);
  });
});

describe('un nombre d’idée compte ce qu’annonce sa rubrique', () => {
  const ideasOf = (doc: SynthesisDocument, sectionKey: string) => {
    const s = [...walk(doc.sections)].find((x) => x.key === sectionKey)!;
    const b = s.blocks.find((x) => x.type === 'ideas');
    assert.ok(b && b.type === 'ideas', sectionKey);
    return b;
  };

  test('dans « Solutions et propositions », une idée compte ses propositions, pas ses constats ; la rubrique le dit', async () => {
    const { store } = server;
    const doc = await buildSynthesis(store, { consultation: SLUG, level: 'departement' });
    const block = ideasOf(doc, 'theme.1.propositions');
    const value = (key: string) => doc.figures.find((f) => f.key === key)!.value;
    const idea = block.items.find((i) => i.key === `g:${groupIds.mixed}`)!;
    assert.ok(idea, 'l’idée est placée dans les propositions');
    assert.equal(value(idea.figure), 4, 'ses 4 propositions, non ses 3 constats');
    const sectionTotal = value((block.intro!.find((x) => typeof x !== 'string') as { figure: string }).figure);
    assert.equal(sectionTotal, 6);
    // the idea and the rest of the section partition it
    assert.equal(block.items.reduce((n, i: IdeaItem) => n + value(i.figure), 0), sectionTotal);
    assert.match(block.intro!.filter((x) => typeof x === 'string').join(''), /proposition\(s\) publiée\(s\) sur ce thème.*compte ses propositions/);
    // the constats of the idea are still counted, in the constats section (as the rest of that section)
    const constats = ideasOf(doc, 'theme.1.constats');
    assert.equal(constats.items.reduce((n, i) => n + value(i.figure), 0), 3);
  });

  test('un nombre d’idée trafiqué (constats comptés avec les propositions) fait échouer la vérification', async () => {
    const { store } = server;
    const doc = await buildSynthesis(store, { consultation: SLUG, level: 'departement' });
    assert.ok((await verifySynthesis(store, doc)).ok);
    const idea = ideasOf(doc, 'theme.1.propositions').items.find((i) => i.key === `g:${groupIds.mixed}`)!;
    const f = doc.figures.find((x) => x.key === idea.figure)!;

    // the value alone: recomputed from the rule
    const tampered = structuredClone(doc);
    tampered.figures.find((x) => x.key === f.key)!.value = 7;
    const r1 = await verifySynthesis(store, tampered);
    assert.ok(r1.failures.some((x) => x.path.includes(f.key) && /le document indique 7, les données donnent 4/.test(x.message)), JSON.stringify(r1.failures));

    // the rule, value and list made consistent with each other but counting the idea's constats too (the old count)
    const whole = structuredClone(doc);
    const g = whole.figures.find((x) => x.key === f.key)!;
    assert.equal(g.rule.op, 'contributions');
    if (g.rule.op !== 'contributions') return;
    delete g.rule.where.kinds;
    const members = (await store.listIdeaGroups(SLUG, '1')).find((x) => x.id === groupIds.mixed)!.members.map((m) => m.contribution);
    g.contributions = members;
    g.value = members.length;
    const r2 = await verifySynthesis(store, whole);
    assert.equal(r2.ok, false);
    assert.ok(r2.failures.some((x) => /« Des médecins au bourg » compte 3 contributions que la rubrique « Solutions et propositions » ne compte pas/.test(x.message)),
      JSON.stringify(r2.failures));
  });
});

// The one store query behind every face, on both databases (sums and counts come back as strings from PostgreSQL).
storeTest('publicFigures : contributions publiques seulement, réunions et participants, plusieurs consultations d’une lecture', async (store) => {
  await store.upsertConsultation({ slug: 'fig-a', title: 'A', territory: '12', status: 'open', themes: [...CNR_SANTE_THEMES] });
  await store.upsertConsultation({ slug: 'fig-b', title: 'B', territory: '12', status: 'open', themes: [...CNR_SANTE_THEMES] });
  const { parsed } = buildParsed('atelier-fictif-a.txt', 'fig-a', MEETINGS(), WORKSHOP);
  await store.importParsed('fig-a', parsed, { publishBy: 'animatrice@ars.test' });
  const online = await parseTabular(Buffer.from(ONLINE_CSV), 'en-ligne-a.csv', { consultation: 'fig-a', themes: [...CNR_SANTE_THEMES] });
  await store.importParsed('fig-a', online);
  const pending = (await store.listContributions('fig-a')).filter((c) => c.moderation.status === 'pending');
  await moderateContribution(store, pending[0]!.id, { status: 'published', by: 'analyste@ars.test', action: 'contribution.publish' });
  await moderateContribution(store, pending[1]!.id, { status: 'rejected', reason: 'indésirable', by: 'analyste@ars.test', action: 'contribution.reject' });

  const figures = await publicFigures(store, ['fig-a', 'fig-b', 'fig-inconnue']);
  const a = figures.get('fig-a')!;
  const pub = (await store.listContributions('fig-a')).filter(isPublic);
  assert.equal(a.contributions, WORKSHOP.length + 1);
  assert.equal(a.contributions, pub.length);
  assert.equal(a.byTheme['1'], pub.filter((c) => c.themes.some((t) => t.theme === '1')).length);
  assert.equal(a.byKind.proposition, pub.filter((c) => c.kind === 'proposition').length);
  assert.deepEqual([a.meetings, a.documents, a.participants, a.meetingsWithParticipants], [2, 2, 2 * participants.total, 2]);
  assert.deepEqual(figures.get('fig-b'), {
    consultation: 'fig-b', contributions: 0, documents: 0, meetings: 0, participants: null, meetingsWithParticipants: 0,
    byTheme: {}, byKind: {}, byMeeting: {}, byCollege: {}, byChannel: {}, withoutTheme: 0,
  });
  assert.equal(figures.get('fig-inconnue')?.contributions, 0);
  assert.equal((await publicFigures(store)).get('fig-a')?.contributions, a.contributions, 'toutes les consultations d’une lecture');
  assert.deepEqual(await withheldCounts(store, 'fig-a'), { pending: 4, rejected: 1 });
});
