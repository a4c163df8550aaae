/**
 * Issue 14, second review (defects 3–6): one decided link means the same thing on the three surfaces that show it —
 * the coverage report, the restitution (« Repris dans le schéma » under an idea) and the public plan page
 * (« Ce que vous avez dit »). One consultation, one plan, decisions through the use case: an idea confirmed, one
 * member's own « non repris », one member's own rejection of the target; the three give the same counts.
 */
import assert from 'node:assert/strict';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { readStoredPlan } from '../src/store/plans.ts';
import { loadSynthesisData, queryContributions } from '../src/synthesis/data.ts';
import { buildSynthesis, verifySynthesis, walkIdeas, walkSections, type IdeaItem, type SynthesisDocument } from '../src/synthesis/index.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { coverageReport } from '../src/usecases/coverage.ts';
import { decideLink } from '../src/usecases/links.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { planSaid } from '../src/usecases/plan-said.ts';
import { renderMarkdown } from '../src/synthesis/index.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { DEPT_MEETINGS, buildParsed } from './helpers/synthesis-fixture.ts';
import { storeTest } from './helpers/stores.ts';

const NOW = new Date('2026-12-01T10:00:00Z');

function ideaItems(doc: SynthesisDocument): IdeaItem[] {
  return [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
}

storeTest('links: the coverage report, the restitution and the public plan page count the same contributions under an objective', async (store) => {
  const slug = 'coherence-46';
  await store.upsertConsultation({ slug, title: 'Consultation fictive', territory: '46', status: 'closed', themes: [...CNR_SANTE_THEMES] });
  const { parsed } = buildParsed('atelier-coherence.txt', slug, DEPT_MEETINGS(), [
    { meeting: 'm1', theme: '1', kind: 'proposition', text: 'Ouvrir une maison de santé dans chaque bassin de vie du département.' },
    { meeting: 'm1', theme: '1', kind: 'proposition', text: 'Financer les locaux des maisons de santé avec les communes rurales.' },
    { meeting: 'm2', theme: '1', kind: 'proposition', text: 'Regrouper infirmiers et kinésithérapeutes dans une maison de santé.' },
    { meeting: 'm2', theme: '1', kind: 'proposition', text: 'Prévoir un secrétariat partagé dans les maisons de santé du canton.' },
    { meeting: 'm2', theme: '2', kind: 'proposition', text: 'Afficher le médecin de garde du week-end dans les pharmacies.' },
  ]);
  await store.importParsed(slug, parsed, { publishBy: 'analyste@test.invalid' });
  const [a, b, c, d, e] = parsed.contributions.map((x) => x.id) as [string, string, string, string, string];
  const prov = { by: 'human' as const, reviewer: 'test', at: NOW.toISOString() };
  const m = (id: string) => ({ contribution: id, provenance: prov });
  await store.saveIdeaGroups(slug, [
    { id: 'g-msp', consultation: slug, parent: null, theme: '1', label: 'Des maisons de santé', labelByHuman: true, members: [m(a), m(b), m(c)], quotes: [], lineage: [] },
    { id: 'g-sec', consultation: slug, parent: 'g-msp', theme: '1', label: 'Un secrétariat partagé', labelByHuman: true, members: [m(d)], quotes: [], lineage: [] },
    { id: 'g-garde', consultation: slug, parent: null, theme: '2', label: 'Le médecin de garde', labelByHuman: true, members: [m(e)], quotes: [], lineage: [] },
  ]);
  // the second consultation item is an enjeu of the plan, not a CNR proposal
  const plan = linkTestPlan();
  plan.consultationItems[1] = { ...plan.consultationItems[1]!, section: 'enjeux' };
  const { planId } = await importPlan(context(store, CLI_ACTOR, () => NOW), { bytes: new TextEncoder().encode('plan coherence'), fileName: 'sts-essai.md', consultation: slug }, async () => plan);
  const ctx = context(store, { name: 'analyste@ars.test', role: 'analyst' }, () => NOW);
  const decide = (source: { kind: 'idea' | 'contribution' | 'planItem'; id: string }, decision: 'confirm' | 'reject' | 'not_taken_up' | 'national', target?: string, note?: string) =>
    decideLink(ctx, { plan: planId, source, ...(target ? { target } : {}), decision, ...(decision === 'confirm' ? { kind: 'taken_up' as const } : {}), ...(note ? { note } : {}) });

  await decide({ kind: 'idea', id: 'g-msp' }, 'confirm', 'E1D1O2');
  await decide({ kind: 'contribution', id: b }, 'not_taken_up', undefined, 'hors du champ du schéma');
  // a rejection sets aside a suggested or confirmed link: confirmed for the contribution first, then rejected
  await decide({ kind: 'contribution', id: c }, 'confirm', 'E1D1O2');
  await decide({ kind: 'contribution', id: c }, 'reject', 'E1D1O2');
  // an idea whose only member rejects the target itself: taken up nowhere
  await decide({ kind: 'idea', id: 'g-garde' }, 'confirm', 'E1D2O1');
  await decide({ kind: 'contribution', id: e }, 'confirm', 'E1D2O1');
  await decide({ kind: 'contribution', id: e }, 'reject', 'E1D2O1');
  const items0 = (await coverageReport(ctx, { plan: planId, consultation: slug })).document;
  // deciding the enjeu changes no total of the CNR proposals
  await decide({ kind: 'planItem', id: '1' }, 'confirm', 'E1D1');

  // coverage: the idea's figure under E1D1O2 counts a (member) and d (sub-idea member), not b (own « non repris ») nor c (own rejection)
  const { document: cov, verification } = await coverageReport(ctx, { plan: planId, consultation: slug });
  assert.ok(verification.ok, verification.failures.map((f) => f.message).join('\n'));
  const fig = (key: string) => cov.figures.find((f) => f.key === key);
  assert.equal(fig('idea.E1D1O2.g-msp')?.value, 2);
  assert.deepEqual([...fig('idea.E1D1O2.g-msp')!.contributions].sort(), [a, d].sort());
  assert.equal(fig('target.E1D1O2.contributions')?.value, 2);
  assert.equal(fig('target.E1D2O1.contributions')?.value, 0);
  assert.equal(fig('idea.E1D2O1.g-garde')?.value, 0);

  // defect 3: plan items are the CNR proposals only (2 of 3), whatever is decided on the enjeu
  assert.equal(fig('items.total')?.value, 2);
  assert.equal(items0.figures.find((f) => f.key === 'items.total')?.value, 2);
  const md = renderMarkdown(cov as unknown as SynthesisDocument);
  assert.doesNotMatch(md, /Ouvrir les urgences la nuit/, 'an enjeu is not printed as a proposal listed by the plan');

  // defect 4: the idea sentence adds up
  const ideaTerms = ['taken_up', 'partly', 'national', 'not_taken_up', 'undecided'].map((o) => fig(`ideas.${o}`)?.value);
  assert.ok(ideaTerms.every((v) => typeof v === 'number'), 'every outcome of the ideas is a figure');
  assert.equal(ideaTerms.reduce((s, v) => s! + v!, 0), fig('ideas.total')?.value);
  const summary = cov.sections.find((s) => s.key === 'synthese')!.blocks[1]!;
  assert.equal(summary.type, 'paragraph');
  const printed = summary.type === 'paragraph' ? summary.content.flatMap((x) => (typeof x === 'object' && 'figure' in x ? [x.figure] : [])) : [];
  assert.deepEqual(printed, ['ideas.total', 'ideas.taken_up', 'ideas.partly', 'ideas.national', 'ideas.not_taken_up', 'ideas.undecided']);

  // restitution: the idea's element, with the same count; the other idea shows none
  const resto = await buildSynthesis(store, { consultation: slug, level: 'departement', now: NOW });
  const v = await verifySynthesis(store, resto);
  assert.ok(v.ok, v.failures.map((f) => f.message).join('\n'));
  const item = (key: string) => ideaItems(resto).find((i) => i.key === key);
  assert.ok(item('g:g-msp'), 'the idea is in the restitution');
  assert.deepEqual(item('g:g-msp')?.objectives?.map((o) => [o.code, o.contributions]), [['E1D1O2', 2]]);
  assert.ok(item('g:g-garde'), 'the other idea is in the restitution');
  assert.equal(item('g:g-garde')?.objectives, undefined, 'no member it applies to: not shown as taken up');

  // public plan page: the same count under E1D1O2, the other idea absent under E1D2O1
  const said = await planSaid(ctx, (await readStoredPlan(store, planId))!);
  assert.deepEqual(said.get('E1D1O2')?.map((s) => [s.source.kind, s.source.id, s.count]), [['idea', 'g-msp', 2]]);
  assert.equal((said.get('E1D2O1') ?? []).length, 0);

  // defect 8: a decided « niveau national » counts for the restitution's national section as an analyst's mark does
  const nationalOf = async () => queryContributions(await loadSynthesisData(store, slug), { national: true }).map((x) => x.id);
  assert.deepEqual(await nationalOf(), []);
  await decide({ kind: 'contribution', id: d }, 'national', undefined, 'relève de l’Assurance maladie');
  await decide({ kind: 'idea', id: 'g-garde' }, 'national', undefined, 'relève de la convention nationale');
  assert.deepEqual((await nationalOf()).sort(), [d, e].sort(), 'own decision (d), and through an idea (e has no own decided link)');
  const covN = (await coverageReport(ctx, { plan: planId, consultation: slug })).document;
  assert.deepEqual([...covN.figures.find((f) => f.key === 'all.national')!.contributions].sort(), [d, e].sort(), 'coverage counts the same ones');
  const restoN = await buildSynthesis(store, { consultation: slug, level: 'departement', now: NOW });
  const vN = await verifySynthesis(store, restoN);
  assert.ok(vN.ok, vN.failures.map((f) => f.message).join('\n'));
});
