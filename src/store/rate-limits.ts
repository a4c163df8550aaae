/**
 * Rate-limit counters and login lockouts in the database (migration 0006_rate_limits), so that
 * every process serving the same database shares them. A counter is one row per key: the hits of
 * the current window and when the window ends. A window starts with the first hit after the
 * previous one ended (as @fastify/rate-limit's in-memory store does).
 */
import { sql } from 'kysely';
import type { Store } from './store.ts';
import { appDb } from './accounts.ts';
import { recordAudit } from './audit.ts';

export interface Hit {
  /** hits in the current window, this one included */
  hits: number;
  /** end of the window, in milliseconds since the epoch */
  expiresAt: number;
}

const CLEANUP_EVERY_MS = 60_000;
const lastCleanup = new WeakMap<Store, number>();

/**
 * Counts one hit for `key` and returns the window's count, in ONE atomic statement
 * (INSERT … ON CONFLICT DO UPDATE … RETURNING, SQLite ≥ 3.35 and PostgreSQL): concurrent
 * requests, even from other processes, never lose a hit.
 */
export async function hitRateLimit(store: Store, key: string, windowMs: number, now = Date.now()): Promise<Hit> {
  const expiresAt = now + windowMs;
  if (store.dialect === 'postgres') {
    // Same statement, plus set_config: this transaction's commit does not wait for the WAL flush
    // (a counter may lose its last hits if PostgreSQL crashes, which is harmless), 3 to 5 times faster.
    const { rows } = await sql<{ hits: number; expires_at: number }>`
      INSERT INTO rate_limits (key, hits, expires_at)
      SELECT ${key}, 1, ${expiresAt} FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN rate_limits.expires_at > ${now} THEN rate_limits.hits + 1 ELSE 1 END,
        expires_at = CASE WHEN rate_limits.expires_at > ${now} THEN rate_limits.expires_at ELSE ${expiresAt} END
      RETURNING hits, expires_at`.execute(store.db);
    maybeCleanup(store, now);
    return { hits: Number(rows[0]!.hits), expiresAt: Number(rows[0]!.expires_at) };
  }
  const row = await store.db.insertInto('rate_limits')
    .values({ key, hits: 1, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      // both SET expressions read the row as it was before this statement
      hits: sql<number>`CASE WHEN rate_limits.expires_at > ${now} THEN rate_limits.hits + 1 ELSE 1 END`,
      expires_at: sql<number>`CASE WHEN rate_limits.expires_at > ${now} THEN rate_limits.expires_at ELSE ${expiresAt} END`,
    }))
    .returning(['hits', 'expires_at'])
    .executeTakeFirstOrThrow();
  maybeCleanup(store, now);
  return { hits: Number(row.hits), expiresAt: Number(row.expires_at) };
}

/** The live window of `key`, without counting a hit; undefined when there is none. */
export async function readRateLimit(store: Store, key: string, now = Date.now()): Promise<Hit | undefined> {
  const row = await store.db.selectFrom('rate_limits').select(['hits', 'expires_at'])
    .where('key', '=', key).where('expires_at', '>', now).executeTakeFirst();
  return row ? { hits: Number(row.hits), expiresAt: Number(row.expires_at) } : undefined;
}

/** Sets `key` to `hits` until `expiresAt` (used for a lockout). */
export async function setRateLimit(store: Store, key: string, hits: number, expiresAt: number): Promise<void> {
  await store.db.insertInto('rate_limits').values({ key, hits, expires_at: expiresAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ hits, expires_at: expiresAt }))
    .execute();
}

/** Deletes the windows that have ended. */
export async function deleteExpiredRateLimits(store: Store, now = Date.now()): Promise<number> {
  const res = await store.db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** At most once a minute per process, in the background: a failed clean-up is retried later. */
function maybeCleanup(store: Store, now: number): void {
  if (now - (lastCleanup.get(store) ?? 0) < CLEANUP_EVERY_MS) return;
  lastCleanup.set(store, now);
  deleteExpiredRateLimits(store, now).catch(() => lastCleanup.delete(store));
}

// ---- login failures and lockout of an account ----

/** Keys of an account's login state, by normalised e-mail (accounts that do not exist are tracked the same way). */
export const loginFailureKey = (email: string) => `login-failures|${email}`;
export const loginLockKey = (email: string) => `login-lock|${email}`;

export interface LockoutPolicy {
  /** failures that lock the account… */
  failures: number;
  /** …within this window */
  windowMs: number;
  /** how long the lock lasts */
  lockMs: number;
}

/** When the account's lock ends, or undefined when it is not locked. */
export async function accountLockedUntil(store: Store, email: string, now = Date.now()): Promise<number | undefined> {
  return (await readRateLimit(store, loginLockKey(email), now))?.expiresAt;
}

/** Counts a failed login; locks the account when the policy's threshold is reached. Returns the lock's end if it locked. */
export async function recordLoginFailure(store: Store, email: string, policy: LockoutPolicy, now = Date.now()): Promise<number | undefined> {
  const { hits } = await hitRateLimit(store, loginFailureKey(email), policy.windowMs, now);
  if (hits < policy.failures) return undefined;
  const until = now + policy.lockMs;
  await setRateLimit(store, loginLockKey(email), hits, until);
  await store.db.deleteFrom('rate_limits').where('key', '=', loginFailureKey(email)).execute();
  return until;
}

/** A successful login: the failure count (and the given other counters, e.g. the account's attempts) start again from zero. */
export async function clearLoginFailures(store: Store, email: string, otherKeys: string[] = []): Promise<void> {
  await store.db.deleteFrom('rate_limits').where('key', 'in', [loginFailureKey(email), ...otherKeys]).execute();
}

/** Unlocks an account (and forgets its failures), audited; returns whether it was locked. */
export async function unlockAccount(store: Store, email: string, actor: string, now = Date.now()): Promise<boolean> {
  return appDb(store).transaction().execute(async (trx) => {
    const lock = await trx.selectFrom('rate_limits').select('expires_at').where('key', '=', loginLockKey(email)).where('expires_at', '>', now).executeTakeFirst();
    await trx.deleteFrom('rate_limits').where('key', 'in', [loginLockKey(email), loginFailureKey(email)]).execute();
    await recordAudit(trx, {
      actor, action: 'user.unlock', targetType: 'user', targetId: email,
      before: { lockedUntil: lock ? new Date(Number(lock.expires_at)).toISOString() : null }, after: { lockedUntil: null },
    });
    return lock !== undefined;
  });
}
