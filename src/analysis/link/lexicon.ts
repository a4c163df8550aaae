import { HEALTH_ACRONYMS, canonicalAcronym, healthAcronym } from '../../domain/health-lexicon.ts';
import { isAcronym } from '../text/index.ts';
import { contentStems } from './tokens.ts';

/**
 * The health-system lexicon as the link suggestion uses it: an acronym and its spelled-out forms count as one
 * concept (« IDE » in the plan matches « infirmières » in a proposal). A concept is a term `@ide` added to the
 * bag of a text wherever the acronym or one of its forms reads.
 *
 * The forms are the expansion of src/domain/health-lexicon.ts, plus the everyday wordings below (written by the
 * team as facts of the vocabulary: an « IDE » is an « infirmier »). A form matches as its whole sequence of
 * content stems (stopwords skipped), never as a part: « équipe mobile » alone is not « EMPP ».
 */
const EVERYDAY_FORMS: Readonly<Record<string, readonly string[]>> = {
  IDE: ['infirmier', 'infirmière'],
  IDEL: ['infirmier libéral', 'infirmière libérale'],
  IPA: ['infirmier de pratique avancée', 'infirmière en pratique avancée', 'pratique avancée'],
  MSP: ['maison de santé', 'maisons de santé pluridisciplinaires'],
  CDS: ['centres de santé'],
  SAS: ['service d’accès aux soins'],
  SNP: ['soin non programmé'],
  PDSA: ['permanence des soins'],
  MMG: ['maison médicale de garde'],
  HAD: ['hospitalisation au domicile'],
  EHPAD: ['maison de retraite'],
  CMP: ['centre médico psychologique'],
};

/**
 * Acronyms the national lexicon does not hold, with what they stand for in the regional plans, as concepts
 * (not spelled-out forms: « PASTEL » is the name of Occitanie's telemedicine programme, the plans write
 * « PASTEL télémédecine »).
 */
const LOCAL_ACRONYMS: Readonly<Record<string, readonly string[]>> = {
  PASTEL: ['télémédecine', 'téléconsultation', 'téléexpertise'],
};

/**
 * Equivalences of the health system that have no acronym of their own: the wordings by which plans and
 * proposals name one thing (facts of the vocabulary a health analyst knows, not tuned on any text). Different
 * forms of one set match (« médecine de ville » = « professionnels de santé libéraux »); an acronym listed is read
 * as one of the forms (an MSP is a structure of exercice coordonné).
 */
const EQUIVALENCES: Readonly<Record<string, readonly string[]>> = {
  // ambulatory care given outside hospitals by self-employed professionals
  'soins-de-ville': ['médecine de ville', 'soins de ville', 'professionnels libéraux', 'professionnels de santé libéraux', 'médecins libéraux', 'exercice libéral'],
  // the after-hours on-call of ambulatory care (PDSA): its duty rosters and its premises
  'permanence-des-soins': ['permanence des soins', 'tours de garde', 'maison médicale de garde', 'gardes médicales'],
  // the publics the PRAPS and the « aller vers » target
  'publics-vulnerables': ['personnes vulnérables', 'publics vulnérables', 'personnes fragiles', 'publics fragiles', 'publics précaires', 'personnes précaires', 'personnes en situation de précarité', 'personnes démunies', 'publics éloignés du système de santé'],
  // coordinated practice and its structures
  'exercice-coordonne': ['exercice coordonné', 'exercice pluriprofessionnel', 'MSP', 'CPTS', 'ESP', 'maison de santé', 'équipe de soins primaires', 'communauté professionnelle territoriale de santé'],
  // sharing of competences between professions: delegation, cooperation protocols, advanced practice
  'partage-des-competences': ['délégation de tâches', 'transfert de tâches', 'protocoles de coopération', 'partage de compétences', 'transfert de compétences', 'pratique avancée', 'IPA'],
};

export interface ConceptForm {
  concept: string;
  acronym: string;
  /** content stems of the form, in order */
  stems: readonly string[];
  /** the form as the lexicon writes it */
  text: string;
}

function buildForms(): ConceptForm[] {
  const out: ConceptForm[] = [];
  const add = (acronym: string, text: string) => {
    const canon = canonicalAcronym(acronym) ?? acronym;
    const stems = contentStems(text);
    if (stems.length > 0) out.push({ concept: `@${canon.toLowerCase()}`, acronym: canon, stems, text });
  };
  for (const a of HEALTH_ACRONYMS) {
    if (a.ambiguous) continue;
    add(a.acronym, a.expansion);
    for (const f of EVERYDAY_FORMS[a.acronym] ?? []) add(a.acronym, f);
  }
  for (const [acronym, forms] of Object.entries(LOCAL_ACRONYMS)) for (const f of forms) add(acronym, f);
  for (const [name, forms] of Object.entries(EQUIVALENCES)) {
    for (const text of forms) {
      const stems = contentStems(text);
      if (stems.length > 0) out.push({ concept: `@~${name}`, acronym: '', stems, text });
    }
  }
  return out;
}

const FORMS: readonly ConceptForm[] = buildForms();
/** forms by their first stem, longest first (the longest form wins where two start at the same word) */
const FORMS_BY_FIRST: ReadonlyMap<string, ConceptForm[]> = (() => {
  const m = new Map<string, ConceptForm[]>();
  for (const f of FORMS) {
    const k = f.stems[0] as string;
    let l = m.get(k);
    if (!l) { l = []; m.set(k, l); }
    l.push(f);
  }
  for (const l of m.values()) l.sort((a, b) => b.stems.length - a.stems.length || a.text.localeCompare(b.text));
  return m;
})();

/** The concept an acronym as written stands for (`@ide`), or undefined. Ambiguous acronyms (ETP, APA) have none. */
export function acronymConcept(surface: string): string | undefined {
  if (!isAcronym(surface)) return undefined;
  const upper = surface.toUpperCase();
  if (LOCAL_ACRONYMS[upper]) return `@${upper.toLowerCase()}`;
  const a = healthAcronym(upper);
  if (!a || a.ambiguous) return undefined;
  return `@${(a.same ?? a.acronym).toLowerCase()}`;
}

export interface FormHit { form: ConceptForm; start: number; end: number }

/** Spelled-out forms found in a sequence of content stems (positions into it, end exclusive). */
export function findForms(stems: readonly string[]): FormHit[] {
  const out: FormHit[] = [];
  for (let i = 0; i < stems.length; i++) {
    const cands = FORMS_BY_FIRST.get(stems[i] as string);
    if (!cands) continue;
    const seen = new Set<string>(); // the longest form of each concept starting here
    for (const f of cands) {
      if (seen.has(f.concept)) continue;
      const n = f.stems.length;
      if (i + n > stems.length) continue;
      let ok = true;
      for (let k = 1; k < n; k++) if (stems[i + k] !== f.stems[k]) { ok = false; break; }
      if (ok) { out.push({ form: f, start: i, end: i + n }); seen.add(f.concept); }
    }
  }
  return out;
}
