import type { Consultation, Contribution } from '../../src/domain/index.ts';
import { CNR_SANTE_THEMES, contributionId, emptyParticipants } from '../../src/domain/index.ts';
import type { ParsedDocument } from '../../src/ingest/types.ts';

export function testConsultation(slug = 'essai'): Consultation {
  return { slug, title: 'Consultation d’essai', territory: '46', status: 'open', themes: [...CNR_SANTE_THEMES] };
}

/** A small parsed document with made-up texts, as a parser would return it. */
export function testDocument(texts: string[], opts: { documentId?: string; parserVersion?: string; consultation?: string } = {}): ParsedDocument {
  const documentId = opts.documentId ?? 'a'.repeat(64);
  const consultation = opts.consultation ?? 'essai';
  const meetingId = `${documentId.slice(0, 12)}:m1`;
  const contributions: Contribution[] = texts.map((text, i) => ({
    id: contributionId(documentId, i + 1),
    consultation,
    meeting: meetingId,
    channel: 'atelier',
    text,
    kind: i % 2 === 0 ? 'constat' : 'proposition',
    themes: [{ theme: String((i % 4) + 1), provenance: { by: 'source', documentId } }],
    // what a parser may say; the store ignores it: imports are pending unless a named person publishes the document
    moderation: { status: 'published' },
    source: { documentId, file: 'essai.txt', lineStart: i + 1, lineEnd: i + 1 },
  }));
  const participants = emptyParticipants();
  participants.elus = 4; participants.usagers = 12; participants.total = 17;
  return {
    documentId, fileName: 'essai.txt', mediaType: 'text/plain', sizeBytes: 1234,
    parser: 'essai', parserVersion: opts.parserVersion ?? '1.0.0',
    themes: [], syntheses: [], warnings: [],
    meetings: [{ id: meetingId, consultation, kind: 'atelier', title: 'Atelier de Figeac', place: 'Figeac', participants }],
    contributions,
  };
}

/** Made-up contributions, six per national theme (CNR Santé codes 1–4), for analysis tests. */
export const THEMED_TEXTS: Record<string, string[]> = {
  '1': ['Trouver un médecin traitant est devenu impossible', 'Mon médecin traitant part à la retraite sans successeur',
    'Créer une maison de santé pour suivre les patients', 'Les patients sans médecin traitant renoncent aux soins',
    'Développer les assistants médicaux pour libérer du temps médical', 'Favoriser l’exercice coordonné entre infirmiers et médecins'],
  '2': ['Les urgences ferment la nuit faute de personnel', 'Attendre six heures aux urgences pour une entorse',
    'Organiser une permanence des soins le week-end', 'Le SAS doit orienter les appels non urgents',
    'Le centre 15 met trop longtemps à répondre', 'Ouvrir des consultations de soins non programmés le samedi'],
  '3': ['Loger les internes pendant leur stage', 'Attirer les jeunes professionnels avec un emploi pour le conjoint',
    'Former plus de maîtres de stage dans le département', 'Les étudiants en santé ne connaissent pas notre territoire',
    'Aider l’installation des kinésithérapeutes en zone rurale', 'Valoriser la qualité de vie pour recruter des soignants'],
  '4': ['Développer le dépistage des cancers dans les villages', 'Des ateliers de prévention nutrition dans les écoles',
    'Promouvoir l’activité physique des seniors', 'Campagne de vaccination avec les pharmacies',
    'Prévenir les addictions chez les adolescents', 'Éducation à la santé dès la maternelle'],
};

/** Made-up contributions of a small import, for storage tests. */
export const STORE_TEXTS = [
  'Il manque des médecins traitants dans le nord du département.',
  'Faciliter l’installation des jeunes praticiens en zone rurale.',
  'Les urgences de l’hôpital ferment la nuit faute de personnel.',
  'Créer des actions de prévention dans les écoles avec les infirmières.',
  'Installer une maison de santé pluriprofessionnelle à Gramat.',
  'Le médecin de garde est à quarante minutes le dimanche.',
];
