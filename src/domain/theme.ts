export interface Theme {
  /** short stable code within a consultation: "1".."4" for the national CNR themes, a slug for local ones */
  code: string;
  label: string;
  description?: string;
  keywords: string[];
  /** true for a theme the territory added to the national ones */
  local: boolean;
}

/** The four national themes of the CNR Santé (autumn 2022), worded by the Fabrique team. */
export const CNR_SANTE_THEMES: readonly Theme[] = Object.freeze([
  {
    code: '1',
    label: 'Accès à un médecin traitant ou à une équipe traitante, exercice coordonné',
    description:
      'Donner à chacun, surtout aux plus fragiles, un médecin traitant ou une équipe traitante, et soutenir l’exercice coordonné.',
    keywords: ['médecin traitant', 'équipe traitante', 'exercice coordonné', 'maison de santé', 'MSP', 'CPTS',
      'centre de santé', 'patientèle', 'délégation de tâches', 'assistant médical', 'IPA', 'accès aux soins'],
    local: false,
  },
  {
    code: '2',
    label: 'Continuité des soins et soins non programmés',
    description:
      'Assurer la continuité des soins et répondre aux besoins de soins non programmés, le soir, le week-end et en urgence.',
    keywords: ['urgences', 'soins non programmés', 'SNP', 'SAS', 'permanence des soins', 'PDSA', 'PDSES',
      'centre 15', 'SAMU', 'SMUR', 'garde', 'régulation', 'continuité'],
    local: false,
  },
  {
    code: '3',
    label: 'Attractivité des métiers de la santé dans les territoires',
    description:
      'Mobiliser les leviers des territoires pour attirer et garder les professionnels de santé : formation, stages, logement, qualité de vie.',
    keywords: ['attractivité', 'installation', 'internes', 'stage', 'maître de stage', 'MSU', 'logement',
      'formation', 'études', 'recrutement', 'conjoint', 'qualité de vie'],
    local: false,
  },
  {
    code: '4',
    label: 'Prévention au quotidien : nouvelle alliance des acteurs locaux',
    description:
      'Créer une alliance entre acteurs locaux pour que la prévention entre dans la vie de tous les jours.',
    keywords: ['prévention', 'dépistage', 'vaccination', 'éducation à la santé', 'promotion de la santé',
      'activité physique', 'nutrition', 'addictions', 'santé mentale', 'école', 'CLS', 'sport'],
    local: false,
  },
] satisfies Theme[]);
