/** HTTP errors of the API: `{ error: { code, message, field? } }`, messages in French. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ImportError } from '../ingest/types.ts';
import { StoreError } from '../store/errors.ts';
import { SynthesisVerificationError } from '../synthesis/verify.ts';
import { replyDatabaseFault } from './database-errors.ts';

export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const badRequest = (message: string, field?: string) => new HttpError(400, 'validation', message, field);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

export interface ErrorBody { error: { code: string; message: string; field?: string } }

export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

/** Import failures that are not a plain unreadable file (400): too big to expand or to parse, parser down. */
const IMPORT_ERROR_STATUS: Record<string, [number, string]> = {
  'import.too_large': [413, 'too_large'],
  'import.zip_bomb': [413, 'too_large'],
  'import.parse_memory': [413, 'too_large'],
  'import.parse_timeout': [422, 'too_complex'],
  'import.parse_crashed': [500, 'internal'],
  'import.busy': [503, 'unavailable'],
};

const CONTEXT_LABEL: Record<string, string> = { body: 'corps', querystring: 'paramètre', params: 'chemin', headers: 'en-tête' };

/** Fastify error handler: every error becomes the JSON error shape with the right status. */
export function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0];
    const context = err.validationContext ?? 'body';
    const instancePath = issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.');
    const field = [context, ...(instancePath ? [instancePath] : [])].join('.');
    const detail = issue?.message ?? 'valeur invalide';
    return reply.code(400).send(errorBody('validation', `Champ « ${field} » invalide (${CONTEXT_LABEL[context] ?? context}) : ${detail}`, field));
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'réponse non conforme au schéma');
    return reply.code(500).send(errorBody('internal', 'Erreur interne : la réponse ne respecte pas le contrat de l’API.'));
  }
  if (err instanceof HttpError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.field));
  if (err instanceof SynthesisVerificationError) return reply.code(409).send({ ...errorBody('verification_failed', err.message), failures: err.failures });
  if (err instanceof ImportError) {
    const [status, code] = IMPORT_ERROR_STATUS[err.code] ?? [400, 'import_invalid'];
    if (status >= 500 && err.cause) req.log.error({ err: err.cause }, 'analyse d’un fichier interrompue');
    return reply.code(status).send(errorBody(code, err.message));
  }
  if (err instanceof StoreError) {
    const status = /inconnue?|introuvable|aucun/i.test(err.message) ? 404 : /existe déjà|déjà importé/i.test(err.message) ? 409 : 400;
    return reply.code(status).send(errorBody(status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'invalid', err.message));
  }
  const databaseFault = replyDatabaseFault(err, req, reply);
  if (databaseFault) return databaseFault;
  const status = err.statusCode ?? 500;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.code(400).send(errorBody('validation', 'Le corps de la requête n’est pas un JSON valide.', 'body'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send(errorBody('too_large', 'Le corps de la requête dépasse la taille autorisée.'));
    case 'FST_REQ_FILE_TOO_LARGE':
      return reply.code(413).send(errorBody('too_large', err.message));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return reply.code(415).send(errorBody('unsupported_type', 'Type de contenu non pris en charge pour cette adresse.'));
    default:
  }
  if (status === 429) return reply.code(429).send(errorBody('rate_limited', err.message));
  if (status >= 400 && status < 500) return reply.code(status).send(errorBody(err.code?.toLowerCase() ?? 'invalid', err.message));
  req.log.error({ err }, 'erreur inattendue');
  return reply.code(500).send(errorBody('internal', 'Erreur interne du serveur. L’incident est consigné dans le journal.'));
}
