/**
 * Rate limits with counters in the database (src/store/rate-limits.ts), so that several processes
 * serving the same database share them. A route declares its limits in `config.rateLimit`; every
 * other public GET of the API gets the read limit. Each limit costs one statement per request.
 *
 * The address is `req.ip`: behind a reverse proxy, Fastify's `trustProxy` is the number of trusted
 * hops (FABRIQUE_TRUST_PROXY), so values a client puts at the left of X-Forwarded-For are ignored.
 */
import { isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hitRateLimit } from '../store/rate-limits.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './errors.ts';
import { plural } from '../text/french.ts';

export interface RateLimitRule {
  /** requests allowed per window */
  max: number;
  /** window, in milliseconds */
  timeWindow: number;
  /** names the counter: routes with the same group share it */
  groupId: string;
  /** what is counted; default the client's address. Return undefined to skip this rule. */
  key?: (req: FastifyRequest) => string | undefined;
  /** the French message of the 429; `{s}` is replaced by the wait (« 1 seconde », « 30 secondes ») */
  message?: string;
  /** when the counter cannot be written (database busy or away), let the request through */
  failOpen?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route's own limits (all apply), or false for none (not even the read limit) */
    rateLimit?: RateLimitRule | RateLimitRule[] | false;
  }
}

export const DEFAULT_MESSAGE = 'Trop de requêtes en peu de temps depuis votre adresse : réessayez dans {s}.';

/** The counted form of an address: IPv4 as is, IPv6 by its /64 network (one subscriber), IPv4-mapped IPv6 as IPv4. */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return `ip:${ip}`;
  const lower = ip.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return `ip:${mapped[1]}`;
  const [head = '', tail] = lower.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `ip:${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface RateLimitSettings {
  /** GET/HEAD requests per minute and address on public API routes (0: no read limit) */
  readRateLimit: number;
}

async function apply(store: Store, req: FastifyRequest, rule: RateLimitRule, reply: { header(k: string, v: string | number): unknown }): Promise<void> {
  const subject = rule.key ? rule.key(req) : addressKey(req.ip);
  if (subject === undefined) return;
  const now = Date.now();
  let hit;
  try {
    hit = await hitRateLimit(store, `${rule.groupId}|${subject}`, rule.timeWindow, now);
  } catch (e) {
    if (!rule.failOpen) throw e;
    req.log.warn({ err: e, group: rule.groupId }, 'compteur de débit indisponible : requête laissée passer');
    return;
  }
  const { hits, expiresAt } = hit;
  if (hits <= rule.max) return;
  const seconds = Math.max(1, Math.ceil((expiresAt - now) / 1000));
  reply.header('retry-after', seconds);
  throw new HttpError(429, 'rate_limited', (rule.message ?? DEFAULT_MESSAGE).replace('{s}', plural(seconds, 'seconde', 'secondes')));
}

/** Installs the limiter: route limits from `config.rateLimit`, the read limit on other public GETs (and unknown API addresses). */
export function installRateLimits(app: FastifyInstance, store: Store, settings: RateLimitSettings): void {
  // reads fail open: a busy or absent database must not turn every page into an error by itself
  const read: RateLimitRule = { max: settings.readRateLimit, timeWindow: 60_000, groupId: 'lecture', failOpen: true };
  app.addHook('preHandler', async (req, reply) => {
    const declared = req.routeOptions.config?.rateLimit;
    if (declared === false) return;
    if (declared) {
      for (const rule of Array.isArray(declared) ? declared : [declared]) await apply(store, req, rule, reply);
      return;
    }
    if (settings.readRateLimit <= 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return;
    // decided by the matched route's declaration, not the raw URL; unmatched /api addresses count too
    const route = req.routeOptions.url;
    const isApi = route ? route.startsWith('/api/') : req.url.startsWith('/api/');
    if (!isApi || route?.startsWith('/api/admin/')) return;
    await apply(store, req, read, reply);
  });
}
