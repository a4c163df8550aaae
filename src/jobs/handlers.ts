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
 * - import: the parse is redone; the store step is idempotent (a document is keyed by the sha256 of its
 *   bytes and stored in one transaction), so a file already stored by the dead process is not stored
 *   twice: the new attempt reports it « unchanged ».
 */
import { z } from 'zod';
import { groupConsultation } from '../analysis/ideas.ts';
import { classifyConsultation, type FullAnalysisSummary } from '../analysis/pipeline.ts';
import type { SynthesisLevel } from '../domain/synthesis.ts';
import { UserError } from '../domain/errors.ts';
import { ParsePool, parsePoolOptionsFromEnv } from '../ingest/parse-pool.ts';
import type { ImportResult } from '../store/store.ts';
import { appDb } from '../store/accounts.ts';
import { recordAudit } from '../store/audit.ts';
import { buildSynthesis, loadSynthesis, saveSynthesis, verifySynthesis } from '../synthesis/index.ts';
import type { UseCaseContext } from '../usecases/context.ts';
import type { ProgressReporter } from '../usecases/progress.ts';

export const JOB_KINDS = ['analyze', 'synthesis', 'import'] as const;
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

export const ImportInput = z.object({
  consultation: z.string().min(1).max(200),
  fileName: z.string().min(1).max(255),
  /** of the file stored with the job (set by the queue) */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  map: z.record(z.string(), z.string()).optional(),
  sheet: z.string().max(200).optional(),
  parser: z.string().max(100).optional(),
  /** contributions the file does not place in a meeting belong to this one */
  meeting: z.string().max(300).optional(),
  /** publish the document as a whole in the name of the person who asked */
  publish: z.boolean().optional(),
});
export type ImportInput = z.infer<typeof ImportInput>;

/** What a handler may need besides its input: the file stored with the job. */
export interface JobResources { file: () => Promise<Uint8Array | undefined> }

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
  run: (ctx: UseCaseContext, input: I, progress: ProgressReporter, resources: JobResources) => Promise<unknown>;
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
  import: {
    input: ImportInput,
    consultation: (i: ImportInput) => i.consultation,
    // the same file queued twice for a consultation is one job
    dedupeKey: (i: ImportInput) => `import:${i.consultation}:${i.sha256}`,
    run: async (ctx, i: ImportInput, progress, resources) => {
      const bytes = await resources.file();
      if (!bytes) throw new UserError('not_found', `Le fichier « ${i.fileName} » de cette tâche n’est plus disponible : importez-le à nouveau.`);
      return importDocument(ctx, { ...i, bytes }, progress);
    },
  } satisfies KindSpec<ImportInput>,
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

export async function importDocument(ctx: UseCaseContext, input: Omit<ImportInput, 'sha256'> & { bytes: Uint8Array }, progress: ProgressReporter): Promise<ImportResult> {
  const { store } = ctx;
  const c = await store.getConsultation(input.consultation);
  if (!c) throw new UserError('not_found', `Consultation inconnue : « ${input.consultation} »`);
  if (input.meeting && !(await store.listMeetings(c.slug)).some((m) => m.id === input.meeting)) {
    throw new UserError('not_found', `Réunion inconnue dans « ${c.slug} » : ${input.meeting}`);
  }
  progress({ step: 'parse', label: `Lecture de « ${input.fileName} »`, done: 0, total: 2 });
  // parsed in a worker thread (memory ceiling, time limit), as uploads are: this process's heartbeat goes on
  const pool = new ParsePool(parsePoolOptionsFromEnv());
  let parsed;
  try {
    parsed = await pool.parse(input.bytes, input.fileName.replace(/[/\\\0]/g, '_'), {
      consultation: c.slug, themes: c.themes,
      ...(input.map ? { map: input.map } : {}), ...(input.sheet ? { sheet: input.sheet } : {}), ...(input.parser ? { parser: input.parser } : {}),
    });
  } finally {
    await pool.close();
  }
  if (input.meeting) for (const x of parsed.contributions) x.meeting ??= input.meeting;
  progress({ step: 'store', label: 'Enregistrement des contributions', done: 1, total: 2 });
  const result = await store.importParsed(c.slug, parsed, { bytes: input.bytes, ...(input.publish ? { publishBy: ctx.actor.name } : {}) });
  await recordAudit(appDb(store), {
    actor: ctx.actor.name, action: 'document.import', consultation: c.slug, targetType: 'document', targetId: result.documentId,
    after: { fileName: result.fileName, outcome: result.outcome, contributions: result.contributions, meetings: result.meetings },
  });
  progress({ step: 'store', label: 'Enregistrement des contributions', done: 2, total: 2 });
  return result;
}
