/**
 * Restitution syntheses: generate (build → verify → save), publish, verify a document, download, edit the
 * human-written parts. Every face calls these: `fabrique synthesize|verify|demo`, the synthesis routes, the job runner.
 */
import type { Consultation } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import type { SynthesisLevel } from '../domain/synthesis.ts';
import { listNationalMarks, setNationalMark, type NationalMark, type NationalTarget } from '../store/national-marks.ts';
import { listSynthesisRows, saveEditorialChange, saveGeneratedSynthesis, savePublication } from '../store/syntheses.ts';
import {
  buildSynthesis, chromiumAvailable, FOLLOWUP_FORMAT, dataChangesSince, describeFailures, FORMAT_INFO, loadEditorial, loadSynthesis, placeholderProblems, publicationProblems,
  PublicationRefusedError, reliedContributions, renderHtml, renderSynthesis, SynthesisVerificationError, synthesisId, verifySynthesis,
  type DataChanges, type EmblematicAction, type PublicationProblem, type Rendered, type SynthesisDocument, type SynthesisEditorial, type SynthesisFormat,
  type VerificationResult,
} from '../synthesis/index.ts';
import type { UseCaseContext } from './context.ts';
import { ignoreProgress, type ProgressReporter } from './progress.ts';

export interface SynthesisTarget {
  consultation: string;
  /** default: the level of the consultation's territory */
  level?: SynthesisLevel;
  /** département (restitution) or région (roll-up) code; default: the consultation's */
  territory?: string;
}

const LEVELS: readonly string[] = ['departement', 'region'];

async function resolveTarget(ctx: UseCaseContext, t: SynthesisTarget): Promise<{ consultation: Consultation; level: SynthesisLevel; territory?: string }> {
  if (t.level !== undefined && !LEVELS.includes(t.level)) throw new UserError('invalid', `Niveau de synthèse inconnu : « ${t.level} » (departement ou region).`, 'level');
  const consultation = await ctx.store.getConsultation(t.consultation);
  if (!consultation) throw new UserError('not_found', `Consultation inconnue : « ${t.consultation} »`, 'consultation');
  // Région and département codes overlap ("75", "76"…): the consultation's level, else the territories table, says which is meant.
  const scope = consultation.territoryLevel ?? (await ctx.store.getTerritory(consultation.territory))?.level;
  const level: SynthesisLevel = t.level ?? (scope === 'region' ? 'region' : 'departement');
  return { consultation, level, ...(t.territory ? { territory: t.territory } : {}) };
}

export interface GenerateSynthesisInput extends SynthesisTarget {
  /** refuse (SynthesisVerificationError, nothing saved) when a figure or a quote does not verify; default: save and report */
  requireVerified?: boolean;
  /** generated example quotes per idea (BuildOptions.quotesPerIdea; default 3) */
  quotesPerIdea?: number;
}

export interface GeneratedSynthesis {
  id: string;
  doc: SynthesisDocument;
  verification: VerificationResult;
}

/**
 * Builds the synthesis from the stored data, verifies every figure and quote against the data, and saves it as
 * the synthesis' current document with its audit entry (one transaction).
 */
export async function generateSynthesis(ctx: UseCaseContext, input: GenerateSynthesisInput, progress: ProgressReporter = ignoreProgress): Promise<GeneratedSynthesis> {
  const target = await resolveTarget(ctx, input);
  progress({ step: 'build', label: 'Construction de la synthèse', done: 0, total: 1 });
  const doc = await buildSynthesis(ctx.store, { consultation: target.consultation.slug, level: target.level, ...(target.territory ? { territory: target.territory } : {}),
    ...(input.quotesPerIdea !== undefined ? { quotesPerIdea: input.quotesPerIdea } : {}), now: ctx.now() });
  progress({ step: 'build', label: 'Construction de la synthèse', done: 1, total: 1 });
  progress({ step: 'verify', label: 'Vérification de chaque chiffre et de chaque citation', done: 0, total: 1 });
  const verification = await verifySynthesis(ctx.store, doc);
  progress({ step: 'verify', label: 'Vérification de chaque chiffre et de chaque citation', done: 1, total: 1 });
  if (input.requireVerified && !verification.ok) throw new SynthesisVerificationError(verification.failures, doc);
  progress({ step: 'save', label: 'Enregistrement de la synthèse', done: 0, total: 1 });
  await saveGeneratedSynthesis(ctx.store, doc, {
    actor: ctx.actor.name, at: ctx.now().toISOString(),
    before: (previous) => ({ generatedAt: previous.generatedAt, figures: previous.figures.length }),
    after: { generatedAt: doc.generatedAt, figures: doc.figures.length, verified: verification.ok },
  });
  progress({ step: 'save', label: 'Enregistrement de la synthèse', done: 1, total: 1 });
  return { id: doc.id, doc, verification };
}

/**
 * Rebuilds, verifies and publishes the synthesis: its HTML becomes the public restitution; stored with the
 * document and the audit entry in one transaction. Refused (PublicationRefusedError, with the list of what to fix
 * in French) while an editorial text is still to write or a figure or quote does not verify.
 */
export async function publishSynthesis(ctx: UseCaseContext, input: SynthesisTarget, progress: ProgressReporter = ignoreProgress): Promise<{ id: string; publishedAt: string; doc: SynthesisDocument }> {
  const target = await resolveTarget(ctx, input);
  progress({ step: 'build', label: 'Construction de la synthèse', done: 0, total: 1 });
  const doc = await buildSynthesis(ctx.store, { consultation: target.consultation.slug, level: target.level, ...(target.territory ? { territory: target.territory } : {}), now: ctx.now() });
  progress({ step: 'verify', label: 'Vérification de chaque chiffre et de chaque citation', done: 0, total: 1 });
  const { problems } = await publicationProblems(ctx.store, doc);
  if (problems.length > 0) throw new PublicationRefusedError(problems);
  progress({ step: 'publish', label: 'Publication de la restitution', done: 0, total: 1 });
  const publishedAt = ctx.now().toISOString();
  await savePublication(ctx.store, doc, {
    html: renderHtml(doc), contributions: reliedContributions(doc), notifySubscribers: true, after: { generatedAt: doc.generatedAt, figures: doc.figures.length, quotes: doc.quotes.length },
  }, { actor: ctx.actor.name, at: publishedAt });
  progress({ step: 'publish', label: 'Publication de la restitution', done: 1, total: 1 });
  return { id: doc.id, publishedAt, doc };
}

/** Verifies a synthesis document (e.g. a JSON file given back) against the stored data of its consultation. */
export async function verifySynthesisDocument(ctx: UseCaseContext, doc: unknown): Promise<VerificationResult> {
  const d = doc as Partial<SynthesisDocument> | null;
  if (!d || typeof d !== 'object' || !Array.isArray(d.figures) || !Array.isArray(d.quotes) || typeof d.consultation !== 'string') {
    throw new UserError('invalid', 'Ce n’est pas une synthèse Fabrique (format JSON de « fabrique synthesize --format json »).');
  }
  // a follow-up report of a plan without a consultation names none (its figures read the plan)
  const planOnly = d.format === FOLLOWUP_FORMAT && d.consultation === '';
  if (!planOnly && !await ctx.store.getConsultation(d.consultation)) throw new UserError('not_found', `Consultation inconnue : « ${d.consultation} »`);
  return verifySynthesis(ctx.store, d as SynthesisDocument);
}

/** Id of the stored synthesis for a target (the builder resolves the default territory). */
async function storedSynthesisId(ctx: UseCaseContext, t: { consultation: Consultation; level: SynthesisLevel; territory?: string }): Promise<string> {
  if (t.territory) return synthesisId(t.consultation.slug, t.level, t.territory);
  const rows = await listSynthesisRows(ctx.store, t.consultation.slug, t.level);
  if (rows.length === 1) return rows[0]!.id;
  const doc = await buildSynthesis(ctx.store, { consultation: t.consultation.slug, level: t.level });
  return doc.id;
}

/** The stored synthesis, verified again, rendered in a format. */
export async function downloadSynthesis(ctx: UseCaseContext, input: SynthesisTarget & { format: SynthesisFormat }): Promise<Rendered & { fileName: string }> {
  const target = await resolveTarget(ctx, input);
  const doc = await loadSynthesis(ctx.store, await storedSynthesisId(ctx, target));
  if (!doc) throw new UserError('not_found', 'Cette synthèse n’a pas encore été générée : lancez d’abord la génération.');
  if (input.format === 'pdf' && !chromiumAvailable()) {
    throw new UserError('unavailable', 'Le PDF est produit avec Chromium, absent de ce serveur : téléchargez le HTML ou le DOCX.');
  }
  let rendered: Rendered;
  try {
    rendered = await renderSynthesis(ctx.store, doc, input.format);
  } catch (e) {
    // a draft gone out of date is one thing to do, said in French, not every figure that no longer checks
    const changes = e instanceof SynthesisVerificationError ? await dataChangesSince(ctx.store, doc) : undefined;
    if (changes?.summary) throw new UserError('conflict', `Le brouillon ne correspond plus aux données : ${changes.summary} Régénérez-le pour le télécharger.`);
    throw e;
  }
  return { ...rendered, fileName: `synthese-${doc.level}-${doc.territory}.${FORMAT_INFO[input.format].extension}` };
}

export interface EditorialChange {
  /** texts and headings by key ('' removes one) */
  texts?: Record<string, string>;
  headings?: Record<string, string>;
  quotes?: Record<string, { contribution: string; text?: string | undefined }[]>;
  order?: Record<string, string[]>;
  /** theme code → its emblematic actions, replaced as a whole ([] removes them) */
  actions?: Record<string, { title: string; description?: string | undefined; owner?: string | undefined; territory?: string | undefined }[]>;
}

/** Merges human-written parts into the synthesis' editorial (key by key), stored with its audit entry. */
export async function editSynthesisEditorial(ctx: UseCaseContext, input: SynthesisTarget & EditorialChange): Promise<SynthesisEditorial> {
  const target = await resolveTarget(ctx, input);
  const id = await storedSynthesisId(ctx, target);
  const [, level, territory] = id.split(':') as [string, SynthesisLevel, string];
  const before = await loadEditorial(ctx.store, id);
  const next = structuredClone(before);
  for (const k of ['texts', 'headings'] as const) {
    for (const [key, v] of Object.entries(input[k] ?? {})) { if (v === '') delete next[k][key]; else next[k][key] = v; }
  }
  for (const [key, v] of Object.entries(input.quotes ?? {})) next.quotes[key] = v.map((q) => (q.text !== undefined ? { contribution: q.contribution, text: q.text } : { contribution: q.contribution }));
  for (const [key, v] of Object.entries(input.order ?? {})) next.order[key] = v;
  const themes = new Set(target.consultation.themes.map((t) => t.code));
  for (const [theme, list] of Object.entries(input.actions ?? {})) {
    if (!themes.has(theme)) throw new UserError('invalid', `Thème inconnu pour les actions emblématiques : « ${theme} ».`, `actions.${theme}`);
    const actions: EmblematicAction[] = list.map((a, i) => {
      const title = a.title.trim();
      if (!title) throw new UserError('invalid', `Action emblématique n° ${i + 1} du thème ${theme} : indiquez son intitulé.`, `actions.${theme}.${i}.title`);
      const owner = a.owner?.trim();
      const where = a.territory?.trim();
      return { title, description: a.description?.trim() ?? '', ...(owner ? { owner } : {}), ...(where ? { territory: where } : {}) };
    });
    next.actions ??= {};
    if (actions.length === 0) delete next.actions[theme];
    else next.actions[theme] = actions;
  }
  const at = ctx.now().toISOString();
  next.updatedAt = at;
  next.updatedBy = ctx.actor.name;
  await saveEditorialChange(ctx.store, { id, consultation: target.consultation.slug, level, territory }, { before, after: next }, { actor: ctx.actor.name, at });
  return next;
}

export interface SynthesisDraft {
  /** the stored draft as generated (null: never generated) */
  doc: SynthesisDocument | null;
  /** what changed in the data since the draft was generated (null without a draft) */
  changes: DataChanges | null;
  /** true when the draft no longer matches the data: regenerate it */
  stale: boolean;
  /** what holds publication back, in French (placeholders of the draft, failed checks or « régénérez ») */
  problems: PublicationProblem[];
  /** the verification of the stored draft against today's data */
  verification: { ok: boolean; failures: number; checked: { figures: number; quotes: number } } | null;
  national: NationalMark[];
  /** the editorial parts as stored now (texts saved since the generation included) */
  editorial: SynthesisEditorial;
}

/**
 * The synthesis page's view of the draft: the stored document (unverified, for its editorial fields), what
 * changed in the data since it was generated, and what holds its publication back, said in French. A draft
 * gone out of date is one problem, « régénérez », not every figure that no longer checks.
 */
export async function synthesisDraft(ctx: UseCaseContext, input: SynthesisTarget): Promise<SynthesisDraft> {
  const target = await resolveTarget(ctx, input);
  const national = await listNationalMarks(ctx.store, target.consultation.slug);
  const doc = await loadSynthesis(ctx.store, await storedSynthesisId(ctx, target));
  const stored = await loadEditorial(ctx.store, await storedSynthesisId(ctx, target));
  if (!doc) return { doc: null, changes: null, stale: false, problems: [], verification: null, national, editorial: stored };
  const changes = await dataChangesSince(ctx.store, doc);
  const verification = await verifySynthesis(ctx.store, doc);
  const stale = changes.summary !== '' || (!verification.ok && doc.basis === undefined);
  // texts saved since the generation count: the placeholders are those of the draft with today's editorial
  const editorial = stored;
  const withTexts = structuredClone(doc);
  for (const s of walkAll(withTexts.sections)) for (const b of s.blocks) if (b.type === 'editorial') b.text = editorial.texts[b.key] ?? '';
  const problems: PublicationProblem[] = [...placeholderProblems(withTexts)];
  if (stale) {
    problems.push({ code: 'stale', section: 'Document', message: `Les données ont changé : ${changes.summary || 'le brouillon ne correspond plus aux données.'} Régénérez le brouillon.` });
  } else {
    problems.push(...describeFailures(doc, verification.failures));
  }
  return { doc, changes, stale, problems, national, editorial, verification: { ok: verification.ok, failures: verification.failures.length, checked: verification.checked } };
}

function* walkAll(sections: SynthesisDocument['sections']): Generator<SynthesisDocument['sections'][number]> {
  for (const s of sections) { yield s; yield* walkAll(s.sections); }
}

/**
 * Marks (or unmarks) a contribution or an idea group as relevant to the national level: the restitution lists
 * it in the national section of its theme. Audited (`synthesis.national`).
 */
export async function markNational(ctx: UseCaseContext, input: { consultation: string; type: NationalTarget; id: string; national: boolean }): Promise<{ changed: boolean; marks: NationalMark[] }> {
  const consultation = await ctx.store.getConsultation(input.consultation);
  if (!consultation) throw new UserError('not_found', `Consultation inconnue : « ${input.consultation} »`, 'consultation');
  if (input.type === 'contribution') {
    const c = await ctx.store.getContribution(input.id);
    if (!c || c.consultation !== consultation.slug) throw new UserError('not_found', `Contribution inconnue dans cette consultation : « ${input.id} »`, 'id');
  } else if (!(await ctx.store.listIdeaGroups(consultation.slug)).some((g) => g.id === input.id)) {
    throw new UserError('not_found', `Idée commune inconnue dans cette consultation : « ${input.id} »`, 'id');
  }
  const changed = await setNationalMark(ctx.store, consultation.slug, { type: input.type, id: input.id, national: input.national }, { actor: ctx.actor.name, at: ctx.now().toISOString() });
  return { changed, marks: await listNationalMarks(ctx.store, consultation.slug) };
}
