/**
 * Login throttling: attempts are limited per address (all e-mails together) and per account (all
 * addresses together), and an account is locked after repeated failures. Accounts that do not exist
 * are counted and locked the same way, so the answers never reveal whether an account exists.
 */
import type { FastifyRequest } from 'fastify';
import { normaliseEmail } from '../store/accounts.ts';
import { accountLockedUntil, clearLoginFailures, recordLoginFailure, type LockoutPolicy } from '../store/rate-limits.ts';
import type { Store } from '../store/store.ts';
import { HttpError } from './errors.ts';
import type { RateLimitRule } from './rate-limit.ts';
import { plural } from '../text/french.ts';

export interface LoginThrottleOptions {
  /** attempts per minute from one address, all e-mails together */
  perAddress: number;
  /** attempts per minute on one account, all addresses together */
  perAccount: number;
  lockout: LockoutPolicy;
}

const ATTEMPTS = 'Trop de tentatives de connexion : réessayez dans {s}.';

const emailOf = (req: FastifyRequest): string | undefined => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? normaliseEmail(email) : undefined;
};

const ACCOUNT_GROUP = 'connexion-compte';
const accountSubject = (email: string) => `compte:${email}`;

/** The rate limits of the login route (for its `config.rateLimit`). */
export function loginRateLimits(o: LoginThrottleOptions): RateLimitRule[] {
  return [
    { max: o.perAddress, timeWindow: 60_000, groupId: 'connexion-adresse', message: ATTEMPTS },
    { max: o.perAccount, timeWindow: 60_000, groupId: ACCOUNT_GROUP, message: ATTEMPTS, key: (req) => { const e = emailOf(req); return e && accountSubject(e); } },
  ];
}

function lockedError(until: number, now: number): HttpError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new HttpError(429, 'account_locked',
    `Trop de tentatives de connexion échouées : la connexion à ce compte est bloquée pendant ${plural(minutes, 'minute', 'minutes')}. `
    + 'Réessayez plus tard ou demandez à un administrateur de la débloquer.');
}

/** Refuses the attempt while the account is locked (even with the right password). */
export async function assertLoginAllowed(store: Store, email: string, now = Date.now()): Promise<void> {
  const until = await accountLockedUntil(store, normaliseEmail(email), now);
  if (until !== undefined) throw lockedError(until, now);
}

/** A failed attempt: the error to answer (the lock when this failure reached the threshold). */
export async function loginFailed(store: Store, email: string, o: LoginThrottleOptions, invalid: HttpError, now = Date.now()): Promise<HttpError> {
  const until = await recordLoginFailure(store, normaliseEmail(email), o.lockout, now);
  return until === undefined ? invalid : lockedError(until, now);
}

/** A successful login: its failures and the account's attempt count are forgotten (not the address's). */
export async function loginSucceeded(store: Store, email: string): Promise<void> {
  const e = normaliseEmail(email);
  await clearLoginFailures(store, e, [`${ACCOUNT_GROUP}|${accountSubject(e)}`]);
}
