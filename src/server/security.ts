/**
 * Sessions (random 32-byte ids, stored hashed, HttpOnly SameSite=Lax cookie), CSRF double-submit
 * token checked with the Origin, and role guards of the back office.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSession, deleteSession, sessionUser, type Role, type User } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'fabrique_session';
export const CSRF_COOKIE = 'fabrique_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_HOURS = 12;

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    sessionHash: string | null;
  }
  interface FastifyContextConfig {
    /** roles allowed on a back-office route (admin is always allowed) */
    roles?: readonly Role[];
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
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await createSession(store, hashToken(token), user.id, expires);
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secure(req, o), path: '/', expires });
}

export async function closeSession(store: Store, req: FastifyRequest, reply: FastifyReply, o: SecurityOptions): Promise<void> {
  if (req.sessionHash) await deleteSession(store, req.sessionHash);
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(req, o), path: '/' });
}

/** Returns the CSRF token of the request's cookie, or sets a new one. */
export function issueCsrf(req: FastifyRequest, reply: FastifyReply, o: SecurityOptions): string {
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

/** Installs the hooks: session lookup, back-office guard, Origin and CSRF checks on every change. */
export function installSecurity(app: FastifyInstance, store: Store, o: SecurityOptions): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const hash = hashToken(token);
      const user = await sessionUser(store, hash);
      if (user) { req.user = user; req.sessionHash = hash; }
    }
    if (req.url.startsWith('/api/admin/') || req.url === '/api/admin') {
      if (!req.user) throw new HttpError(401, 'unauthenticated', 'Connexion requise : cette partie est réservée aux équipes (ARS, animateurs).');
      const roles = req.routeOptions.config?.roles;
      if (req.user.role !== 'admin' && (!roles || !roles.includes(req.user.role))) {
        throw new HttpError(403, 'forbidden', 'Votre rôle ne permet pas cette action.');
      }
    }
    if (SAFE.has(req.method)) return;
    const origin = originOf(req);
    if (origin !== undefined) {
      const own = `${req.protocol}://${req.host}`;
      if (origin !== own && !o.allowedOrigins.includes(origin)) {
        throw new HttpError(403, 'origin', 'Requête refusée : elle provient d’un autre site.');
      }
    }
    const cookie = req.cookies[CSRF_COOKIE];
    const header = req.headers[CSRF_HEADER];
    if (!cookie || typeof header !== 'string' || !sameToken(cookie, header)) {
      throw new HttpError(403, 'csrf', 'Jeton de sécurité (CSRF) absent ou invalide : rechargez la page puis réessayez.');
    }
  });
}

export function currentUser(req: FastifyRequest): User {
  if (!req.user) throw new HttpError(401, 'unauthenticated', 'Connexion requise.');
  return req.user;
}
