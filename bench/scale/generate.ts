/**
 * Generator of realistic synthetic French contributions for the scale benchmark (and tests): phrase pieces
 * written for Fabrique (no corpus text), recombined per theme and idea, with constats and propositions,
 * copy-paste campaigns and near-duplicates (typos, swapped words, extra words). Deterministic for a seed.
 */
import { prng } from '../../src/analysis/grouping/kmeans.ts';

export interface SyntheticContribution {
  id: string;
  text: string;
  /** CNR theme code "1".."4" */
  theme: string;
  kind: 'constat' | 'proposition';
  /** ground-truth idea: `${theme}/${index}` */
  idea: string;
  /** campaign id when the text comes from a copy-paste campaign */
  campaign?: string;
}

interface Idea { constat: string[]; proposition: string[]; details: string[] }

const IDEAS: Record<string, Idea[]> = {
  '1': [
    { constat: ['plus aucun médecin traitant n\'accepte de nouveaux patients', 'mon médecin traitant part à la retraite sans successeur', 'impossible de trouver un généraliste qui nous suive'],
      proposition: ['attribuer un médecin traitant à chaque patient en ALD', 'créer une liste d\'attente départementale pour trouver un médecin traitant', 'garantir un médecin traitant aux personnes âgées isolées'],
      details: ['dans les communes rurales', 'pour les patients sans médecin', 'avec l\'appui de la CPAM', 'dès cette année'] },
    { constat: ['les maisons de santé manquent de coordination entre professionnels', 'les infirmières et les médecins ne se parlent pas assez', 'la CPTS reste peu connue des habitants'],
      proposition: ['développer l\'exercice coordonné en maison de santé pluriprofessionnelle', 'déployer des infirmières en pratique avancée dans les cabinets', 'renforcer la délégation de tâches entre médecins et infirmiers'],
      details: ['au sein de la CPTS', 'avec un temps de coordination financé', 'autour du patient', 'dans chaque bassin de vie'] },
    { constat: ['les transports vers les cabinets médicaux sont inexistants', 'sans voiture il faut une journée pour voir un spécialiste', 'les personnes âgées renoncent aux soins faute de transport'],
      proposition: ['organiser un transport solidaire vers les lieux de soins', 'développer le covoiturage pour les rendez-vous médicaux', 'financer des navettes vers la maison de santé'],
      details: ['pour les personnes âgées', 'porté par la commune', 'avec les associations locales', 'le jour du marché'] },
  ],
  '2': [
    { constat: ['les urgences sont saturées la nuit et le week-end', 'on attend huit heures aux urgences pour une entorse', 'les services d\'urgence ferment faute de médecins'],
      proposition: ['réguler l\'accès aux urgences par un appel préalable au 15', 'généraliser le service d\'accès aux soins SAS', 'orienter les patients par la régulation avant de se déplacer aux urgences'],
      details: ['la nuit', 'le week-end', 'avec les médecins libéraux', 'sur tout le département'] },
    { constat: ['aucun médecin de garde le samedi après-midi', 'la permanence des soins repose sur quelques médecins épuisés', 'les soins non programmés ne trouvent pas de réponse en ville'],
      proposition: ['ouvrir des créneaux de soins non programmés dans chaque maison de santé', 'créer des centres de soins non programmés adossés aux cabinets', 'mieux répartir les gardes entre tous les médecins du secteur'],
      details: ['en soirée', 'pendant les vacances', 'avec une rémunération adaptée', 'dans chaque secteur de garde'] },
  ],
  '3': [
    { constat: ['les jeunes médecins ne veulent pas s\'installer à la campagne', 'les internes ne connaissent pas notre territoire', 'le logement des stagiaires est introuvable'],
      proposition: ['loger gratuitement les internes en stage dans le département', 'faire découvrir le territoire aux étudiants en médecine', 'augmenter le nombre de maîtres de stage universitaires'],
      details: ['avec l\'aide des collectivités', 'pendant tout le stage', 'en lien avec la faculté', 'pour les stages de six mois'] },
    { constat: ['le conjoint du médecin ne trouve pas de travail ici', 'les professionnels de santé quittent le territoire faute d\'écoles et de services', 'l\'image de la ruralité décourage les soignants'],
      proposition: ['accompagner l\'emploi du conjoint des professionnels de santé', 'valoriser la qualité de vie du territoire auprès des soignants', 'proposer un guichet unique d\'accueil des professionnels de santé'],
      details: ['avec les élus', 'par une campagne de communication', 'dès la première visite', 'en mobilisant les entreprises'] },
  ],
  '4': [
    { constat: ['la prévention arrive trop tard chez les jeunes', 'les écoles manquent d\'infirmières scolaires', 'les addictions progressent chez les adolescents'],
      proposition: ['développer l\'éducation à la santé dès l\'école primaire', 'organiser des actions de prévention des addictions au collège', 'renforcer la santé scolaire avec plus d\'infirmières'],
      details: ['avec les enseignants', 'en lien avec les parents', 'tout au long de l\'année', 'par des intervenants formés'] },
    { constat: ['les dépistages des cancers sont peu suivis', 'les personnes âgées ne connaissent pas les bilans de prévention', 'les messages de prévention ne touchent pas les plus précaires'],
      proposition: ['aller vers les publics éloignés avec un bus de dépistage', 'proposer des bilans de prévention gratuits aux seniors', 'mobiliser les pharmaciens pour le dépistage et la vaccination'],
      details: ['dans les quartiers prioritaires', 'sur les marchés', 'avec les mairies', 'une fois par an'] },
  ],
};

const OPEN_C = ['', 'Constat : ', 'Aujourd\'hui, ', 'Dans notre commune, ', 'Il faut dire que ', 'Malheureusement '];
const OPEN_P = ['', 'Il faudrait ', 'Proposition : ', 'Nous proposons de ', 'Je souhaite qu\'on puisse ', 'Pourquoi ne pas '];
const TAIL = ['.', ' !', ', c\'est urgent.', '. Merci.', ', comme dans le département voisin.', '.'];

const SYL = ['bel', 'mont', 'val', 'ro', 'cha', 'lan', 'ville', 'mar', 'sau', 'bois', 'fon', 'ta', 'gue', 'pré', 'vic', 'lau', 'ris', 'ser', 'cau', 'nac'];
/** Made-up commune names from syllables (a few thousand). */
function commune(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(SYL, r);
  const name = s.charAt(0).toUpperCase() + s.slice(1);
  return r() < 0.3 ? `Saint-${name}` : name;
}

function pick<T>(a: readonly T[], r: () => number): T { return a[Math.floor(r() * a.length)] as T; }

function typo(s: string, r: () => number): string {
  const w = s.split(' ');
  const i = Math.floor(r() * w.length);
  const op = Math.floor(r() * 3);
  const word = w[i] as string;
  if (op === 0 && word.length > 3) w[i] = word.slice(0, -1);
  else if (op === 1 && i + 1 < w.length) { w[i] = w[i + 1] as string; w[i + 1] = word; }
  else w.splice(i, 0, pick(['vraiment', 'aussi', 'très', 'enfin'], r));
  return w.join(' ');
}

/** `n` contributions; about 3% belong to campaigns (blocks of 20–200 near-identical texts), 2% are near-duplicates. */
export function generateContributions(n: number, seed = 1): SyntheticContribution[] {
  const r = prng(seed);
  const themes = Object.keys(IDEAS);
  const out: SyntheticContribution[] = [];
  let campaignNo = 0;
  while (out.length < n) {
    const theme = pick(themes, r);
    const ideas = IDEAS[theme] as Idea[];
    const ii = Math.floor(r() * ideas.length);
    const idea = ideas[ii] as Idea;
    const kind = r() < 0.55 ? 'proposition' : 'constat';
    let core = kind === 'proposition' ? pick(idea.proposition, r) : pick(idea.constat, r);
    const open = kind === 'proposition' ? pick(OPEN_P, r) : pick(OPEN_C, r);
    if (open.endsWith('de ') || open.endsWith('puisse ') || open.startsWith('Il faudrait') || open.startsWith('Pourquoi')) { /* infinitive follows */ }
    let text = open + core;
    if (r() < 0.7) text += ' ' + pick(idea.details, r);
    if (r() < 0.3) { const other = pick(ideas, r); text += ' et ' + pick(other.details, r); }
    const extra = r();
    if (extra < 0.35) text += ` à ${commune(r)}`;
    else if (extra < 0.55) text += ` depuis ${2 + Math.floor(r() * 15)} ${r() < 0.5 ? 'mois' : 'ans'}`;
    text += pick(TAIL, r);
    text = text.charAt(0).toUpperCase() + text.slice(1);
    const base: SyntheticContribution = { id: `s${out.length + 1}`, text, theme, kind, idea: `${theme}/${ii}` };
    out.push(base);
    const roll = r();
    if (roll < 0.0004 && out.length < n) {
      // a campaign: the same text with occasional small edits
      const size = 20 + Math.floor(r() * 180);
      const cid = `c${++campaignNo}`;
      base.campaign = cid;
      core = text;
      for (let j = 1; j < size && out.length < n; j++) {
        const t = r() < 0.3 ? typo(core, r) : core;
        out.push({ id: `s${out.length + 1}`, text: t, theme, kind, idea: base.idea, campaign: cid });
      }
    } else if (roll < 0.02 && out.length < n) {
      out.push({ id: `s${out.length + 1}`, text: typo(text, r), theme, kind, idea: base.idea });
    }
  }
  return out.slice(0, n);
}
