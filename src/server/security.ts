/**
 * Sessions (random 32-byte ids, stored hashed, HttpOnly SameSite=Lax cookie), CSRF tokens (bound to the
 * session once signed in, double-submit cookie before), Origin check, and the access guard of every route.
 *
 * Authorisation is decided from the MATCHED ROUTE's own declaration (`config.access` or `config.roles`),
 * attached to the route by an `onRoute` hook, never from the URL string: an encoded, doubled or
 * case-changed path either matches a route (and gets that route's guard) or matches none (404).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { createSession, deleteSession, isAssigned, meetingConsultation, sessionUser, type Role, type User } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'fabrique_session';
export const CSRF_COOKIE = 'fabrique_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_HOURS = 12;

/**
 * How the guard finds the consultation of a facilitator's request: the `:slug` parameter, the
 * consultation of the `:id` meeting, or 'list' for a listing the handler filters itself.
 */
export type FacilitatorScope = 'slug' | 'meeting' | 'list';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    sessionHash: string | null;
  }
  interface FastifyInstance {
    /** every declared route and its access, as the guard enforces it (for tests and audits) */
    accessTable: RouteAccess[];
  }
  interface FastifyContextConfig {
    /** 'public': anyone, signed in or not (changes still need the CSRF token and a same-site Origin) */
    access?: 'public';
    /** roles allowed on a back-office route (admin is always allowed); requires a session */
    roles?: readonly Role[];
    /** required when `roles` includes facilitator: facilitators only reach their assigned consultations */
    scope?: FacilitatorScope;
  }
}

export interface SecurityOptions {
  /** 'auto': Secure cookies when the request came over https (trustProxy for X-Forwarded-Proto) */
  secureCookies: boolean | 'auto';
  /** origins allowed besides the server's own (e.g. the Vite dev server) */
  allowedOrigins: string[];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function secure(req: FastifyRequest, o: SecurityOptions): boolean {
  return o.secureCookies === 'auto' ? req.protocol === 'https' : o.secureCookies;
}

export async function openSession(store: Store, req: FastifyRequest, reply: FastifyReply, user: User, o: SecurityOptions): Promise<void> {
  // a new login ends the session this browser had (perhaps another account's)
  if (req.sessionHash) await deleteSession(store, req.sessionHash);
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await createSession(store, hashToken(token), user.id, expires);
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secure(req, o), path: '/', expires });
}

export async function closeSession(store: Store, req: FastifyRequest, reply: FastifyReply, o: SecurityOptions): Promise<void> {
  if (req.sessionHash) await deleteSession(store, req.sessionHash);
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(req, o), path: '/' });
}

/** The CSRF token of a session: derived from its secret id, so it changes with every login. */
function sessionCsrf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('fabrique-csrf').digest('base64url');
}

/**
 * The CSRF token to send back in `x-csrf-token`: for a signed-in user, the token of the session
 * (a token from another session or from before login is refused); otherwise the double-submit
 * cookie's token, set when missing.
 */
export function issueCsrf(req: FastifyRequest, reply: FastifyReply, o: SecurityOptions): string {
  const session = req.user ? req.cookies[SESSION_COOKIE] : undefined;
  if (session) return sessionCsrf(session);
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(CSRF_COOKIE, token, { httpOnly: false, sameSite: 'lax', secure: secure(req, o), path: '/' });
  return token;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function originOf(req: FastifyRequest): string | undefined {
  const origin = req.headers.origin;
  if (origin) return origin;
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try { return new URL(referer).origin; } catch { return 'invalide'; }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

async function loadSession(store: Store, req: FastifyRequest): Promise<void> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return;
  const hash = hashToken(token);
  const user = await sessionUser(store, hash);
  if (user) { req.user = user; req.sessionHash = hash; }
}

async function checkRole(store: Store, req: FastifyRequest, roles: readonly Role[], scope: FacilitatorScope | undefined): Promise<void> {
  const user = req.user;
  if (!user) throw new HttpError(401, 'unauthenticated', 'Connexion requise : cette partie est réservée aux équipes (ARS, animateurs).');
  if (user.role !== 'admin' && !roles.includes(user.role)) throw new HttpError(403, 'forbidden', 'Votre rôle ne permet pas cette action.');
  if (user.role !== 'facilitator' || scope === 'list') return;
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const consultation = scope === 'slug' ? params.slug : params.id !== undefined ? await meetingConsultation(store, params.id) : undefined;
  // an unknown meeting has no consultation: the handler answers its 404 (nothing to read or change)
  if (scope === 'meeting' && consultation === undefined) return;
  if (!consultation || !(await isAssigned(store, user.id, consultation))) {
    throw new HttpError(403, 'forbidden', 'Votre compte n’est pas affecté à cette consultation : demandez à un administrateur de vous y affecter.');
  }
}

function checkOriginAndCsrf(req: FastifyRequest, o: SecurityOptions): void {
  const origin = originOf(req);
  if (origin !== undefined) {
    const own = `${req.protocol}://${req.host}`;
    if (origin !== own && !o.allowedOrigins.includes(origin)) {
      throw new HttpError(403, 'origin', 'Requête refusée : elle provient d’un autre site.');
    }
  }
  const header = req.headers[CSRF_HEADER];
  const session = req.user ? req.cookies[SESSION_COOKIE] : undefined;
  const expected = session ? sessionCsrf(session) : req.cookies[CSRF_COOKIE];
  if (!expected || typeof header !== 'string' || !sameToken(expected, header)) {
    throw new HttpError(403, 'csrf', 'Jeton de sécurité (CSRF) absent ou invalide : rechargez la page puis réessayez.');
  }
}

export interface RouteAccess { method: string; url: string; access: 'public' | { roles: readonly Role[]; scope?: FacilitatorScope } }

const GUARD = Symbol('fabrique.accessGuard');

function methodsOf(route: RouteOptions): string[] {
  return ([] as string[]).concat(route.method as string | string[]).map((m) => m.toUpperCase());
}

/** Checks a route's access declaration; throws at start-up on what would be an unguarded route. */
function declaredAccess(route: RouteOptions): RouteAccess['access'] | undefined {
  const config = (route.config ?? {}) as { access?: unknown; roles?: readonly Role[]; scope?: FacilitatorScope };
  const where = `${methodsOf(route).join(',')} ${route.url}`;
  if (config.access !== undefined && config.access !== 'public') throw new Error(`Route ${where} : config.access inconnu (${String(config.access)}).`);
  if (config.access === 'public' && config.roles) throw new Error(`Route ${where} : config.access 'public' et config.roles se contredisent.`);
  if (config.roles) {
    if (config.roles.includes('facilitator') && !config.scope) {
      throw new Error(`Route ${where} : ouverte aux animateurs sans config.scope ('slug', 'meeting' ou 'list').`);
    }
    if (config.scope === 'slug' && !route.url.includes(':slug')) throw new Error(`Route ${where} : config.scope 'slug' sans paramètre :slug.`);
    if (config.scope === 'meeting' && !route.url.includes(':id')) throw new Error(`Route ${where} : config.scope 'meeting' sans paramètre :id.`);
    return { roles: config.roles, ...(config.scope ? { scope: config.scope } : {}) };
  }
  if (config.access === 'public') return 'public';
  return undefined;
}

/**
 * Installs the security: each route gets, from its own declaration, a route-level onRequest guard
 * (session, role, facilitator scope, then Origin and CSRF on changes). onRequest runs before the body
 * is read, so nothing is parsed or written for a refused request. Default deny: an /api route, or any
 * route that changes data, without a declaration stops the start-up.
 */
export function installSecurity(app: FastifyInstance, store: Store, o: SecurityOptions): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);
  const table: RouteAccess[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    const access = declaredAccess(route);
    if (access !== undefined) for (const method of methodsOf(route)) table.push({ method, url: route.url, access });
    const changes = methodsOf(route).some((m) => !SAFE.has(m));
    const api = route.url === '/api' || route.url.startsWith('/api/');
    if (access === undefined) {
      if (api || changes) throw new Error(`Route ${methodsOf(route).join(',')} ${route.url} : aucune déclaration d’accès (config.access: 'public' ou config.roles). Refus par défaut.`);
      return; // files of the built web app: public reads, no session needed
    }
    const roles = access === 'public' ? undefined : access.roles;
    const scope = access === 'public' ? undefined : access.scope;
    const guard: onRequestHookHandler & { [GUARD]?: true } = async function accessGuard(req) {
      await loadSession(store, req);
      if (roles) await checkRole(store, req, roles, scope);
      if (!SAFE.has(req.method)) checkOriginAndCsrf(req, o);
    };
    guard[GUARD] = true;
    const existing = route.onRequest ? ([] as onRequestHookHandler[]).concat(route.onRequest as onRequestHookHandler | onRequestHookHandler[]) : [];
    route.onRequest = [guard, ...existing.filter((h) => !(h as { [GUARD]?: true })[GUARD])];
  });
}

export function currentUser(req: FastifyRequest): User {
  if (!req.user) throw new HttpError(401, 'unauthenticated', 'Connexion requise.');
  return req.user;
}
