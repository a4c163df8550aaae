/**
 * Upload of documents (CSV, XLSX, TXT, MD, PDF, DOCX): parsed first, stored in one transaction, nothing stored on
 * failure. A file above `importJobBytes` is imported as a job (src/jobs, kind import) that keeps its bytes until
 * it ends; smaller ones are imported within the request.
 */
import { extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeFileName } from '../../ingest/file-name.ts';
import { parseThemeMapOption } from '../../ingest/tabular/themes.ts';
import { utf16Encoding } from '../../ingest/readers/text.ts';
import { UserError } from '../../domain/errors.ts';
import { importFiles, publishDocument } from '../../usecases/imports.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { errors, SlugParams } from '../schemas.ts';
import { currentUser } from '../security.ts';
import { clearSuggestCache } from '../suggest.ts';
import { requestContext } from '../use-case-context.ts';
import { ANALYST, requireConsultation } from './admin.ts';
import { jobView, JobView } from './jobs.ts';

const ALLOWED = new Set(['.csv', '.tsv', '.xlsx', '.txt', '.md', '.markdown', '.pdf', '.docx']);

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** The bytes must look like what the extension says (ZIP for XLSX/DOCX, %PDF for PDF, no NUL byte in text). */
function contentMatches(ext: string, bytes: Buffer): boolean {
  if (ext === '.xlsx' || ext === '.docx') return bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (ext === '.pdf') return bytes.subarray(0, 1024).includes('%PDF');
  // UTF-16 text (Excel « Texte Unicode ») has NUL bytes by design
  return utf16Encoding(bytes) !== undefined || !bytes.subarray(0, 8192).includes(0);
}

function parseMap(value: string | undefined): Record<string, string> | undefined {
  if (!value?.trim()) return undefined;
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UserError('invalid', `« map » attend rôle=colonne[,rôle=colonne…], reçu « ${part} »`, 'map');
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const ImportResultSchema = z.object({
  outcome: z.enum(['imported', 'replaced', 'unchanged']), documentId: z.string(), fileName: z.string(), parser: z.string(),
  meetings: z.number(), contributions: z.number(), syntheses: z.number(),
  publication: z.object({ by: z.string(), at: z.string() }).nullable()
    .describe('qui a publié le document en bloc, et quand ; null : ses contributions attendent la modération'),
  warnings: z.array(z.object({ level: z.string(), code: z.string(), message: z.string(), source: z.record(z.string(), z.unknown()).optional() })),
});

function parsePublish(value: string | undefined): boolean {
  return parseFlag(value, 'publish', 'publier le document en bloc');
}

function parseFlag(value: string | undefined, field: string, meaning = 'importer même hors du territoire de la consultation'): boolean {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '' || v === '0' || v === 'false' || v === 'non') return false;
  if (v === '1' || v === 'true' || v === 'oui') return true;
  throw new UserError('invalid', `« ${field} » attend 1 (${meaning}) ou 0, reçu « ${value} »`, field);
}

export async function importRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/admin/documents/:id/publish', {
    config: { roles: ANALYST },
    schema: {
      tags: ['back-office'], summary: 'Publie en bloc un document importé, au nom de la personne connectée : ses contributions en attente deviennent publiques (celles déjà modérées restent comme décidé)',
      params: z.object({ id: z.string().min(1).max(128) }),
      response: { 200: z.object({ documentId: z.string(), publication: z.object({ by: z.string(), at: z.string() }) }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const done = await publishDocument(requestContext(ctx, req), { documentId: req.params.id });
    clearSuggestCache(done.consultation);
    return { documentId: done.documentId, publication: done.publication };
  });

  r.post('/admin/consultations/:slug/imports', {
    config: { roles: ANALYST },
    schema: {
      tags: ['back-office'], summary: 'Importe un fichier (multipart, champ « file » ; champs facultatifs map, themes (correspondance des valeurs de la colonne de thème : « 2=1,3=4 », valeur=code ou libellé d’un thème de la consultation ; « 5= » : sans thème), sheet, parser, meeting (réunion des contributions que le fichier ne place dans aucune) ; publish=1 le publie en bloc au nom de la personne connectée, sinon ses contributions attendent la modération ; force=1 importe un document qui cite des départements hors du territoire de la consultation, refusé sinon par un 409 de champ « force »). Un gros fichier (FABRIQUE_IMPORT_JOB_MB) est importé en tâche : 202, suivie par GET /api/admin/jobs/{id}, dont le résultat est celui d’un import direct',
      consumes: ['multipart/form-data'], params: SlugParams,
      response: { 201: ImportResultSchema, 202: JobView, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 500, 503) },
    },
  }, async (req, reply) => {
    const user = currentUser(req);
    const c = await requireConsultation(ctx, req.params.slug);
    if (!req.isMultipart()) throw new HttpError(415, 'unsupported_type', 'Envoyez le fichier en multipart/form-data (champ « file »).');
    const limit = ctx.options.uploadLimitBytes;
    let file: { name: string; bytes: Buffer } | undefined;
    const fields: Record<string, string> = {};
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (file) throw new UserError('invalid', 'Un seul fichier par envoi.', 'file');
          const name = safeFileName(part.filename || 'fichier');
          const ext = extname(name).toLowerCase();
          if (!ALLOWED.has(ext)) {
            part.file.resume();
            throw new HttpError(415, 'unsupported_type', `Type de fichier non pris en charge : « ${name} ». Formats acceptés : CSV, TSV, XLSX, TXT, MD, PDF, DOCX.`);
          }
          const bytes = await part.toBuffer();
          file = { name, bytes };
        } else {
          fields[part.fieldname] = String(part.value);
        }
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
        if (code === 'FST_REQ_FILE_TOO_LARGE') throw new UserError('too_large', `Fichier trop volumineux : la limite est de ${formatMb(limit)} par fichier. Rien n’a été importé.`);
        throw new UserError('invalid', 'Un seul fichier par envoi.', 'file');
      }
      throw e;
    }
    if (!file) throw new UserError('invalid', 'Aucun fichier reçu : joignez-le dans le champ « file ».', 'file');
    const ext = extname(file.name).toLowerCase();
    if (!contentMatches(ext, file.bytes)) {
      throw new HttpError(415, 'unsupported_type', `Le contenu de « ${file.name} » ne correspond pas à son extension ${ext}. Rien n’a été importé.`);
    }
    const map = parseMap(fields.map);
    const themeMap = parseThemeMapOption(fields.themes);
    const publish = parsePublish(fields.publish);
    const meeting = fields.meeting?.trim() || undefined;
    const force = parseFlag(fields.force, 'force');
    if (file.bytes.length > ctx.options.importJobBytes) {
      // checked before queuing, as the direct import checks it: an unknown meeting answers 404 rather than a job that fails
      if (meeting && !(await ctx.store.listMeetings(c.slug)).some((m) => m.id === meeting)) {
        throw new UserError('not_found', `Réunion inconnue dans « ${c.slug} » : ${meeting}`, 'meeting');
      }
      // the same file queued twice for a consultation is one job; the job's result is the ImportResult below
      const { job } = await ctx.jobs.enqueue({
        kind: 'import', actor: requestContext(ctx, req).actor, file: file.bytes,
        input: {
          consultation: c.slug, fileName: file.name, ...(map ? { map } : {}), ...(themeMap ? { themeMap } : {}), ...(fields.sheet ? { sheet: fields.sheet } : {}),
          ...(fields.parser ? { parser: fields.parser } : {}), ...(meeting ? { meeting } : {}), ...(publish ? { publish: true } : {}),
          ...(force ? { force: true } : {}),
        },
      });
      return reply.code(202).send(jobView(job));
    }
    // the same import as `fabrique import`, parsed in a worker thread (memory ceiling, time limit): the event loop keeps serving meanwhile
    const [result] = await importFiles(requestContext(ctx, req), {
      consultation: c.slug, files: [{ name: file.name.replace(/[/\\\0]/g, '_'), bytes: file.bytes }],
      ...(map ? { map } : {}), ...(themeMap ? { themeMap } : {}), ...(fields.sheet ? { sheet: fields.sheet } : {}), ...(fields.parser ? { parser: fields.parser } : {}),
      ...(meeting ? { meeting } : {}), ...(publish ? { publishBy: user.email } : {}), ...(force ? { force: true } : {}),
    }, (bytes, name, options) => ctx.parsePool.parse(bytes, name, options));
    clearSuggestCache(c.slug);
    return reply.code(201).send(result!);
  });
}
