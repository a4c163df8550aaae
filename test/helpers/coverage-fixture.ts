/**
 * A small consultation of Lozère and a small scheme written for the coverage tests (never from the corpus), and the
 * link decisions the tests take on them.
 */
import type { IdeaGroup } from '../../src/domain/ideas.ts';
import type { LinkKind, LinkSourceRef, LinkStatus, PlanLink } from '../../src/domain/links.ts';
import type { Meeting } from '../../src/domain/meeting.ts';
import { CNR_SANTE_THEMES } from '../../src/domain/theme.ts';
import { writeLinkDecision } from '../../src/store/links.ts';
import { moderateContribution } from '../../src/store/moderation.ts';
import { Store } from '../../src/store/store.ts';
import { CLI_ACTOR, context, type UseCaseContext } from '../../src/usecases/context.ts';
import { decideLink } from '../../src/usecases/links.ts';
import { importPlan } from '../../src/usecases/plan.ts';
import { buildParsed } from './synthesis-fixture.ts';

export const SLUG = 'couverture-test';
export const NOW = new Date('2026-12-01T10:00:00Z');

/** A small scheme of Lozère written for this test: one défi, two objectives, three CNR proposals. */
export const PLAN_MD = [
  '# Schéma territorial de santé LOZÈRE', '', 'Période 2023-2028', '',
  '# Description des besoins issus des dernières consultations', '',
  '## Les propositions du CNR en santé :', '', '### L’accès aux soins :', '',
  '- Ouvrir des consultations avancées de spécialistes dans les maisons de santé', '- Créer un guichet unique pour l’installation des professionnels', '',
  '### La prévention :', '', '- Réduire la tarification des transports sanitaires par une loi', '',
  '# DÉFIS PRIORITAIRES et objectifs opérationnels', '',
  '# 1', '', '## Améliorer l’accès aux soins de proximité', '',
  '## DÉFI #2', '', '## Attirer et garder les professionnels', '', '### Les enjeux', '', 'Des enjeux écrits pour le test.', '',
  'Réf. E1D2', '', '### Thèmes associés', '', 'Accès aux soins', '',
  'Objectif  ', 'Opérationnel  ', '#3', '', '## Accompagner l’installation des professionnels de santé', '', 'Réf. E1D2O3', '',
  '### En pratique', '', '- Un guichet départemental ;', '- Des stages pour les internes.', '',
  'Objectif  ', 'Opérationnel  ', '#4', '', '## Développer les consultations avancées', '', 'Réf. E1D2O4', '',
  '### En pratique', '', '- Des spécialistes itinérants.', '',
  '# ÉVOLUTION de l\'offre en regard des besoins', '',
].join('\n');

export const TEXTS = [
  { theme: '1', kind: 'proposition' as const, text: 'Installer un guichet unique pour aider les jeunes médecins à s’installer dans le département.' },
  { theme: '1', kind: 'proposition' as const, text: 'Proposer un logement aux internes qui font leur stage dans nos villages.' },
  { theme: '1', kind: 'proposition' as const, text: 'Faire venir des cardiologues une journée par mois dans les maisons de santé.' },
  { theme: '2', kind: 'proposition' as const, text: 'Supprimer le reste à charge des transports sanitaires partout en France.' },
  { theme: '2', kind: 'constat' as const, text: 'Les urgences sont à plus d’une heure pour les villages du nord.' },
  // withheld below (pending moderation): never counted, never quoted
  { theme: '1', kind: 'proposition' as const, text: 'Une proposition retenue en modération sur l’accueil des médecins remplaçants.' },
];

export interface CoverageFixture { store: Store; planId: string; ids: string[] }

/** The consultation (6 contributions, one withheld), an idea group over the first two, and the plan. */
export async function coverageStore(sqlitePath = ':memory:'): Promise<CoverageFixture> {
  const store = await Store.open({ sqlitePath });
  return { store, ...await seedCoverage(store) };
}

/** Writes the consultation, its idea group and the plan into a store (e.g. the demo database of the e2e tests). */
export async function seedCoverage(store: Store): Promise<{ planId: string; ids: string[] }> {
  await store.upsertConsultation({ slug: SLUG, title: 'Consultation fictive de Lozère', territory: '48', status: 'closed', themes: [...CNR_SANTE_THEMES] });
  const meetings: Meeting[] = [{ id: 'm1', consultation: '', kind: 'atelier', title: 'Atelier de Mende', place: 'Mende', territory: '48', date: '2022-11-18',
    participants: { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: 20 } }];
  const { parsed } = buildParsed('atelier-lozere-fictif.txt', SLUG, meetings, TEXTS.map((t) => ({ ...t, meeting: 'm1' })));
  await store.importParsed(SLUG, parsed, { publishBy: 'analyste@test.invalid' });
  const ids = parsed.contributions.map((c) => c.id);
  await moderateContribution(store, ids[5]!, { status: 'pending', by: 'moderatrice@test.invalid', action: 'moderation.unpublish' });
  const prov = { by: 'human' as const, reviewer: 'test', at: '2026-11-30T00:00:00Z' };
  const groups: IdeaGroup[] = [{ id: 'g-install', consultation: SLUG, parent: null, theme: '1', label: 'Faciliter l’installation des médecins', labelByHuman: true,
    members: [ids[0]!, ids[1]!, ids[5]!].map((contribution) => ({ contribution, provenance: prov })), quotes: [ids[0]!], lineage: [] }];
  await store.saveIdeaGroups(SLUG, groups);
  const plan = await importPlan(context(store, CLI_ACTOR, () => NOW), { bytes: new TextEncoder().encode(PLAN_MD), fileName: 'schema-lozere-test.md', consultation: SLUG });
  return { planId: plan.planId, ids };
}

let seq = 0;
function link(planId: string, source: LinkSourceRef, target: string | null, kind: LinkKind, status: LinkStatus, note: string | null = null): PlanLink {
  return {
    id: `l${++seq}`, planId, consultation: source.kind === 'planItem' ? null : SLUG, source, target, kind, status, score: null, evidence: [], model: null, modelVersion: null,
    note, decidedBy: status === 'suggested' ? null : 'analyste@test.invalid', decidedAt: status === 'suggested' ? null : '2026-11-30T12:00:00Z', createdAt: '2026-11-30T10:00:00Z',
  };
}

/** The decisions of the test: an idea taken up, a contribution partly, one national, plan items stated and not taken up. */
export function testLinks(planId: string, ids: string[]): PlanLink[] {
  return [
    link(planId, { kind: 'idea', id: 'g-install' }, 'E1D2O3', 'taken_up', 'confirmed'),
    link(planId, { kind: 'contribution', id: ids[2]! }, 'E1D2O4', 'partly', 'confirmed', 'les consultations de cardiologie seulement'),
    link(planId, { kind: 'contribution', id: ids[3]! }, null, 'national', 'confirmed', 'la prise en charge des transports relève de l’Assurance maladie'),
    link(planId, { kind: 'contribution', id: ids[5]! }, 'E1D2O3', 'taken_up', 'confirmed'),
    link(planId, { kind: 'contribution', id: ids[4]! }, 'E1D2O4', 'taken_up', 'suggested'),
    link(planId, { kind: 'contribution', id: ids[1]! }, 'E1D2O4', 'taken_up', 'rejected'),
    link(planId, { kind: 'planItem', id: '1' }, 'E1D2O3', 'taken_up', 'stated'),
    link(planId, { kind: 'planItem', id: '2' }, null, 'not_taken_up', 'confirmed', 'une loi ne relève pas du schéma'),
  ];
}


/** Writes links as decisions through the store (one audited transaction each), as a reviewer's would be. */
export async function storeLinks(store: Store, links: PlanLink[]): Promise<void> {
  for (const l of links) {
    await writeLinkDecision(store, {
      planId: l.planId, source: l.source, decision: l.status === 'rejected' ? 'reject' : l.kind === 'national' ? 'national' : l.kind === 'not_taken_up' ? 'not_taken_up' : 'confirm',
      actor: 'analyste@test.invalid', at: '2026-11-30T12:00:00Z',
      decide: (current) => {
        const same = current.find((x) => x.target === l.target);
        return { upsert: [{ ...l, id: same?.id ?? l.id }], remove: [], main: same?.id ?? l.id };
      },
      audit: () => ({ actor: 'analyste@test.invalid', action: 'link.decide', consultation: l.consultation, targetType: 'plan_link', targetId: l.id }),
    });
  }
}

/**
 * The same decisions as testLinks, taken through the application (decideLink: audited, undoable), but for the plan
 * item the scheme states itself (no use case writes a `stated` link: the store does, as an import would).
 */
export async function decideTestLinks(ctx: UseCaseContext, planId: string, ids: string[]): Promise<void> {
  const plan = planId;
  await decideLink(ctx, { plan, source: { kind: 'idea', id: 'g-install' }, target: 'E1D2O3', decision: 'confirm' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: ids[2]! }, target: 'E1D2O4', decision: 'confirm', kind: 'partly', note: 'les consultations de cardiologie seulement' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: ids[3]! }, decision: 'national', note: 'la prise en charge des transports relève de l’Assurance maladie' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: ids[5]! }, target: 'E1D2O3', decision: 'confirm' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: ids[1]! }, target: 'E1D2O4', decision: 'confirm' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: ids[1]! }, target: 'E1D2O4', decision: 'reject' });
  await decideLink(ctx, { plan, source: { kind: 'planItem', id: '2' }, decision: 'not_taken_up', note: 'une loi ne relève pas du schéma' });
  await storeLinks(ctx.store, testLinks(planId, ids).filter((l) => l.status === 'stated'));
}
