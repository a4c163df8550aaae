/**
 * The one place that maps a job kind to the use case it runs. A job's input is validated here (it was
 * stored as JSON by another process, perhaps another version); the use case gets the context of the
 * person who asked for the job and a progress reporter that the runner stores in the job row.
 *
 * What happens when a job is taken over after its process died (docs/deployment.md, "Jobs"): each kind
 * restarts from its beginning, and each is safe to repeat.
 * - analyze: the use case writes every result in one transaction at the end, so a dead process left
 *   nothing half-written; a new run on the same data and seed gives the same result. A `conflict` (groups
 *   edited during the run) is retried with the new data.
 * - synthesis: build, verify and save replace the synthesis by its id.
 * - import: a document is keyed by the sha256 of its bytes and stored in one transaction, so a file
 *   already stored by the dead process is not stored twice: the new attempt reports it « unchanged ».
 */
import { z } from 'zod';
import { UserError } from '../domain/errors.ts';
import { ParsePool, parsePoolOptionsFromEnv } from '../ingest/parse-pool.ts';
import type { ImportResult } from '../store/store.ts';
import { analyzeConsultation } from '../usecases/analysis.ts';
import type { UseCaseContext } from '../usecases/context.ts';
import { importFiles } from '../usecases/imports.ts';
import type { ProgressReporter } from '../usecases/progress.ts';
import { generateSynthesis } from '../usecases/syntheses.ts';

export const JOB_KINDS = ['analyze', 'synthesis', 'import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

// the shape only: the use cases check the values themselves, with their French messages
export const AnalyzeInput = z.object({
  consultation: z.string().min(1).max(200),
  seed: z.number().optional(),
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
  /** theme value as written → theme code or label of the consultation */
  themeMap: z.record(z.string(), z.string()).optional(),
  sheet: z.string().max(200).optional(),
  parser: z.string().max(100).optional(),
  /** contributions the file does not place in a meeting belong to this one */
  meeting: z.string().max(300).optional(),
  /** publish the document as a whole in the name of the person who asked */
  publish: z.boolean().optional(),
  /** import even when the document names départements outside the consultation's territory */
  force: z.boolean().optional(),
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
    run: async (ctx, i: SynthesisInput, progress): Promise<SynthesisResult> => {
      const r = await generateSynthesis(ctx, i, progress);
      // the document itself is stored with the synthesis: the job keeps what the page shows
      return { id: r.id, verification: { ok: r.verification.ok, failures: r.verification.failures, checked: r.verification.checked }, notices: r.doc.notices };
    },
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

/** One file through the import use case, parsed in a worker thread (memory ceiling, time limit) as uploads are. */
async function importDocument(ctx: UseCaseContext, input: Omit<ImportInput, 'sha256'> & { bytes: Uint8Array }, progress: ProgressReporter): Promise<ImportResult> {
  progress({ step: 'import', label: `Lecture et enregistrement de « ${input.fileName} »`, done: 0, total: 1 });
  const pool = new ParsePool(parsePoolOptionsFromEnv());
  try {
    const [result] = await importFiles(ctx, {
      consultation: input.consultation, files: [{ name: input.fileName.replace(/[/\\\0]/g, '_'), bytes: input.bytes }],
      ...(input.map ? { map: input.map } : {}), ...(input.themeMap ? { themeMap: input.themeMap } : {}),
      ...(input.sheet ? { sheet: input.sheet } : {}), ...(input.parser ? { parser: input.parser } : {}),
      ...(input.meeting ? { meeting: input.meeting } : {}), ...(input.publish ? { publishBy: ctx.actor.name } : {}),
      ...(input.force ? { force: true } : {}),
    }, (bytes, name, options) => pool.parse(bytes, name, options));
    progress({ step: 'import', label: `Lecture et enregistrement de « ${input.fileName} »`, done: 1, total: 1 });
    return result!;
  } finally {
    await pool.close();
  }
}
