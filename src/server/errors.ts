/** HTTP errors of the API: `{ error: { code, message, field? } }`, messages in French. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { UserError, type UserErrorCode } from '../domain/errors.ts';
import { ImportError } from '../ingest/types.ts';
import { PublicationRefusedError } from '../synthesis/publication.ts';
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

/** The HTTP status of each user error code (the message never decides it). */
export const USER_ERROR_STATUS: Record<UserErrorCode, number> = {
  invalid: 400, not_found: 404, conflict: 409, forbidden: 403, too_large: 413, too_complex: 422, unavailable: 503,
};

/** The code in the response body: 400s keep the documented `validation` (docs/api.md), the others their own name. */
const USER_ERROR_BODY_CODE: Partial<Record<UserErrorCode, string>> = { invalid: 'validation' };

/**
 * A user error's field names the use case's input (`themes.1.theme`); over HTTP that input is the JSON body
 * (`body.themes.1.theme`), or the form fields themselves for a multipart upload.
 */
function userErrorField(err: UserError, req: FastifyRequest): string | undefined {
  if (!err.field) return undefined;
  return req.isMultipart?.() ? err.field : `body.${err.field}`;
}

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


/** Fastify error handler: every error becomes the JSON error shape with the right status. */
export function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0];
    const context = err.validationContext ?? 'body';
    const instancePath = issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.');
    const field = [context, ...(instancePath ? [instancePath] : [])].join('.');
    const detail = (issue?.message ?? 'valeur invalide').replace(/[.\s]+$/, '');
    // the field's path stays in `field`, for the form that shows the message next to it, and for tools
    return reply.code(400).send(errorBody('validation', `Saisie refusée : ${detail}. Corrigez-la, puis renvoyez le formulaire.`, field));
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'réponse non conforme au schéma');
    return reply.code(500).send(errorBody('internal', 'Erreur interne : le serveur a produit une réponse incorrecte, l’incident est consigné. Réessayez plus tard ; si le problème persiste, prévenez l’administrateur du site.'));
  }
  // before UserError, which it is: its body also lists the failures
  // the list of what to fix, section by section, for the web app to show as a list (codes and paths for tools)
  if (err instanceof PublicationRefusedError) return reply.code(409).send({ ...errorBody('publication_refused', err.message), problems: err.problems });
  if (err instanceof SynthesisVerificationError) return reply.code(409).send({ ...errorBody('verification_failed', err.message), problems: err.problems, failures: err.failures });
  if (err instanceof UserError) {
    return reply.code(USER_ERROR_STATUS[err.code]).send(errorBody(USER_ERROR_BODY_CODE[err.code] ?? err.code, err.message, userErrorField(err, req)));
  }
  if (err instanceof HttpError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.field));
  if (err instanceof ImportError) {
    const [status, code] = IMPORT_ERROR_STATUS[err.code] ?? [400, 'import_invalid'];
    if (status >= 500 && err.cause) req.log.error({ err: err.cause }, 'analyse d’un fichier interrompue');
    return reply.code(status).send(errorBody(code, err.message));
  }
  const databaseFault = replyDatabaseFault(err, req, reply);
  if (databaseFault) return databaseFault;
  const status = err.statusCode ?? 500;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.code(400).send(errorBody('validation', 'La demande envoyée est illisible (JSON invalide) : rechargez la page, puis réessayez.', 'body'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send(errorBody('too_large', STATUS_MESSAGE[413]!));
    case 'FST_REQ_FILE_TOO_LARGE':
      return reply.code(413).send(errorBody('too_large', err.message));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return reply.code(415).send(errorBody('unsupported_type', STATUS_MESSAGE[415]!));
    default:
  }
  if (status === 429) return reply.code(429).send(errorBody('rate_limited', err.message));
  if (status >= 400 && status < 500) {
    // Fastify's own errors carry English messages: the client gets a French one for the status
    if (err.code?.startsWith('FST_')) return reply.code(status).send(errorBody(STATUS_CODE[status] ?? 'invalid', STATUS_MESSAGE[status] ?? STATUS_MESSAGE[400]!));
    return reply.code(status).send(errorBody(err.code?.toLowerCase() ?? 'invalid', err.message));
  }
  req.log.error({ err }, 'erreur inattendue');
  return reply.code(500).send(errorBody('internal', 'Erreur interne du serveur : l’opération n’a pas abouti et l’incident est consigné. Réessayez dans quelques minutes ; si le problème persiste, prévenez l’administrateur du site.'));
}

const STATUS_CODE: Record<number, string> = { 400: 'invalid', 404: 'not_found', 405: 'method_not_allowed', 413: 'too_large', 414: 'too_large', 415: 'unsupported_type', 431: 'too_large' };
const STATUS_MESSAGE: Record<number, string> = {
  400: 'La demande ne peut pas être lue : rechargez la page, puis réessayez.',
  404: 'Cette adresse n’existe pas : vérifiez-la, ou repartez de la page d’accueil.',
  405: 'Cette adresse ne prend pas en charge cette méthode : rechargez la page, puis réessayez.',
  413: 'Le contenu envoyé dépasse la taille autorisée : envoyez un fichier ou un texte plus petit.',
  414: 'L’adresse demandée est trop longue : vérifiez-la, puis réessayez.',
  415: 'Ce type de contenu n’est pas pris en charge à cette adresse : rechargez la page, puis réessayez.',
  431: 'Les en-têtes de la demande sont trop volumineux : effacez les cookies de ce site, puis réessayez.',
};

/**
 * Errors Fastify raises before routing (a malformed %-escape in the path…): same shape as the
 * others, for the `frameworkErrors` option.
 */
export function handleFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = err.code === 'FST_ERR_BAD_URL' ? 'Adresse invalide : elle contient un encodage (%…) incorrect. Vérifiez-la, puis réessayez.' : STATUS_MESSAGE[status] ?? STATUS_MESSAGE[400]!;
  void reply.code(status).send(errorBody(status === 404 ? 'not_found' : 'invalid', message));
}

/** A malformed HTTP request (rejected by Node's parser): a 400 with the API's JSON shape, then the socket closes. */
export function handleClientError(err: Error & { code?: string }, socket: { writable: boolean; end(data: string): void; destroy(): void }): void {
  if (!socket.writable) return socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(errorBody(status === 431 ? 'too_large' : 'invalid', STATUS_MESSAGE[status]!));
  socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * The methods each route pattern answers, to tell a 405 (the address exists with another method)
 * from a 404. Fed by an onRoute hook; patterns use Fastify's `:param` and `*` syntax.
 */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  private readonly byUrl = new Map<string, Set<string>>();

  add(url: string, method: string | string[]): void {
    let methods = this.byUrl.get(url);
    if (!methods) {
      methods = new Set();
      this.byUrl.set(url, methods);
      const source = url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      this.routes.push({ pattern: new RegExp(`^${source}/?$`), methods });
    }
    for (const m of Array.isArray(method) ? method : [method]) methods.add(m.toUpperCase());
  }

  /** The methods allowed on `path` (empty when no route matches it). */
  allowed(path: string): string[] {
    const out = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) for (const m of r.methods) out.add(m);
    return [...out].sort();
  }
}
