/**
 * The one place that maps a job kind to the use case it runs. A job's input is validated here (it was
 * stored as JSON by another process, perhaps another version); the use case gets the context of the
 * person who asked for the job and a progress reporter that the runner stores in the job row.
 *
 * What happens when a job is taken over after its process died (docs/deployment.md, "Jobs"):
 * - analyze: restarts from the beginning. Safe to repeat: the model's suggestions are replaced (never a
 *   human or source decision), and grouping keeps the existing ideas and human decisions, so a second run
 *   on the same data with the same seed leaves the same groups.
 * - synthesis: restarts from the beginning: build, verify and save replace the synthesis by its id.
 */
import { z } from 'zod';
import { groupConsultation } from '../analysis/ideas.ts';
import { classifyConsultation, type FullAnalysisSummary } from '../analysis/pipeline.ts';
import type { SynthesisLevel } from '../domain/synthesis.ts';
import { UserError } from '../domain/errors.ts';
import { appDb } from '../store/accounts.ts';
import { recordAudit } from '../store/audit.ts';
import { buildSynthesis, loadSynthesis, saveSynthesis, verifySynthesis } from '../synthesis/index.ts';
import type { UseCaseContext } from '../usecases/context.ts';
import type { ProgressReporter } from '../usecases/progress.ts';

export const JOB_KINDS = ['analyze', 'synthesis'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const AnalyzeInput = z.object({
  consultation: z.string().min(1).max(200),
  seed: z.number().int().min(0).max(2 ** 31).optional(),
  regroup: z.boolean().optional(),
});
export type AnalyzeInput = z.infer<typeof AnalyzeInput>;

export const SynthesisInput = z.object({
  consultation: z.string().min(1).max(200),
  level: z.enum(['departement', 'region']).optional(),
  territory: z.string().min(2).max(3).optional(),
});
export type SynthesisInput = z.infer<typeof SynthesisInput>;

export interface SynthesisResult {
  id: string;
  verification: { ok: boolean; failures: { path: string; message: string }[]; checked: { figures: number; quotes: number } };
  notices: string[];
}

interface KindSpec<I> {
  input: z.ZodType<I>;
  /** the consultation the job works on (shown with the job, and its access) */
  consultation: (input: I) => string;
  /** at most one queued or running job per key */
  dedupeKey: (input: I) => string;
  run: (ctx: UseCaseContext, input: I, progress: ProgressReporter) => Promise<unknown>;
}

export const JOB_HANDLERS: { [K in JobKind]: KindSpec<any> } = {
  analyze: {
    input: AnalyzeInput,
    consultation: (i: AnalyzeInput) => i.consultation,
    dedupeKey: (i: AnalyzeInput) => `analyze:${i.consultation}`,
    run: (ctx, i: AnalyzeInput, progress) => analyzeConsultation(ctx, i, progress),
  } satisfies KindSpec<AnalyzeInput>,
  synthesis: {
    input: SynthesisInput,
    consultation: (i: SynthesisInput) => i.consultation,
    dedupeKey: (i: SynthesisInput) => `synthesis:${i.consultation}:${i.level ?? ''}:${i.territory ?? ''}`,
    run: (ctx, i: SynthesisInput, progress) => generateSynthesis(ctx, i, progress),
  } satisfies KindSpec<SynthesisInput>,
};

export function isJobKind(kind: string): kind is JobKind {
  return (JOB_KINDS as readonly string[]).includes(kind);
}

/** The job's input checked against its kind (a clear error rather than a crash deep in the use case). */
export function parseJobInput(kind: JobKind, input: unknown): unknown {
  const r = JOB_HANDLERS[kind].input.safeParse(input);
  if (!r.success) throw new UserError('invalid', `Paramètres de la tâche « ${kind} » invalides : ${r.error.issues.map((i) => i.message).join(' ; ')}`);
  return r.data;
}

// ---- Adapters: the code paths the routes use today, behind the signatures of the use cases being written
// in src/usecases/analysis.ts and src/usecases/syntheses.ts (to be replaced by imports of those at merge).

export async function analyzeConsultation(ctx: UseCaseContext, input: AnalyzeInput, progress: ProgressReporter): Promise<FullAnalysisSummary> {
  const { store } = ctx;
  const c = await store.getConsultation(input.consultation);
  if (!c) throw new UserError('not_found', `Consultation inconnue : « ${input.consultation} »`);
  const opts = { ...(input.seed !== undefined ? { seed: input.seed } : {}), ...(input.regroup ? { regroup: true } : {}), now: ctx.now() };
  progress({ step: 'classify', label: 'Thèmes et natures suggérés', done: 0, total: 2 });
  const before = await store.listIdeaGroups(c.slug);
  const classified = await classifyConsultation(store, c.slug, opts);
  progress({ step: 'group', label: 'Idées communes et doublons', done: 1, total: 2 });
  const summary: FullAnalysisSummary = { ...classified, grouping: await groupConsultation(store, c.slug, opts) };
  const after = await store.listIdeaGroups(c.slug);
  await recordAudit(appDb(store), {
    actor: ctx.actor.name, action: 'groups.analyze', consultation: c.slug, targetType: 'consultation', targetId: c.slug,
    before: { groups: before.length }, after: { groups: after.length, themes: summary.themes, kinds: summary.kinds },
  });
  progress({ step: 'group', label: 'Idées communes et doublons', done: 2, total: 2 });
  return summary;
}

export async function generateSynthesis(ctx: UseCaseContext, input: SynthesisInput, progress: ProgressReporter): Promise<SynthesisResult> {
  const { store } = ctx;
  const c = await store.getConsultation(input.consultation);
  if (!c) throw new UserError('not_found', `Consultation inconnue : « ${input.consultation} »`);
  const level: SynthesisLevel = input.level ?? ((await store.getTerritory(c.territory))?.level === 'region' ? 'region' : 'departement');
  progress({ step: 'build', label: 'Construction de la synthèse', done: 0, total: 3 });
  let doc;
  try {
    doc = await buildSynthesis(store, { consultation: c.slug, level, ...(input.territory ? { territory: input.territory } : {}) });
  } catch (e) {
    throw new UserError('invalid', (e as Error).message);
  }
  progress({ step: 'verify', label: 'Vérification des chiffres et des citations', done: 1, total: 3 });
  const verification = await verifySynthesis(store, doc);
  progress({ step: 'save', label: 'Enregistrement', done: 2, total: 3 });
  const previous = await loadSynthesis(store, doc.id);
  await saveSynthesis(store, doc);
  await recordAudit(appDb(store), {
    actor: ctx.actor.name, action: 'synthesis.generate', consultation: c.slug, targetType: 'synthesis', targetId: doc.id,
    before: previous ? { generatedAt: previous.generatedAt, figures: previous.figures.length } : null,
    after: { generatedAt: doc.generatedAt, figures: doc.figures.length, verified: verification.ok },
  });
  progress({ step: 'save', label: 'Enregistrement', done: 3, total: 3 });
  return { id: doc.id, verification: { ok: verification.ok, failures: verification.failures, checked: verification.checked }, notices: doc.notices };
}
