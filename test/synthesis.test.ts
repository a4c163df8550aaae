import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import {
  agree, agreeInlines, renderDocx, renderMarkdown, CHROMIUM_PATH, SynthesisVerificationError, buildSynthesis, chromiumAvailable, launchBrowser, loadSynthesis, publishSynthesis, renderHtml,
  renderSynthesis, renderUnverified, saveEditorial, saveSynthesis, verifySynthesis, walkIdeas, walkSections,
  type IdeaItem, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import type { Store } from '../src/store/store.ts';
import { DEPT_MEETINGS, DEPT_SLUG, REGION_SLUG, buildParsed, departementStore, regionStore } from './helpers/synthesis-fixture.ts';

const NOW = new Date('2024-03-01T10:00:00Z');
const hasChromium = chromiumAvailable();
const which = (cmd: string) => { try { execFileSync('which', [cmd], { stdio: 'ignore' }); return true; } catch { return false; } };
const hasPdftotext = which('pdftotext');
const hasSoffice = which('soffice');
const NO_CHROMIUM = `chromium absent (${CHROMIUM_PATH}) : test navigateur ignoré`;
if (!hasChromium) console.log(`# NOTICE: ${NO_CHROMIUM}`);
if (!hasPdftotext) console.log('# NOTICE: pdftotext absent (poppler-utils) : contrôle des titres du PDF ignoré');
if (!hasSoffice) console.log('# NOTICE: LibreOffice absent : conversion du DOCX ignorée');

function ideaItems(doc: SynthesisDocument): IdeaItem[] {
  return [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
}

function headings(doc: SynthesisDocument): string[] {
  return [...walkSections(doc.sections)].map((s) => s.title);
}

describe('synthèse départementale (consultation fictive)', () => {
  let store: Store;
  let doc: SynthesisDocument;
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    ({ store } = await departementStore());
    doc = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
    dir = mkdtempSync(join(tmpdir(), 'fabrique-synthese-'));
    if (hasChromium) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('follows the Lot template: context, one section per theme (national and local), perspectives', () => {
    assert.equal(doc.territory, '46');
    assert.deepEqual(doc.sections.map((s) => s.key), ['contexte', 'themes', 'perspectives']);
    const themes = doc.sections[1]!.sections.map((s) => s.key);
    assert.deepEqual(themes, ['theme.1', 'theme.2', 'theme.3', 'theme.4', 'theme.vieillissement']);
    const t1 = doc.sections[1]!.sections[0]!.sections.map((s) => s.title);
    assert.ok(t1.includes('Constats') && t1.includes('Solutions et propositions') && t1.includes('Actions emblématiques déjà en cours'));
  });

  test('figures tie out with the store', async () => {
    const stats = await store.stats(DEPT_SLUG);
    const fig = (k: string) => doc.figures.find((f) => f.key === k);
    assert.equal(fig('total')?.value, stats.contributions);
    for (const [theme, n] of Object.entries(stats.byTheme)) assert.equal(fig(`theme.${theme}.total`)?.value, n, `thème ${theme}`);
    for (const f of doc.figures) if (f.rule.op === 'contributions') assert.equal(f.value, f.contributions.length, f.key);
    // categories nest: a category's count is the sum of its sub-categories
    const coord = ideaItems(doc).find((i) => i.generatedLabel === 'Coordonner')!;
    assert.equal(fig(coord.figure)?.value, coord.children.reduce((s, c) => s + (fig(c.figure)?.value ?? 0), 0));
    // participants: printed total and computed sum both shown, and the difference noted
    assert.equal(fig('meeting.m1.p.total')?.value, 57);
    assert.equal(fig('meeting.m1.p.sum')?.value, 55);
    assert.equal(fig('meeting.m1.p.autres'), undefined, 'NC is not a figure');
    const html = renderHtml(doc);
    assert.match(html, /non communiqué/);
    assert.match(html, /diffère de la somme des collèges/);
    // national slot and actions en cours
    assert.equal(fig('theme.2.national.total')?.value, 1);
    assert.equal(fig('theme.1.actions.total')?.value, 1);
    const r = await verifySynthesis(store, doc);
    assert.deepEqual(r.failures, []);
    assert.ok(r.ok && r.checked.figures > 20 && r.checked.quotes > 5);
  });

  test('every format agrees the text after a figure with its value; the JSON keeps the model', async () => {
    // the fixture has exactly one action en cours and one contribution marked national on these themes
    const html = renderHtml(doc).replace(/<[^>]+>/g, '');
    const md = renderMarkdown(doc).replace(/\[\*\*([^*]+)\*\*\]\(#f\d+\)/g, '$1');
    const xml = strFromU8(unzipSync(new Uint8Array(await renderDocx(doc)))['word/document.xml']!);
    const docx = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    for (const [name, text] of [['html', html], ['md', md], ['docx', docx]] as const) {
      assert.ok(text.includes('1 action citée par les participants'), name);
      assert.ok(text.includes('1 proposition de ce thème, dans ce territoire, relève du niveau national'), name);
      assert.match(text, /\d+ réunions? enregistrées? /, name);
      assert.doesNotMatch(text, /\((?:s|x|nt)\)/, `${name} : marque de pluriel restée`);
    }
    // the model keeps the marks: agreement is the renderers' job, so JSON and every format read the same figures
    const intro = [...walkSections(doc.sections)].flatMap((s) => s.blocks).find((b) => b.type === 'quotes' && b.key === 'theme.1.actions');
    assert.ok(intro?.type === 'quotes' && intro.intro?.includes(' action(s) citée(s) par les participants :'));
  });

  test('every quote is verbatim and carries its source', async () => {
    for (const q of doc.quotes) {
      const c = await store.getContribution(q.contribution);
      assert.ok(c && c.text.includes(q.text));
      assert.deepEqual(q.source, c.source);
    }
  });

  test('renders HTML, Markdown, JSON, DOCX (and PDF with chromium)', async () => {
    for (const format of ['html', 'md', 'json', 'docx'] as const) {
      const r = await renderSynthesis(store, doc, format, browser ? { browser } : {});
      assert.ok(r.bytes.length > 500, format);
      writeFileSync(join(dir, `s.${r.extension}`), r.bytes);
    }
    const html = readFileSync(join(dir, 's.html'), 'utf8');
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<nav class="toc"/);
    assert.match(html, /<th scope="col">/);
    assert.match(html, /<caption>/);
    assert.match(html, /<svg [^>]*role="img"[^>]*>\s*<title/);
    assert.match(html, /@media print/);
    for (const q of doc.quotes) assert.ok(html.includes(`id="cit-${q.id}"`), `ancre de ${q.id}`);
    const md = readFileSync(join(dir, 's.md'), 'utf8');
    for (const h of headings(doc)) assert.ok(md.includes(h.replace(/([\\`*_[\]<>#|])/g, '\\$1')), h);
    const json = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as SynthesisDocument;
    assert.deepEqual((await verifySynthesis(store, json)).failures, []);
    assert.equal(readFileSync(join(dir, 's.docx')).subarray(0, 2).toString(), 'PK');
  });

  test('HTML has no axe-core violation', { skip: hasChromium ? false : NO_CHROMIUM }, async () => {
    const { AxeBuilder } = await import('@axe-core/playwright');
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      await page.setContent(renderHtml(doc), { waitUntil: 'load' });
      const result = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
    } finally {
      await context.close();
    }
  });

  test('PDF: A4, every heading found by pdftotext', { skip: !hasChromium ? NO_CHROMIUM : hasPdftotext ? false : 'pdftotext absent' }, async () => {
    const r = await renderSynthesis(store, doc, 'pdf', { browser: browser! });
    const file = join(dir, 's.pdf');
    writeFileSync(file, r.bytes);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const h of [doc.title, ...headings(doc), 'Table des matières']) assert.ok(text.includes(h.replace(/\s+/g, ' ')), `titre absent du PDF : ${h}`);
    assert.match(text, /Page 1 sur \d+/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+595(\.\d+)? x 842/);
  });

  test('DOCX converts with LibreOffice and keeps the headings', { skip: hasSoffice ? false : 'LibreOffice absent : conversion ignorée' }, async () => {
    const r = await renderSynthesis(store, doc, 'docx', browser ? { browser } : {});
    const file = join(dir, 'conv.docx');
    writeFileSync(file, r.bytes);
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
    assert.ok(existsSync(join(dir, 'conv.pdf')), 'conversion PDF');
    if (hasPdftotext) {
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'conv.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      for (const h of headings(doc)) assert.ok(text.includes(h), `titre absent du DOCX converti : ${h}`);
    }
    // real heading styles, a TOC field, bullet lists and an image per chart (with chromium)
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const re of [/w:pStyle w:val="Heading1"/, /w:pStyle w:val="Heading3"/, /TOC [^<]*\\o &quot;1-3&quot;/, /<w:numPr>/, /<w:tblHeader/, ...(browser ? [/<pic:pic/] : [])]) {
      assert.ok(re.test(xml), `document.xml : ${re}`);
    }
  });

  test('altering a contribution after generation makes verification fail and name it', async () => {
    const quoted = doc.quotes[0]!;
    const { store: s2 } = await departementStore();
    try {
      const d = await buildSynthesis(s2, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
      assert.ok((await verifySynthesis(s2, d)).ok);
      await s2.db.updateTable('contributions').set({ text: 'Texte modifié après la génération.' }).where('id', '=', quoted.contribution).execute();
      const r = await verifySynthesis(s2, d);
      assert.equal(r.ok, false);
      assert.ok(r.failures.some((f) => f.path.includes(quoted.id) && f.message.includes(quoted.contribution)), JSON.stringify(r.failures));
      await assert.rejects(renderSynthesis(s2, d, 'html'), (e: unknown) => e instanceof SynthesisVerificationError && e.failures.some((f) => f.message.includes(quoted.contribution)) && !e.message.includes(quoted.contribution));
      // a contribution moved to another theme changes counts: both theme figures are named
      await s2.db.updateTable('contribution_themes').set({ theme: '3' }).where('contribution_id', '=', quoted.contribution).execute();
      const r2 = await verifySynthesis(s2, d);
      assert.ok(r2.failures.some((f) => f.path.includes('theme.1.total')), JSON.stringify(r2.failures.map((f) => f.path)));
      assert.ok(r2.failures.some((f) => f.path.includes('theme.3.total')));
    } finally {
      await s2.close();
    }
  });

  test('altering one count in the saved JSON makes verification fail and name it; nothing is published', async () => {
    await saveSynthesis(store, doc);
    const saved = (await loadSynthesis(store, doc.id))!;
    const target = saved.figures.find((f) => f.key === 'theme.1.total')!;
    target.value += 1;
    const r = await verifySynthesis(store, saved);
    assert.equal(r.ok, false);
    assert.ok(r.failures.length > 0 && r.failures.every((f) => /theme\.1\.total/.test(f.path)), JSON.stringify(r.failures));
    assert.ok(r.failures.some((f) => /le document indique 8, les données donnent 7/.test(f.message)));
    const out = join(dir, 'refused');
    await assert.rejects(publishSynthesis(store, saved, { outDir: out, formats: ['html', 'md'] }), SynthesisVerificationError);
    assert.equal(existsSync(out), false);
    // a quote edited in the JSON is no longer verbatim
    const saved2 = (await loadSynthesis(store, doc.id))!;
    saved2.quotes[1]!.text = `${saved2.quotes[1]!.text} (ajout)`;
    const r2 = await verifySynthesis(store, saved2);
    assert.ok(r2.failures.some((f) => f.path === `quotes[1] ${saved2.quotes[1]!.id}` && /mot pour mot/.test(f.message)));
    // the source span is checked against the document text when it is available
    const saved3 = (await loadSynthesis(store, doc.id))!;
    const r3 = await verifySynthesis(store, saved3, { documentText: () => 'un tout autre texte' });
    assert.ok(r3.failures.length >= saved3.quotes.length && r3.failures.every((f) => /extrait/.test(f.message)));
  });

  test('renders without chromium-dependent parts when asked for text formats only', async () => {
    const r = await renderUnverified(doc, 'md');
    assert.equal(r.mediaType, 'text/markdown; charset=utf-8');
  });
});

describe('parties rédactionnelles', () => {
  test('survive regeneration after new data arrives', async () => {
    const { store } = await departementStore();
    try {
      const first = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
      await saveSynthesis(store, first);
      const coord = ideaItems(first).find((i) => i.generatedLabel === 'Coordonner')!;
      const accessItem = ideaItems(first).find((i) => i.generatedLabel === 'Accès aux soins')!;
      const chosen = first.quotes.find((q) => q.id === accessItem.quotes.at(-1))!;
      await saveEditorial(store, first, {
        texts: { 'contexte.situation': 'Un territoire rural et âgé (texte de la rédaction).', perspectives: 'Restitution prévue au CTS.' },
        headings: { [coord.key]: 'Décloisonner et coordonner', 'theme.vieillissement': 'Le vieillissement' },
        quotes: { [accessItem.key]: [{ contribution: chosen.contribution, text: chosen.text.split(' ').slice(0, 6).join(' ') }] },
        order: { themes: ['theme.vieillissement'] },
        updatedBy: 'test',
      });
      // new data: a second document with two more contributions in theme 1
      const { parsed } = buildParsed('atelier-2.txt', DEPT_SLUG, [], [
        { meeting: 'm1', theme: '1', kind: 'proposition', text: 'Mutualiser un secrétariat médical entre trois cabinets.', category: 'Coordonner › Organisation' },
        { meeting: 'm2', theme: '1', kind: 'constat', text: 'La pharmacie est le dernier lieu de soins ouvert le samedi.', category: 'Accès aux soins' },
      ]);
      await store.importParsed(DEPT_SLUG, parsed, { publishBy: 'analyste@test.invalid' });
      const second = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
      await saveSynthesis(store, second);
      const html = renderHtml(second);
      assert.match(html, /Un territoire rural et âgé/);
      assert.match(html, /Restitution prévue au CTS/);
      const coord2 = ideaItems(second).find((i) => i.key === coord.key)!;
      assert.equal(coord2.label, 'Décloisonner et coordonner');
      assert.equal(second.figures.find((f) => f.key === coord2.figure)?.value, 3, 'le compte suit les nouvelles données');
      const access2 = ideaItems(second).find((i) => i.key === accessItem.key)!;
      assert.equal(access2.quotes.length, 1);
      const q = second.quotes.find((x) => x.id === access2.quotes[0])!;
      assert.ok(q.chosen && q.excerpt && q.contribution === chosen.contribution);
      assert.equal(second.sections[1]!.sections[0]!.key, 'theme.vieillissement');
      assert.equal(second.sections[1]!.sections[0]!.title, 'Le vieillissement');
      assert.equal(second.figures.find((f) => f.key === 'total')?.value, 17);
      assert.deepEqual((await verifySynthesis(store, second)).failures, []);
      // the stored editorial is unchanged by regeneration
      const stored = (await loadSynthesis(store, second.id))!;
      assert.equal(stored.editorial.texts.perspectives, 'Restitution prévue au CTS.');
      // a chosen quote whose contribution disappeared is dropped with a notice, never invented
      await store.db.deleteFrom('contributions').where('id', '=', chosen.contribution).execute();
      const third = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
      assert.ok(third.notices.some((n) => n.includes(chosen.contribution)));
      assert.deepEqual((await verifySynthesis(store, third)).failures, []);
    } finally {
      await store.close();
    }
  });
});

describe('synthèse régionale (consultation fictive)', () => {
  test('meetings per département, shares, idea groups and stated totals stated as differences', async () => {
    const { store } = await regionStore();
    try {
      const doc = await buildSynthesis(store, { consultation: REGION_SLUG, level: 'region', now: NOW });
      assert.equal(doc.territory, '75');
      assert.equal(doc.territoryName, 'Nouvelle-Aquitaine');
      const fig = (k: string) => doc.figures.find((f) => f.key === k);
      assert.equal(fig('meetings')?.value, 3);
      assert.equal(fig('meetings.33')?.value, 2);
      assert.equal(fig('theme.1.share')?.value, 71.4);
      const stated = doc.figures.filter((f) => f.rule.op === 'stated');
      assert.ok(stated.some((f) => f.value === 20), 'total annoncé repris comme chiffre annoncé');
      const diffs = doc.figures.filter((f) => f.rule.op === 'difference').map((f) => f.value);
      assert.ok(diffs.includes(-13) && diffs.includes(-2), JSON.stringify(diffs));
      const html = renderHtml(doc);
      assert.match(html, /annonce <a class="fig" href="#f\d+">20<\/a> contributions/);
      // the common idea with its sub-ideas, and its stated count
      const install = ideaItems(doc).find((i) => i.key === 'g:g-install')!;
      assert.equal(fig(install.figure)?.value, 4);
      assert.equal(install.children.length, 2);
      assert.ok(install.stated && fig(install.stated)?.value === 4);
      // a summary: the idea is exemplified (its sub-ideas' representatives first), a sub-idea is listed with its count only
      const territ = install.children.find((c) => c.key === 'g:g-territ')!;
      assert.deepEqual(territ.quotes, []);
      assert.equal(install.quotes.length, 2, 'an idea of 4 contributions: 2 examples');
      assert.equal(doc.quotes.find((q) => q.id === install.quotes[0])?.contribution, (await store.listIdeaGroups(REGION_SLUG))[1]!.quotes[0]);
      assert.deepEqual((await verifySynthesis(store, doc)).failures, []);
      // contributions per theme equal the imported ones
      const stats = await store.stats(REGION_SLUG);
      for (const [t, n] of Object.entries(stats.byTheme)) assert.equal(fig(`theme.${t}.total`)?.value, n);
      // the restitution of one département of the region
      const d33 = await buildSynthesis(store, { consultation: REGION_SLUG, level: 'departement', territory: '33', now: NOW });
      assert.equal(d33.figures.find((f) => f.key === 'total')?.value, 4);
      assert.equal(d33.figures.find((f) => f.key === 'meetings')?.value, 2);
      assert.deepEqual((await verifySynthesis(store, d33)).failures, []);
      // an idea group changed after generation
      await store.db.deleteFrom('idea_members').where('group_id', '=', 'g-vie').execute();
      const r = await verifySynthesis(store, doc);
      assert.ok(r.failures.some((f) => f.path.includes('idea.g:g-vie')), JSON.stringify(r.failures.map((f) => f.path)));
    } finally {
      await store.close();
    }
  });

  test('a meeting list is unaffected by meetings of another région', async () => {
    const { store } = await regionStore();
    try {
      await store.upsertMeetings([{ ...DEPT_MEETINGS()[0]!, id: 'ailleurs', consultation: REGION_SLUG, territory: '46' }]);
      const doc = await buildSynthesis(store, { consultation: REGION_SLUG, level: 'region', now: NOW });
      assert.equal(doc.figures.find((f) => f.key === 'meetings')?.value, 3);
    } finally {
      await store.close();
    }
  });

  test('the analysis’ « Autres » bucket is listed after the ideas and quoted like the rest of a section, however large', async () => {
    const { store } = await regionStore();
    try {
      const texts = ['Ouvrir un cabinet éphémère sur le marché du samedi.', 'Créer une ligne téléphonique pour les aidants isolés.',
        'Installer des bornes de téléconsultation dans les mairies.', 'Former les secrétaires de mairie à l’orientation vers les soins.',
        'Ouvrir les internats aux stagiaires paramédicaux.', 'Prêter des vélos électriques aux infirmières libérales.',
        'Traduire les affiches des urgences en plusieurs langues.', 'Réserver des logements communaux aux remplaçants.',
        'Organiser une journée portes ouvertes dans les maisons de santé.', 'Rembourser les trajets des patients vers les centres de dialyse.'];
      const { parsed } = buildParsed('divers.txt', REGION_SLUG, [], texts.map((text) => ({ meeting: 'r1', theme: '1', kind: 'proposition' as const, text })));
      await store.importParsed(REGION_SLUG, parsed, { publishBy: 'analyste@test.invalid' });
      const prov = { by: 'model' as const, model: 'grouping', version: '1', at: '2024-01-01T00:00:00Z' };
      await store.saveIdeaGroups(REGION_SLUG, [...await store.listIdeaGroups(REGION_SLUG),
        { id: 'g-autres', consultation: REGION_SLUG, parent: null, theme: '1', label: 'Autres', labelByHuman: false,
          members: parsed.contributions.map((c) => ({ contribution: c.id, provenance: prov })), quotes: [], lineage: [] }]);
      const doc = await buildSynthesis(store, { consultation: REGION_SLUG, level: 'region', now: NOW });
      const block = [...walkSections(doc.sections)].flatMap((s) => s.blocks).find((b) => b.type === 'ideas' && b.key === 'theme.1.propositions');
      assert.ok(block?.type === 'ideas');
      const fig = (k: string) => doc.figures.find((f) => f.key === k)!.value;
      const others = block.items.find((i) => i.key === 'g:g-autres')!;
      assert.equal(fig(others.figure), 10);
      assert.ok(others.residual, 'marqué comme reste');
      assert.equal(block.items[0]!.key, 'g:g-install', 'l’idée (4) avant « Autres » (10)');
      assert.equal(others.quotes.length, 2, 'au plus 2 exemples, comme le reste d’une rubrique');
      assert.deepEqual((await verifySynthesis(store, doc)).failures, []);
    } finally {
      await store.close();
    }
  });
});

describe('accord en nombre après un chiffre', () => {
  test('0 and 1 are singular, 2 and more plural; « (e) » (gender) is left alone', () => {
    assert.equal(agree('contribution(s) publiée(s)', 1), 'contribution publiée');
    assert.equal(agree('réunion(s) enregistrée(s)', 9), 'réunions enregistrées');
    assert.equal(agree('action(s) citée(s)', 0), 'action citée');
    assert.equal(agree('contribution(s) relève(nt) d’évolutions nationales', 1), 'contribution relève d’évolutions nationales');
    assert.equal(agree('contribution(s) relève(nt)', 143), 'contributions relèvent');
    assert.equal(agree('publié(e)(s), regroupé(e)(s)', 1), 'publié(e), regroupé(e)');
    assert.equal(agree('publié(e)(s), regroupé(e)(s)', 3), 'publié(e)s, regroupé(e)s');
    assert.equal(agree('nouveau(x) lieu(x) national(aux)', 1), 'nouveau lieu national');
    assert.equal(agree('nouveau(x) lieu(x) national(aux)', 2), 'nouveaux lieux nationaux');
    assert.equal(agree('agent(e)', 5), 'agent(e)');
    // French: below 2 is singular (« 1,5 million »), a negative difference takes the plural of its size
    assert.equal(agree('point(s)', 1.5), 'point');
    assert.equal(agree('contribution(s)', -3), 'contributions');
    // a parenthesis that is no mark stays
    assert.equal(agree('total (s) et (habitants)', 4), 'total (s) et (habitants)');
  });

  test('inline content: text up to the next figure follows the figure before it; text before any figure is left as written', () => {
    const values: Record<string, number> = { a: 1, b: 9 };
    const out = agreeInlines(['Voir les contribution(s) : ', { figure: 'a' }, ' réunion(s) enregistrée(s) (', { figure: 'b' }, ' participant(s))'], (k) => values[k]!);
    assert.deepEqual(out, ['Voir les contribution(s) : ', { figure: 'a' }, ' réunion enregistrée (', { figure: 'b' }, ' participants)']);
  });
});
