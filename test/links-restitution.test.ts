/**
 * Issue 14, item 6: the restitution names under each idea the plan elements a decided link says take it up, and
 * the public plan page lists under each objective « Ce que vous avez dit ». Pure parts first (which links count,
 * what the public may see, how each format prints it), then the whole chain in-process (see below).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Contribution } from '../src/domain/contribution.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import type { LinkKind, LinkSourceRef, LinkStatus, PlanLink } from '../src/domain/links.ts';
import type { Store } from '../src/store/store.ts';
import { compareCodes, ideaObjectives } from '../src/synthesis/links.ts';
import {
  buildSynthesis, renderDocx, renderHtml, renderMarkdown, verifySynthesis, walkIdeas, walkSections, type IdeaItem, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import { saidByElement, type PublicSources } from '../src/usecases/plan-said.ts';
import { DEPT_SLUG, departementStore } from './helpers/synthesis-fixture.ts';

const NOW = new Date('2026-12-01T10:00:00Z');

function link(source: LinkSourceRef, target: string | null, status: LinkStatus, kind: LinkKind = 'taken_up', plan = 'sts-46-a', consultation: string | null = DEPT_SLUG): PlanLink {
  return {
    id: `${source.kind}-${source.id}-${target}-${status}`, planId: plan, consultation, source, target, kind, status, score: null, evidence: [],
    model: null, modelVersion: null, note: null, decidedBy: status === 'suggested' ? null : 'analyste@test.invalid', decidedAt: null, createdAt: NOW.toISOString(),
  };
}

function ideaItems(doc: SynthesisDocument): IdeaItem[] {
  return [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
}

describe('liens au schéma : ce qui est montré (fonctions pures)', () => {
  const titles = new Map([['sts-46-a', new Map([['E1D1', 'Un défi'], ['E1D1O2', 'Deuxième objectif'], ['E1D1O10', 'Dixième objectif']])]]);
  const idea = (id: string): LinkSourceRef => ({ kind: 'idea', id });

  test('only decided links saying the plan takes a public idea up, once each, in code order', () => {
    const { byIdea, unknown } = ideaObjectives([
      link(idea('g1'), 'E1D1O10', 'confirmed'),
      link(idea('g1'), 'E1D1O2', 'stated', 'partly'),
      link(idea('g1'), 'E1D1O2', 'confirmed'),
      link(idea('g1'), 'E1D1', 'suggested'),
      link(idea('g2'), 'E1D1O2', 'rejected'),
      link(idea('g2'), null, 'confirmed', 'not_taken_up'),
      link(idea('g2'), null, 'confirmed', 'national'),
      link(idea('hidden'), 'E1D1', 'confirmed'),
      link({ kind: 'contribution', id: 'c1' }, 'E1D1', 'confirmed'),
      link(idea('g3'), 'E9D9O9', 'confirmed'),
    ], titles, new Set(['g1', 'g2', 'g3']));
    assert.deepEqual(byIdea.get('g1'), [
      { plan: 'sts-46-a', code: 'E1D1O2', title: 'Deuxième objectif', kind: 'taken_up' },
      { plan: 'sts-46-a', code: 'E1D1O10', title: 'Dixième objectif', kind: 'taken_up' },
    ], 'stated « partly » and confirmed « taken up » on the same element: shown once, taken up; O2 before O10');
    assert.equal(byIdea.has('g2'), false, 'rejected, not taken up and national links name no element');
    assert.equal(byIdea.has('hidden'), false, 'an idea the public does not see');
    assert.deepEqual(unknown.map((l) => l.target), ['E9D9O9'], 'an element the plan no longer has is reported');
    assert.ok(compareCodes('E1D2O9', 'E1D2O10') < 0);
  });

  test('« said »: public sources only, ideas first by size, then contributions, then plan items', () => {
    const pub = (id: string, text: string, status: 'published' | 'pending'): Contribution => ({
      id, consultation: DEPT_SLUG, channel: 'atelier', text, themes: [], moderation: { status }, source: { documentId: 'd', file: 'f.txt' },
    } as Contribution);
    const group = (id: string, label: string): IdeaGroup => ({ id, consultation: DEPT_SLUG, parent: null, label, labelByHuman: true, members: [], quotes: [], lineage: [] });
    const sources: PublicSources = {
      // a pending contribution may slip into the map: the page checks again
      contributions: new Map([['c1', pub('c1', 'Un texte publié', 'published')], ['c2', pub('c2', 'Un texte en attente', 'pending')]]),
      groups: new Map([['g1', group('g1', 'Petite idée')], ['g2', group('g2', 'Grande idée')]]),
      members: (id) => (id === 'g2' ? 5 : 2),
    };
    const plan = { id: 'sts-46-a', consultationItems: [{ section: 'cnr' as const, group: null, text: 'Un élément du CNR', source: { documentId: 'p', file: 'p.md' } }] };
    const said = saidByElement([
      link({ kind: 'planItem', id: '0' }, 'E1D1O2', 'stated'),
      link({ kind: 'contribution', id: 'c1' }, 'E1D1O2', 'confirmed', 'partly'),
      link({ kind: 'contribution', id: 'c2' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'contribution', id: 'gone' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g2' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g2' }, 'E1D1', 'suggested'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1', 'rejected'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1', 'confirmed', 'taken_up', 'other-plan'),
      link({ kind: 'planItem', id: '7' }, 'E1D1', 'stated'),
    ], plan, (slug) => (slug === DEPT_SLUG ? sources : undefined));
    assert.deepEqual(said.get('E1D1O2'), [
      { source: { kind: 'idea', id: 'g2' }, text: 'Grande idée', kind: 'taken_up', count: 5 },
      { source: { kind: 'idea', id: 'g1' }, text: 'Petite idée', kind: 'taken_up', count: 2 },
      { source: { kind: 'contribution', id: 'c1' }, text: 'Un texte publié', kind: 'partly', count: null },
      { source: { kind: 'planItem', id: '0' }, text: 'Un élément du CNR', kind: 'taken_up', count: null },
    ]);
    assert.equal(said.has('E1D1'), false, 'suggested, rejected, another plan’s and an unknown plan item: nothing');
  });
});

describe('liens au schéma : rendu et vérification d’une restitution', () => {
  let store: Store;
  let doc: SynthesisDocument;
  before(async () => {
    ({ store } = await departementStore());
    doc = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
  });
  after(() => store?.close());

  test('an idea with linked elements prints them under its line in HTML, Markdown and DOCX; one not linked in the data fails verification, named', async () => {
    const item = ideaItems(doc).find((i) => !i.residual)!;
    assert.ok(item, 'the fixture has ideas');
    assert.equal(ideaItems(doc).some((i) => i.objectives), false, 'no link in the data: no element printed');
    const linked = structuredClone(doc);
    const it = ideaItems(linked).find((i) => i.key === item.key)!;
    it.objectives = [
      { plan: 'sts-46-a', code: 'E1D4O6', title: 'Renforcer l’accès aux soins de proximité', kind: 'taken_up' },
      { plan: 'sts-46-a', code: 'E2D1', title: 'Un défi <à> relever', kind: 'partly' },
    ];
    const html = renderHtml(linked);
    assert.match(html, /<p class="plan-links">Repris dans le schéma : <span class="plan-link"><span class="plan-code">E1D4O6<\/span> — Renforcer l’accès aux soins de proximité<\/span> ; <span class="plan-link"><span class="plan-code">E2D1<\/span> — Un défi &lt;à&gt; relever \(en partie\)<\/span><\/p>/);
    // under the idea's own line, before its quotes
    const li = html.slice(html.indexOf(`<span class="idea-label">${item.label.replace(/’/g, '’')}`));
    assert.ok(li.indexOf('plan-links') < li.indexOf('<ul class="quotes">') || !li.includes('<ul class="quotes">'));
    assert.doesNotMatch(renderHtml(doc), /Repris dans le schéma/);
    const md = renderMarkdown(linked);
    assert.match(md, /\n {2}- Repris dans le schéma : \*\*E1D4O6\*\* — Renforcer l’accès aux soins de proximité ; \*\*E2D1\*\* — Un défi \\<à\\> relever \(en partie\)\n/);
    const docx = unzipSync(new Uint8Array(await renderDocx(linked)));
    const xml = strFromU8(docx['word/document.xml']!);
    assert.match(xml, /Repris dans le schéma : /);
    assert.match(xml, /E1D4O6/);
    const v = await verifySynthesis(store, linked);
    assert.equal(v.ok, false);
    const named = v.failures.filter((f) => /E1D4O6|E2D1/.test(f.message));
    assert.equal(named.length, 2, v.failures.map((f) => f.message).join('\n'));
    assert.match(named[0]!.message, /n’est plus confirmé/);
    assert.equal((await verifySynthesis(store, doc)).ok, true, 'the document without links still verifies');
  });
});
