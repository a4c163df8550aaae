/**
 * Acronyms of the French health system and their expansions, written by the team as facts (pure data).
 * Used by the analysis to count an acronym and its spelled-out form as one feature ("IPA" = "infirmier en
 * pratique avancée") and to keep acronyms in capitals in idea labels.
 */

export interface HealthAcronym {
  /** as written in capitals: "CPTS" */
  acronym: string;
  /** spelled out, singular, lower case except proper nouns: "communauté professionnelle territoriale de santé" */
  expansion: string;
  /** acronym standing for the same thing (SSR became SMR in 2023): matched as this one */
  same?: string;
  /**
   * the acronym has another current meaning in these texts (ETP: also « équivalent temps plein »): its
   * expansion is not merged with it for matching, it is only kept in capitals
   */
  ambiguous?: boolean;
}

export const HEALTH_ACRONYMS: readonly HealthAcronym[] = [
  { acronym: 'ALD', expansion: 'affection de longue durée' },
  { acronym: 'AME', expansion: 'aide médicale de l’État' },
  { acronym: 'APA', expansion: 'allocation personnalisée d’autonomie', ambiguous: true },
  { acronym: 'ARS', expansion: 'agence régionale de santé' },
  { acronym: 'ASALEE', expansion: 'action de santé libérale en équipe' },
  { acronym: 'CAF', expansion: 'caisse d’allocations familiales' },
  { acronym: 'CCAS', expansion: 'centre communal d’action sociale' },
  { acronym: 'CDS', expansion: 'centre de santé' },
  { acronym: 'CH', expansion: 'centre hospitalier' },
  { acronym: 'CHU', expansion: 'centre hospitalier universitaire' },
  { acronym: 'CLIC', expansion: 'centre local d’information et de coordination' },
  { acronym: 'CLS', expansion: 'contrat local de santé' },
  { acronym: 'CLSM', expansion: 'conseil local de santé mentale' },
  { acronym: 'CMP', expansion: 'centre médico-psychologique' },
  { acronym: 'CMPP', expansion: 'centre médico-psycho-pédagogique' },
  { acronym: 'CNR', expansion: 'Conseil national de la refondation' },
  { acronym: 'CPAM', expansion: 'caisse primaire d’assurance maladie' },
  { acronym: 'CPTS', expansion: 'communauté professionnelle territoriale de santé' },
  { acronym: 'CSAPA', expansion: 'centre de soins, d’accompagnement et de prévention en addictologie' },
  { acronym: 'CSS', expansion: 'complémentaire santé solidaire' },
  { acronym: 'CTS', expansion: 'conseil territorial de santé' },
  { acronym: 'DAC', expansion: 'dispositif d’appui à la coordination' },
  { acronym: 'DMP', expansion: 'dossier médical partagé' },
  { acronym: 'EHPAD', expansion: 'établissement d’hébergement pour personnes âgées dépendantes' },
  { acronym: 'EMG', expansion: 'équipe mobile de gériatrie' },
  { acronym: 'EMPP', expansion: 'équipe mobile psychiatrie précarité' },
  { acronym: 'ESMS', expansion: 'établissements et services sociaux et médico-sociaux' },
  { acronym: 'ESP', expansion: 'équipe de soins primaires' },
  { acronym: 'ETP', expansion: 'éducation thérapeutique du patient', ambiguous: true },
  { acronym: 'GHT', expansion: 'groupement hospitalier de territoire' },
  { acronym: 'HAD', expansion: 'hospitalisation à domicile' },
  { acronym: 'HAS', expansion: 'Haute Autorité de santé' },
  { acronym: 'IDE', expansion: 'infirmier diplômé d’État' },
  { acronym: 'IDEL', expansion: 'infirmier diplômé d’État libéral' },
  { acronym: 'IFSI', expansion: 'institut de formation en soins infirmiers' },
  { acronym: 'IPA', expansion: 'infirmier en pratique avancée' },
  { acronym: 'IVG', expansion: 'interruption volontaire de grossesse' },
  { acronym: 'MDPH', expansion: 'maison départementale des personnes handicapées' },
  { acronym: 'MMG', expansion: 'maison médicale de garde' },
  { acronym: 'MSA', expansion: 'Mutualité sociale agricole' },
  { acronym: 'MSP', expansion: 'maison de santé pluriprofessionnelle' },
  { acronym: 'MSS', expansion: 'messagerie sécurisée de santé' },
  { acronym: 'ORS', expansion: 'observatoire régional de la santé' },
  { acronym: 'PASS', expansion: 'permanence d’accès aux soins de santé' },
  { acronym: 'PDSA', expansion: 'permanence des soins ambulatoires' },
  { acronym: 'PDSES', expansion: 'permanence des soins en établissement de santé' },
  { acronym: 'PMI', expansion: 'protection maternelle et infantile' },
  { acronym: 'PRS', expansion: 'projet régional de santé' },
  { acronym: 'PTA', expansion: 'plateforme territoriale d’appui' },
  { acronym: 'PTSM', expansion: 'projet territorial de santé mentale' },
  { acronym: 'PUI', expansion: 'pharmacie à usage intérieur' },
  { acronym: 'QPV', expansion: 'quartier prioritaire de la politique de la ville' },
  { acronym: 'SAMU', expansion: 'service d’aide médicale urgente' },
  { acronym: 'SAS', expansion: 'service d’accès aux soins' },
  { acronym: 'SAU', expansion: 'service d’accueil des urgences' },
  { acronym: 'SDIS', expansion: 'service départemental d’incendie et de secours' },
  { acronym: 'SMR', expansion: 'soins médicaux et de réadaptation' },
  { acronym: 'SMUR', expansion: 'structure mobile d’urgence et de réanimation' },
  { acronym: 'SNP', expansion: 'soins non programmés' },
  { acronym: 'SSIAD', expansion: 'service de soins infirmiers à domicile' },
  { acronym: 'SSR', expansion: 'soins de suite et de réadaptation', same: 'SMR' },
  { acronym: 'STS', expansion: 'schéma territorial de santé' },
  { acronym: 'UHCD', expansion: 'unité d’hospitalisation de courte durée' },
  { acronym: 'URPS', expansion: 'union régionale des professionnels de santé' },
  { acronym: 'USLD', expansion: 'unité de soins de longue durée' },
  { acronym: 'ZAC', expansion: 'zone d’action complémentaire' },
  { acronym: 'ZIP', expansion: 'zone d’intervention prioritaire' },
  { acronym: 'ZRR', expansion: 'zone de revitalisation rurale' },
];

const BY_ACRONYM: ReadonlyMap<string, HealthAcronym> = new Map(HEALTH_ACRONYMS.map((a) => [a.acronym, a]));

/** The entry of an acronym, whatever its case ("ipa", "Ipa", "IPA"); undefined when it is not in the lexicon. */
export function healthAcronym(word: string): HealthAcronym | undefined {
  return BY_ACRONYM.get(word.toUpperCase());
}

/** True when the word is an acronym of the lexicon (any case). */
export function isHealthAcronym(word: string): boolean {
  return BY_ACRONYM.has(word.toUpperCase());
}

/** The acronym a word is counted as: SSR → SMR, IPA → IPA; undefined when not in the lexicon. */
export function canonicalAcronym(word: string): string | undefined {
  const a = healthAcronym(word);
  return a ? (a.same ?? a.acronym) : undefined;
}
