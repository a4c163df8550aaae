// Quote selection in syntheses: each text once, a campaign once with its size, capitals avoided,
// a few quotes per idea ranked for relevance to the idea's label; names in headings masked.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Contribution } from '../src/domain/contribution.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { pseudonymise } from '../src/privacy/pseudonymise.ts';
import { Store } from '../src/store/store.ts';
import {
  buildSynthesis, renderHtml, renderMarkdown, verifySynthesis, walkIdeas, walkSections, type IdeaItem, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import { isShouting, quoteKey, quoteText, rankQuotes } from '../src/synthesis/quotes.ts';
import { buildParsed } from './helpers/synthesis-fixture.ts';

const NOW = new Date('2024-03-01T10:00:00Z');
const SLUG = 'test-citations';

const contribution = (id: string, text: string): Contribution => ({
  id, consultation: SLUG, channel: 'atelier', text, themes: [], moderation: { status: 'published' },
  source: { documentId: 'd', file: 'f.txt' },
});

function ideaItems(doc: SynthesisDocument): IdeaItem[] {
  return [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
}

describe('quote selection (pure functions)', () => {
  test('a long text is cut at a sentence end, else a word end, never inside a word', () => {
    const words = Array.from({ length: 120 }, (_, i) => `mot${i}`).join(' ');
    const q = quoteText(words, 100);
    assert.ok(q.excerpt && q.text.length <= 100 && words.startsWith(q.text));
    assert.equal(words[q.text.length], ' ', 'cut before a space');
    const sentences = `${'Une première phrase assez longue pour compter. '.repeat(3)}Puis une suite sans fin ${'encore '.repeat(40)}`;
    const s = quoteText(sentences, 200);
    assert.ok(s.text.endsWith('.'), s.text);
    const short = quoteText('  Texte court.  ');
    assert.deepEqual(short, { text: 'Texte court.', excerpt: true });
  });

  test('capitals are recognised; quote keys ignore case, accents and punctuation', () => {
    assert.ok(isShouting('NON À LA FERMETURE DES URGENCES DE NUIT'));
    assert.ok(!isShouting('Non à la fermeture des urgences de nuit (SMUR, ARS).'));
    assert.ok(!isShouting('SMUR'), 'too short to say');
    assert.equal(quoteKey('Il faut un médecin de garde, le week-end !'), quoteKey('il faut un MEDECIN de garde le week end'));
  });

  test('ranking: relevance to the label first, capitals last, readability between equals', () => {
    const pool = [
      contribution('a', 'Les habitants se plaignent du bruit des travaux sur la place du marché.'),
      contribution('b', 'UN TRANSPORT À LA DEMANDE VERS LES CONSULTATIONS DE SPÉCIALISTES SERAIT BIENVENU.'),
      contribution('c', 'Un transport vers la ville serait utile pour les personnes âgées isolées.'),
      contribution('d', 'Organiser un transport à la demande vers les consultations de l’hôpital, deux fois par semaine.'),
      contribution('e', 'transport'),
    ];
    const order = rankQuotes(pool, 'Transport à la demande vers les consultations').map((r) => r.contribution.id);
    assert.equal(order[0], 'd', 'most label stems');
    assert.ok(order.indexOf('c') < order.indexOf('a'), 'some label stems before none');
    assert.ok(order.indexOf('c') < order.indexOf('e'), 'a one-word fragment reads worse than a sentence with as many label stems');
    assert.equal(order.at(-1), 'b', 'capitals last although relevant');
    // the group's representatives come first among texts not in capitals
    assert.equal(rankQuotes(pool, 'Transport à la demande vers les consultations', new Set(['a']))[0]!.contribution.id, 'a');
  });
});

describe('quotes in a built synthesis (consultation fictive)', () => {
  let store: Store;
  let doc: SynthesisDocument;
  const campaignText = 'Non à la fermeture des urgences de nuit : nous demandons leur maintien toute l’année.';

  before(async () => {
    store = await Store.open({ sqlitePath: ':memory:' });
    await store.upsertConsultation({ slug: SLUG, title: 'Consultation fictive', territory: '46', status: 'closed', themes: [...CNR_SANTE_THEMES] });
    const m = { id: 'm1', consultation: '', kind: 'atelier' as const, title: 'Atelier au cabinet du Dr Fictivier', place: 'Cahors', territory: '46',
      participants: { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: null } };
    const items = [
      // a copy-paste campaign: 6 copies, one with a variant ending, spread over two categories
      ...Array.from({ length: 4 }, () => ({ meeting: 'm1', theme: '2', kind: 'proposition' as const, text: campaignText, category: 'Urgences' })),
      { meeting: 'm1', theme: '2', kind: 'proposition' as const, text: campaignText, category: 'Permanence des soins' },
      { meeting: 'm1', theme: '2', kind: 'proposition' as const, text: `${campaignText} Merci.`, category: 'Permanence des soins' },
      { meeting: 'm1', theme: '2', kind: 'proposition' as const, text: 'Ouvrir une maison médicale de garde le samedi près de l’hôpital.', category: 'Permanence des soins' },
      { meeting: 'm1', theme: '2', kind: 'proposition' as const, text: 'Renforcer les urgences de l’hôpital la nuit avec des médecins de ville volontaires.', category: 'Urgences' },
      // ten proposals on transport, one in capitals, one exact repeat of another in a different case
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'TRANSPORT À LA DEMANDE VERS LES CONSULTATIONS POUR TOUS LES VILLAGES DU CANTON.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Les trottoirs du bourg sont trop étroits pour les fauteuils.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Un transport à la demande vers les consultations de spécialistes, réservable la veille.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Un transport à la demande vers les consultations de spécialistes, réservable la veille !', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Financer un transport solidaire vers les consultations avec des bénévoles.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Il faudrait un bus le jeudi vers la ville.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Une navette vers les consultations du centre hospitalier serait utile.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Développer le covoiturage entre voisins pour aller chez le médecin.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Rembourser les taxis conventionnés plus facilement.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Ce serait bien.', category: 'Transport à la demande vers les consultations' },
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'OUVRIR LE CABINET LE SAMEDI MATIN POUR LES ACTIFS.', category: 'Horaires' },
      // headings of a workshop report that name people, and roles that are not names
      { meeting: 'm1', theme: '3', kind: 'temoignage' as const, text: 'Les jeunes médecins cherchent un exercice en équipe.', category: 'Témoignage : Dr Fictivier, médecin généraliste' },
      { meeting: 'm1', theme: '3', kind: 'temoignage' as const, text: 'Le conjoint doit trouver un emploi sur place.', category: 'Intervention de Mme Exempla, adjointe au maire' },
      { meeting: 'm1', theme: '3', kind: 'temoignage' as const, text: 'La commune met un logement à disposition des internes.', category: 'Intervention de M. le maire' },
      { meeting: 'm1', theme: '3', kind: 'temoignage' as const, text: 'Le département finance des bourses d’études.', category: 'Intervention de Mme la députée' },
    ];
    const { parsed } = buildParsed('citations-fictives.txt', SLUG, [m], items);
    await store.importParsed(SLUG, parsed, { publishBy: 'analyste@test.invalid' });
    doc = await buildSynthesis(store, { consultation: SLUG, level: 'departement', now: NOW });
  });
  after(async () => { await store.close(); });

  test('no text is quoted twice in the document, even near-identical', () => {
    const keys = doc.quotes.map((q) => quoteKey(q.text.replace(/[!.]+$/u, '')));
    assert.equal(new Set(keys).size, keys.length, JSON.stringify(doc.quotes.map((q) => q.text), null, 1));
  });

  test('a copy-paste campaign is quoted once, with its size, and verifies', async () => {
    const campaign = doc.quotes.filter((q) => q.text.startsWith('Non à la fermeture'));
    assert.equal(campaign.length, 1);
    assert.equal(campaign[0]!.repeatedBy?.length, 6);
    assert.match(renderHtml(doc), /texte repris par 6 contributions/);
    assert.match(renderMarkdown(doc), /texte repris par 6 contributions/);
    // the other category of the campaign still gets its other proposals
    const pds = ideaItems(doc).find((i) => i.generatedLabel === 'Permanence des soins')!;
    assert.ok(pds.quotes.some((id) => doc.quotes.find((q) => q.id === id)!.text.startsWith('Ouvrir une maison médicale')));
    const r = await verifySynthesis(store, doc);
    assert.deepEqual(r.failures, []);
    // a member of the campaign withdrawn by moderation: the printed size no longer holds
    const other = campaign[0]!.repeatedBy!.find((id) => id !== campaign[0]!.contribution)!;
    await store.db.updateTable('contributions').set({ moderation_status: 'rejected' }).where('id', '=', other).execute();
    try {
      const r2 = await verifySynthesis(store, doc);
      assert.ok(r2.failures.some((f) => f.path.includes(campaign[0]!.id) && /repris par 6 contributions/.test(f.message)), JSON.stringify(r2.failures));
    } finally {
      await store.db.updateTable('contributions').set({ moderation_status: 'published' }).where('id', '=', other).execute();
    }
  });

  test('at most 3 generated quotes per idea by default, the most relevant to its label, capitals avoided', async () => {
    for (const it of ideaItems(doc)) assert.ok(it.quotes.length <= 3, `${it.label} : ${it.quotes.length}`);
    const transport = ideaItems(doc).find((i) => i.generatedLabel === 'Transport à la demande vers les consultations')!;
    const texts = transport.quotes.map((id) => doc.quotes.find((q) => q.id === id)!.text);
    assert.equal(texts.length, 3);
    assert.match(texts[0]!, /^Un transport à la demande vers les consultations de spécialistes/);
    assert.ok(texts.every((t) => !isShouting(t)), texts.join(' | '));
    assert.ok(!texts.some((t) => /trottoirs|Ce serait bien/.test(t)), texts.join(' | '));
    const five = await buildSynthesis(store, { consultation: SLUG, level: 'departement', quotesPerIdea: 5, now: NOW });
    const t5 = ideaItems(five).find((i) => i.generatedLabel === 'Transport à la demande vers les consultations')!;
    assert.equal(t5.quotes.length, 5);
    // the near-identical twin never appears, and capitals not at all while another example is quoted
    const all = await buildSynthesis(store, { consultation: SLUG, level: 'departement', quotesPerIdea: 20, now: NOW });
    const tAll = ideaItems(all).find((i) => i.generatedLabel === 'Transport à la demande vers les consultations')!.quotes.map((id) => all.quotes.find((q) => q.id === id)!.text);
    assert.equal(tAll.length, 8, tAll.join(' | '));
    assert.ok(tAll.every((t) => !isShouting(t)), tAll.join(' | '));
    // an idea whose only text is in capitals is still exemplified
    const solo = ideaItems(doc).find((i) => i.generatedLabel === 'Horaires')!;
    assert.equal(solo.quotes.length, 1);
  });

  test('names in imported headings are masked in the restitution; roles are not', () => {
    const labels = ideaItems(doc).map((i) => i.label);
    assert.ok(labels.includes('Témoignage : Dr [nom], médecin généraliste'), labels.join(' | '));
    assert.ok(labels.includes('Intervention de Mme [nom], adjointe au maire'), labels.join(' | '));
    assert.ok(labels.includes('Intervention de M. le maire') && labels.includes('Intervention de Mme la députée'), labels.join(' | '));
    // the meeting's title too (tables, figure labels), its place kept
    const html = renderHtml(doc);
    assert.match(html, /Atelier au cabinet du Dr \[nom\]/);
    assert.match(html, /Cahors/);
    for (const out of [html, renderMarkdown(doc), JSON.stringify(doc)]) assert.doesNotMatch(out, /Fictivier|Exempla/);
  });
});

test('migration 0015_quotes masks the names in categories stored before they were pseudonymised on write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-0015-'));
  try {
    const path = join(dir, 'f.db');
    let store = await Store.open({ sqlitePath: path });
    await store.upsertConsultation({ slug: SLUG, title: 'Consultation fictive', territory: '46', status: 'closed', themes: [...CNR_SANTE_THEMES] });
    const { parsed } = buildParsed('ancien.txt', SLUG, [], [
      { meeting: 'm1', theme: '1', kind: 'temoignage', text: 'Un texte sans nom de personne.', category: 'Témoignage : Dr Fictivier' },
      { meeting: 'm1', theme: '1', kind: 'temoignage', text: 'Un autre texte sans nom.', category: 'Intervention de M. le maire' },
    ]);
    for (const c of parsed.contributions) delete c.meeting;
    await store.importParsed(SLUG, parsed, { publishBy: 'analyste@test.invalid' });
    // as an older version stored it
    await store.db.updateTable('contributions').set({ category: 'Témoignage : Dr Fictivier' }).where('id', '=', parsed.contributions[0]!.id).execute();
    await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', '0015_quotes' as never).execute();
    await store.close();
    store = await Store.open({ sqlitePath: path });
    const cats = (await store.listContributions(SLUG)).map((c) => c.category).sort();
    assert.deepEqual(cats, ['Intervention de M. le maire', 'Témoignage : Dr [nom]']);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a title, a role or a common noun is not a name; a capitalised name is', () => {
  for (const role of ['Le Dr Urgentiste de garde a témoigné.', 'Docteur Généraliste en maison de santé', 'Ouverte par Mme la Préfète', 'Intervention de M. le Maire',
    'Mme la députée a conclu.', 'Le Dr Maison de santé']) assert.equal(pseudonymise(role).text, role);
  assert.equal(pseudonymise('Dr Fictivier médecin retraité : regrouper les professionnels').text, 'Dr [nom] médecin retraité : regrouper les professionnels');
  assert.equal(pseudonymise('Mme EXEMPLA directrice EHPAD').text, 'Mme [nom] directrice EHPAD');
});
