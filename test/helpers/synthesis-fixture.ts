/**
 * A small made-up consultation for the synthesis tests: a source "document" whose text is built
 * here, so every contribution has a real span (charStart/charEnd) and a raw text.
 */
import { createHash } from 'node:crypto';
import { contributionId, type Contribution, type ContributionKind } from '../../src/domain/contribution.ts';
import type { IdeaGroup } from '../../src/domain/ideas.ts';
import type { Meeting, Participants } from '../../src/domain/meeting.ts';
import type { HumanSynthesisItem } from '../../src/domain/synthesis.ts';
import { CNR_SANTE_THEMES, type Theme } from '../../src/domain/theme.ts';
import type { ParsedDocument } from '../../src/ingest/types.ts';
import { Store } from '../../src/store/store.ts';

export const LOCAL_THEME: Theme = { code: 'vieillissement', label: 'Bien vieillir dans le territoire', keywords: [], local: true };

interface Item { meeting: string; theme: string; kind: ContributionKind; text: string; category?: string; dept?: string }

export function buildParsed(fileName: string, consultation: string, meetings: Meeting[], items: Item[], syntheses: HumanSynthesisItem[] = [], themes: Theme[] = []): { parsed: ParsedDocument; text: string } {
  let text = `Compte-rendu fictif pour les tests\n\n`;
  let line = 3;
  const contributions: Contribution[] = [];
  const documentId = createHash('sha256').update(fileName + JSON.stringify(items)).digest('hex');
  items.forEach((it, i) => {
    // the raw form has the layout defects of PDF text: a split word and a line break
    const words = it.text.split(' ');
    const raw = words.length > 4 ? `${words.slice(0, 3).join(' ')}\n${words.slice(3).join(' ')}` : it.text;
    const charStart = text.length;
    text += `${raw}\n`;
    const charEnd = charStart + raw.length;
    const lines = raw.split('\n').length;
    const c: Contribution = {
      id: contributionId(documentId, i + 1), consultation, meeting: it.meeting, channel: 'atelier', text: it.text, rawText: raw,
      kind: it.kind, kindProvenance: { by: 'source', documentId },
      themes: [{ theme: it.theme, provenance: { by: 'source', documentId } }],
      moderation: { status: 'published' },
      source: { documentId, file: fileName, lineStart: line, lineEnd: line + lines - 1, charStart, charEnd },
    };
    if (it.category) c.category = it.category;
    if (it.dept) c.territory = it.dept;
    contributions.push(c);
    line += lines;
  });
  for (const m of meetings) m.consultation = consultation;
  const parsed: ParsedDocument = {
    documentId, fileName, mediaType: 'text/plain', sizeBytes: Buffer.byteLength(text), parser: 'test', parserVersion: '1',
    themes, meetings, contributions, syntheses, warnings: [],
  };
  return { parsed, text };
}

function participants(p: Partial<Participants>): Participants {
  return { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: null, ...p };
}

const DEPT_ITEMS: Item[] = [
  { meeting: 'm1', theme: '1', kind: 'constat', text: 'Les délais pour voir un généraliste dépassent trois semaines dans le nord du canton.', category: 'Accès aux soins' },
  { meeting: 'm1', theme: '1', kind: 'constat', text: 'Plusieurs habitants n’ont plus de médecin traitant depuis un départ en retraite.', category: 'Accès aux soins' },
  { meeting: 'm2', theme: '1', kind: 'constat', text: 'Le bus vers la maison de santé ne passe que deux fois par semaine.', category: 'Mobilité' },
  { meeting: 'm1', theme: '1', kind: 'proposition', text: 'Ouvrir un cabinet secondaire tenu à tour de rôle par les médecins du pôle.', category: 'Coordonner › Organisation' },
  { meeting: 'm2', theme: '1', kind: 'proposition', text: 'Confier le suivi des patients chroniques stables à une infirmière en pratique avancée.', category: 'Coordonner › Délégation' },
  { meeting: 'm2', theme: '1', kind: 'proposition', text: 'Créer un transport à la demande pour les rendez-vous médicaux.' },
  { meeting: 'm1', theme: '1', kind: 'action_en_cours', text: 'La maison de santé du village accueille déjà deux internes par semestre.' },
  { meeting: 'm1', theme: '2', kind: 'constat', text: 'Les urgences ferment la nuit deux jours par semaine faute de personnel.', category: 'Urgences' },
  { meeting: 'm2', theme: '2', kind: 'proposition', text: 'Faire connaître le numéro du service d’accès aux soins dans chaque mairie.', category: 'Information' },
  { meeting: 'm2', theme: '2', kind: 'proposition', text: 'Revoir la rémunération des gardes de nuit au niveau de la convention.', category: 'Relève du niveau national' },
  { meeting: 'm1', theme: '3', kind: 'proposition', text: 'Proposer un logement meublé aux internes pendant leur stage.', category: 'Accueil des internes' },
  { meeting: 'm2', theme: '3', kind: 'levier_frein', text: 'Le manque d’emploi pour le conjoint freine les installations.' },
  { meeting: 'm1', theme: '4', kind: 'proposition', text: 'Organiser des ateliers nutrition dans les écoles avec les diététiciens du secteur.', category: 'Jeunes' },
  { meeting: 'm2', theme: 'vieillissement', kind: 'constat', text: 'Les aidants familiaux s’épuisent faute de solutions de répit.', category: 'Aidants' },
  { meeting: 'm2', theme: 'vieillissement', kind: 'proposition', text: 'Développer l’accueil de jour itinérant dans les bourgs.', category: 'Aidants' },
];

export const DEPT_MEETINGS = (): Meeting[] => [
  { id: 'm1', consultation: '', kind: 'atelier', title: 'Atelier de Cahors', place: 'Cahors', territory: '46', date: '2022-11-18', time: '14h-17h',
    participants: participants({ elus: 12, institutionnels: 8, professionnels: 20, associations: 5, usagers: 10, autres: null, total: 57 }) },
  { id: 'm2', consultation: '', kind: 'visio', title: 'Séquence en visioconférence', territory: '46', dateText: 'Lundi 12 décembre',
    participants: participants({ elus: 3, professionnels: 6, usagers: 4, total: null }) },
];

export const DEPT_SLUG = 'test-lot';

/** A département consultation (territory 46) with 2 meetings and 15 contributions on 5 themes. */
export async function departementStore(): Promise<{ store: Store; parsed: ParsedDocument; text: string }> {
  const store = await Store.open({ sqlitePath: ':memory:' });
  await store.upsertConsultation({ slug: DEPT_SLUG, title: 'Consultation fictive du Lot', territory: '46', status: 'closed', themes: [...CNR_SANTE_THEMES] });
  const { parsed, text } = buildParsed('atelier-fictif.txt', DEPT_SLUG, DEPT_MEETINGS(), DEPT_ITEMS, [], [LOCAL_THEME]);
  await store.importParsed(DEPT_SLUG, parsed, { publishBy: 'analyste@test.invalid' });
  return { store, parsed, text };
}

export const REGION_SLUG = 'test-region';

/** A regional consultation (75) over two départements, with idea groups and a source's own stated totals. */
export async function regionStore(): Promise<{ store: Store; parsed: ParsedDocument; text: string }> {
  const store = await Store.open({ sqlitePath: ':memory:' });
  await store.upsertConsultation({ slug: REGION_SLUG, title: 'Consultation régionale fictive', territory: '75', status: 'closed', themes: [...CNR_SANTE_THEMES] });
  const meetings: Meeting[] = [
    { id: 'r1', consultation: '', kind: 'atelier', title: 'Atelier de Bordeaux', place: 'Bordeaux', territory: '33', date: '2022-11-21', participants: participants({ elus: 4, total: 4 }) },
    { id: 'r2', consultation: '', kind: 'atelier', title: 'Atelier de Libourne', place: 'Libourne', territory: '33', participants: participants({}) },
    { id: 'r3', consultation: '', kind: 'atelier', title: 'Atelier d’Agen', place: 'Agen', territory: '47', date: '2022-12-05', participants: participants({ usagers: 9, total: 10 }) },
  ];
  const items: Item[] = [
    { meeting: 'r1', dept: '33', theme: '1', kind: 'constat', text: 'Trouver un rendez-vous chez un ophtalmologiste prend six mois.' },
    { meeting: 'r1', dept: '33', theme: '1', kind: 'proposition', text: 'Impliquer les élus intercommunaux dans l’accueil des nouveaux médecins.' },
    { meeting: 'r2', dept: '33', theme: '1', kind: 'proposition', text: 'Financer des chargés de mission démographie médicale dans chaque EPCI.' },
    { meeting: 'r3', dept: '47', theme: '1', kind: 'proposition', text: 'Aider le conjoint du médecin à trouver un emploi sur place.' },
    { meeting: 'r3', dept: '47', theme: '1', kind: 'proposition', text: 'Prévoir des places en crèche pour les enfants des soignants.' },
    { meeting: 'r3', dept: '47', theme: '2', kind: 'proposition', text: 'Mieux communiquer sur le médecin de garde du week-end.' },
    { meeting: 'r1', dept: '33', theme: '4', kind: 'constat', text: 'La prévention reste cantonnée à quelques campagnes annuelles.' },
  ];
  const syntheses: HumanSynthesisItem[] = [{
    label: 'Synthèse régionale', quotes: [], source: { documentId: 'x', file: 'synthese.txt' }, children: [
      { label: 'Ateliers organisés par département', statedCount: 5, quotes: [], source: { documentId: 'x', file: 'synthese.txt' }, children: [
        { label: '33 — Gironde', statedCount: 3, quotes: [], children: [], source: { documentId: 'x', file: 'synthese.txt' } },
        { label: '47 — Lot-et-Garonne', statedCount: 1, quotes: [], children: [], source: { documentId: 'x', file: 'synthese.txt' } },
        { label: '24 — Dordogne', statedCount: 1, quotes: [], children: [], source: { documentId: 'x', file: 'synthese.txt' } },
      ] },
      { label: 'Contributions par thématique', statedCount: 20, quotes: [], source: { documentId: 'x', file: 'synthese.txt' }, children: [
        { label: 'Thématique 1 : accès aux soins', statedCount: 12, quotes: [], children: [], source: { documentId: 'x', file: 'synthese.txt' } },
        { label: 'Thématique 2 : continuité', statedCount: 8, quotes: [], children: [], source: { documentId: 'x', file: 'synthese.txt' } },
      ] },
    ],
  }];
  const { parsed, text } = buildParsed('ateliers-fictifs.txt', REGION_SLUG, meetings, items, syntheses);
  await store.importParsed(REGION_SLUG, parsed, { publishBy: 'analyste@test.invalid' });
  const id = (i: number) => parsed.contributions[i]!.id;
  const at = '2024-01-01T00:00:00Z';
  const prov = { by: 'human' as const, reviewer: 'test', at };
  const groups: IdeaGroup[] = [
    { id: 'g-install', consultation: REGION_SLUG, parent: null, theme: '1', label: 'Encourager l’installation', labelByHuman: true, members: [], quotes: [], lineage: [], statedCount: 4 },
    { id: 'g-territ', consultation: REGION_SLUG, parent: 'g-install', theme: '1', label: 'Territorialiser l’action avec les élus', labelByHuman: true,
      members: [{ contribution: id(1), provenance: prov }, { contribution: id(2), provenance: prov }], quotes: [id(2)], lineage: [], statedCount: 2 },
    { id: 'g-vie', consultation: REGION_SLUG, parent: 'g-install', theme: '1', label: 'Concilier vie professionnelle et personnelle', labelByHuman: true,
      members: [{ contribution: id(3), provenance: prov }, { contribution: id(4), provenance: prov }], quotes: [], lineage: [] },
  ];
  await store.saveIdeaGroups(REGION_SLUG, groups);
  return { store, parsed, text };
}
