/**
 * The demo workshop reports (demo/ateliers) are written in Markdown and rendered to DOCX and PDF by
 * scripts/render-demo-reports.ts. Whatever the rendering, the reader + cnr-ateliers parser must give
 * the same meetings and contributions (ids aside: they derive from each file's sha256).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Contribution } from '../src/domain/contribution.ts';
import type { Meeting } from '../src/domain/meeting.ts';
import { loadConsultationFile } from '../src/ingest/consultation-file.ts';
import { parseDocument } from '../src/ingest/parsers/index.ts';
import type { ParsedDocument } from '../src/ingest/types.ts';
import { parseReportMarkdown, toDocx } from '../scripts/render-demo-reports.ts';

const DIR = new URL('../demo/ateliers/', import.meta.url);
const { consultation, meetings: declared } = await loadConsultationFile(new URL('../demo/consultation.json', import.meta.url).pathname);

interface Expected {
  ref: string; title: string; place: string; date: string; time: string;
  participants: Meeting['participants'];
  contributions: number;
  byKind: Record<string, number>;
  byTheme: Record<string, number>;
  warnings: string[];
}

const REPORTS: Record<string, Expected> = {
  'atelier-espalion': {
    ref: '2.1.2', title: 'Espalion', place: 'Espalion, salle des fêtes', date: '2022-10-13', time: '18h00 à 20h30',
    participants: { elus: 10, institutionnels: 4, professionnels: 12, associations: 5, usagers: 9, autres: 2, total: 42 },
    contributions: 25,
    byKind: { constat: 6, proposition: 13, levier_frein: 6 },
    byTheme: { 1: 13, 2: 7, 4: 5 },
    warnings: [],
  },
  'atelier-requista': {
    ref: '2.1.3', title: 'Réquista', place: 'Réquista, salle polyvalente', date: '2022-11-22', time: '14H-17H',
    participants: { elus: 6, institutionnels: 3, professionnels: 8, associations: null, usagers: 11, autres: null, total: 28 },
    contributions: 23,
    byKind: { constat: 7, proposition: 11, levier_frein: 5 },
    byTheme: { 1: 6, 3: 9, 'sante-mentale-jeunes': 8 },
    warnings: ['participants.nc'],
  },
  'atelier-laissac': {
    ref: '2.1.4', title: 'Laissac', place: 'Laissac, foyer rural', date: '2022-11-29', time: '17H30 / 20H00',
    participants: { elus: 7, institutionnels: 2, professionnels: 9, associations: 3, usagers: 6, autres: 1, total: 31 },
    contributions: 22,
    byKind: { constat: 6, proposition: 10, levier_frein: 6 },
    byTheme: { 2: 7, 3: 8, 4: 7 },
    warnings: ['participants.total_mismatch'],
  },
};

async function parse(base: string, ext: string): Promise<ParsedDocument> {
  const bytes = new Uint8Array(readFileSync(new URL(`${base}.${ext}`, DIR)));
  return parseDocument(bytes, `${base}.${ext}`, { consultation: 'demo', themes: consultation.themes });
}

/** Everything but ids and source positions, which legitimately differ between renderings. */
function comparable(p: ParsedDocument) {
  const refOf = new Map(p.meetings.map((m) => [m.id, m.ref]));
  return {
    parser: p.parser,
    meetings: p.meetings.map(({ id: _id, source: _source, ...m }) => m),
    contributions: p.contributions.map((c: Contribution) => ({
      meeting: refOf.get(c.meeting ?? ''), channel: c.channel, kind: c.kind, category: c.category ?? null, text: c.text,
      territory: c.territory, themes: c.themes.map((t) => `${t.theme} (${t.provenance.by === 'source' ? t.provenance.detail : t.provenance.by})`),
      kindDetail: c.kindProvenance?.by === 'source' ? c.kindProvenance.detail : c.kindProvenance?.by,
    })),
    warnings: p.warnings.map((w) => w.code),
    syntheses: p.syntheses.length,
  };
}

const count = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => { acc[x] = (acc[x] ?? 0) + 1; return acc; }, {});

for (const [base, exp] of Object.entries(REPORTS)) {
  test(`${base}: Markdown, DOCX and PDF give the same meeting and contributions`, async () => {
    const md = await parse(base, 'md');
    const docx = await parse(base, 'docx');
    const pdf = await parse(base, 'pdf');
    assert.equal(md.mediaType, 'text/markdown');
    assert.equal(pdf.mediaType, 'application/pdf');
    assert.notEqual(md.documentId, pdf.documentId);
    const ref = comparable(md);
    assert.deepEqual(comparable(docx), ref, 'DOCX');
    assert.deepEqual(comparable(pdf), ref, 'PDF');
  });

  test(`${base}: hand-checked meeting, counts and warnings`, async () => {
    const p = await parse(base, 'md');
    assert.equal(p.parser, 'cnr-ateliers');
    assert.equal(p.meetings.length, 1);
    const m = p.meetings[0]!;
    assert.deepEqual({ ref: m.ref, title: m.title, place: m.place, date: m.date, time: m.time, kind: m.kind, territory: m.territory },
      { ref: exp.ref, title: exp.title, place: exp.place, date: exp.date, time: exp.time, kind: 'atelier', territory: '12' });
    assert.deepEqual(m.participants, exp.participants);
    assert.ok((m.deroulement ?? '').split('\n').length === 2, 'two paragraphs of déroulement');
    assert.equal(p.contributions.length, exp.contributions);
    assert.deepEqual(count(p.contributions.map((c) => c.kind ?? '')), exp.byKind);
    assert.deepEqual(count(p.contributions.map((c) => c.themes[0]?.theme ?? '')), Object.fromEntries(Object.entries(exp.byTheme).map(([k, v]) => [k, v])));
    assert.ok(p.contributions.every((c) => c.meeting === m.id && c.channel === 'atelier' && c.territory === '12'));
    // sub-headings and list leads become categories; a lead ending with ":" is not a contribution
    assert.ok(p.contributions.every((c) => !c.text.endsWith(':')));
    assert.deepEqual(p.warnings.map((w) => w.code), exp.warnings);
    assert.equal(p.syntheses.length, 0, 'a document of meeting reports has no regional synthesis');
  });
}

test('categories: sub-headings and "lead :" items', async () => {
  const p = await parse('atelier-espalion', 'pdf');
  const cats = [...new Set(p.contributions.map((c) => c.category).filter(Boolean))];
  assert.deepEqual(cats, ['Organisation des soins de proximité', 'Appui aux médecins en exercice › Libérer du temps médical', 'Appui aux médecins en exercice']);
  const laissac = await parse('atelier-laissac', 'docx');
  assert.equal(laissac.contributions.filter((c) => c.category === 'Leviers financiers').length, 2);
});

test('the local theme heading is mapped to the consultation’s theme code, or kept with a warning', async () => {
  const bytes = new Uint8Array(readFileSync(new URL('atelier-requista.md', DIR)));
  const without = await parseDocument(bytes, 'atelier-requista.md', { consultation: 'demo' });
  assert.equal(without.contributions.filter((c) => c.themes[0]?.theme === '5').length, 8);
  const national = await parseDocument(bytes, 'atelier-requista.md', { consultation: 'demo', themes: consultation.themes.filter((t) => !t.local) });
  assert.ok(national.warnings.some((w) => w.code === 'theme.unknown'));
});

test('the reports describe workshops that are not already meetings of consultation.json', async () => {
  const places = declared.map((m) => `${m.title} ${m.place ?? ''}`.toLowerCase());
  for (const exp of Object.values(REPORTS)) {
    assert.ok(places.every((p) => !p.includes(exp.title.toLowerCase())), exp.title);
    assert.ok(declared.every((m) => m.date !== exp.date), exp.date);
  }
});

test('the committed DOCX renderings are up to date with their Markdown source (reproducible bytes)', async () => {
  for (const base of Object.keys(REPORTS)) {
    const blocks = parseReportMarkdown(readFileSync(new URL(`${base}.md`, DIR), 'utf8'));
    const first = blocks.find((b) => b.kind === 'heading' && b.level === 3);
    const title = first && first.kind === 'heading' ? `Atelier ${first.text}` : base;
    const bytes = await toDocx(blocks, title);
    assert.ok(existsSync(new URL(`${base}.docx`, DIR)));
    assert.ok(Buffer.compare(bytes, readFileSync(new URL(`${base}.docx`, DIR))) === 0, `${base}.docx : relancer scripts/render-demo-reports.ts`);
  }
});
