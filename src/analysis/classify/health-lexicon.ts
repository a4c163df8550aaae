import { HEALTH_ACRONYMS } from '../../domain/health-lexicon.ts';

/**
 * Words of health and care in French (written by the team as facts of the vocabulary, not taken from any
 * text): a text that uses one of them is about health even when it matches no theme description well. Used by
 * the zero-shot fallback to tell « hors sujet » from « on topic but worded differently from the themes ».
 * Multi-word entries match as a whole; entries are stemmed as the texts are.
 */
const HEALTH_WORDS: readonly string[] = [
  'santé', 'soin', 'soins', 'soigner', 'soignant', 'soignants', 'médecin', 'médecins', 'médical', 'médicale', 'médecine',
  'généraliste', 'généralistes', 'spécialiste', 'spécialistes', 'hôpital', 'hôpitaux', 'hospitalier', 'hospitalisation',
  'clinique', 'urgences', 'urgentiste', 'SAMU', 'SMUR', 'infirmier', 'infirmière', 'infirmiers', 'infirmières', 'IDE', 'IPA',
  'pharmacie', 'pharmacien', 'pharmaciens', 'médicament', 'médicaments', 'ordonnance', 'ordonnances', 'dentiste', 'dentistes',
  'kinésithérapeute', 'kiné', 'kinés', 'sage-femme', 'sages-femmes', 'orthophoniste', 'ophtalmologue', 'ophtalmologiste',
  'dermatologue', 'cardiologue', 'gynécologue', 'pédiatre', 'psychiatre', 'psychiatrie', 'pédopsychiatrie', 'psychologue',
  'psychologique', 'santé mentale', 'CMP', 'maladie', 'maladies', 'malade', 'malades', 'patient', 'patients', 'patientèle',
  'traitement', 'diagnostic', 'téléconsultation', 'télémédecine', 'vaccin', 'vaccination', 'dépistage', 'diabète', 'cancer',
  'handicap', 'EHPAD', 'maison de retraite', 'aide-soignant', 'aide-soignante', 'ambulance', 'ambulancier', 'ALD', 'CPTS', 'MSP',
  'ARS', 'assurance maladie', 'CPAM', 'mutuelle', 'addiction', 'tabac', 'alcool', 'suicide', 'dépression', 'anxiété',
  'obésité', 'grossesse', 'accouchement', 'maternité', 'PMI', 'cabinet médical', 'maison de santé', 'centre de santé',
  'internes', 'interne en médecine', 'consultation médicale', 'prise en charge', 'dépendance', 'gériatrie', 'autonomie',
  // secours and environmental health
  'sanitaire', 'secours', 'premiers secours', 'pompiers', 'détresse', 'personnes âgées', 'DAC', 'radon', 'pesticides',
  'pollution', 'qualité de l’air', 'qualité de l’eau', 'nitrates', 'canicule', 'épandage', 'épandages', 'santé environnementale',
];

/** The words above and every unambiguous acronym of the health system (src/domain/health-lexicon.ts). */
export const HEALTH_LEXICON: readonly string[] = [...new Set([...HEALTH_WORDS, ...HEALTH_ACRONYMS.filter((a) => !a.ambiguous).map((a) => a.acronym)])];
