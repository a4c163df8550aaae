/**
 * Accounts and sessions of the web application (migration 0002_accounts). Functions take a Store;
 * passwords arrive already hashed (see src/server/password.ts), session ids already hashed.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from './audit.ts';
import type { Database, Db, UserRow } from './schema.ts';
import type { Store } from './store.ts';
import { StoreError } from './errors.ts';

/** Every table is in `Database` (schema.ts); these names stay for the callers that used them. */
export type AppDatabase = Database;
export type AppDb = Db;

/** The store's typed Kysely instance (kept as a function for its callers; `store.db` is the same). */
export function appDb(store: Store): Kysely<Database> {
  return store.db;
}

// the roles and what each may use are domain rules (src/domain/roles.ts), shared with the web app
import { ROLES, type Role } from '../domain/roles.ts';
export { ROLES, type Role };

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function userFromRow(r: Omit<UserRow, 'last_sign_in_at'>): User {
  return { id: r.id, email: r.email, role: r.role as Role, createdAt: r.created_at, disabled: r.disabled === 1 };
}

export async function createUser(store: Store, u: { email: string; role: Role; passwordHash: string }): Promise<User> {
  const email = normaliseEmail(u.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new StoreError('invalid', `Adresse e-mail invalide : « ${u.email} »`);
  if (!(ROLES as readonly string[]).includes(u.role)) throw new StoreError('invalid', `Rôle inconnu : « ${u.role} » (admin, analyst ou facilitator)`);
  const db = appDb(store);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new StoreError('conflict', `Un compte existe déjà pour ${email}.`);
    const row: UserRow = { id: randomUUID(), email, role: u.role, password_hash: u.passwordHash, created_at: new Date().toISOString(), disabled: 0, last_sign_in_at: null };
    await trx.insertInto('users').values(row).execute();
    return userFromRow(row);
  });
}

/** Changes the password (and optionally the role) of an existing account; its sessions are closed. */
export async function updateUser(store: Store, email: string, changes: { role?: Role; passwordHash?: string }): Promise<User> {
  const db = appDb(store);
  return db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
    if (!r) throw new StoreError('not_found', `Aucun compte pour ${email}.`);
    const set: Partial<UserRow> = {};
    if (changes.role) set.role = changes.role;
    if (changes.passwordHash) set.password_hash = changes.passwordHash;
    if (Object.keys(set).length) await trx.updateTable('users').set(set).where('id', '=', r.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
    return userFromRow({ ...r, ...set });
  });
}

export async function findUserByEmail(store: Store, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const r = await appDb(store).selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return r ? { ...userFromRow(r), passwordHash: r.password_hash } : undefined;
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await appDb(store).selectFrom('users').selectAll().orderBy('created_at').orderBy('email').execute();
  return rows.map(userFromRow);
}

export async function createSession(store: Store, idHash: string, userId: string, expiresAt: Date): Promise<void> {
  const now = new Date().toISOString();
  const db = appDb(store);
  await db.transaction().execute(async (trx) => {
    // opportunistic clean-up of expired sessions
    await trx.deleteFrom('sessions').where('expires_at', '<', now).execute();
    await trx.insertInto('sessions').values({ id_hash: idHash, user_id: userId, created_at: now, expires_at: expiresAt.toISOString() }).execute();
    await trx.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).execute();
  });
}

/** The user of a live session, or undefined when the session is unknown, expired or the account disabled. */
export async function sessionUser(store: Store, idHash: string, now = new Date()): Promise<User | undefined> {
  const r = await appDb(store).selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.role', 'users.password_hash', 'users.created_at', 'users.disabled', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!r || r.expires_at <= now.toISOString() || r.disabled === 1) return undefined;
  return userFromRow(r);
}

export async function deleteSession(store: Store, idHash: string): Promise<void> {
  await appDb(store).deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/**
 * Refuses to disable or delete the last active administrator: nobody could then manage the accounts from the
 * back office (the command line can always add one).
 */
async function guardLastAdmin(db: AppDb, r: UserRow, verb: string): Promise<void> {
  if (r.role !== 'admin' || r.disabled === 1) return;
  const others = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin').where('disabled', '=', 0).where('id', '<>', r.id).executeTakeFirstOrThrow();
  if (Number(others.n) === 0) throw new StoreError('conflict', `Impossible de ${verb} ${r.email} : c’est le dernier compte administrateur actif. Créez d’abord un autre administrateur.`);
}

async function requireUserRow(db: AppDb, email: string): Promise<UserRow> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!r) throw new StoreError('not_found', `Aucun compte pour ${normaliseEmail(email)}.`);
  return r;
}

/**
 * Disables (or enables again) an account. Disabling closes its sessions at once; the audit entry
 * names the account by e-mail, as text, so it outlives the account.
 */
export async function setUserDisabled(store: Store, email: string, disabled: boolean, actor: string): Promise<User> {
  return appDb(store).transaction().execute(async (trx) => {
    const r = await requireUserRow(trx, email);
    if (disabled) await guardLastAdmin(trx, r, 'désactiver');
    await trx.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', r.id).execute();
    if (disabled) {
      await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
      // a link given before the account was disabled must not outlive the decision (re-enabling does not revive it)
      await trx.deleteFrom('password_resets').where('user_id', '=', r.id).execute();
    }
    await recordAudit(trx, {
      actor, action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: r.email,
      before: { disabled: r.disabled === 1 }, after: { disabled },
    });
    return userFromRow({ ...r, disabled: disabled ? 1 : 0 });
  });
}

/** Deletes an account with its sessions and assignments; audit entries keep its e-mail as text. */
export async function deleteUser(store: Store, email: string, actor: string): Promise<void> {
  await appDb(store).transaction().execute(async (trx) => {
    const r = await requireUserRow(trx, email);
    await guardLastAdmin(trx, r, 'supprimer');
    const assigned = await trx.selectFrom('consultation_assignments').select('consultation').where('user_id', '=', r.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
    await trx.deleteFrom('consultation_assignments').where('user_id', '=', r.id).execute();
    await trx.deleteFrom('password_resets').where('user_id', '=', r.id).execute();
    // the actions it managed (derived data never outlives the account)
    const managed = await trx.deleteFrom('action_accounts').where('user_id', '=', r.id).executeTakeFirst();
    await trx.deleteFrom('users').where('id', '=', r.id).execute();
    await recordAudit(trx, {
      actor, action: 'user.delete', targetType: 'user', targetId: r.email,
      before: { email: r.email, role: r.role, createdAt: r.created_at, disabled: r.disabled === 1, consultations: assigned.map((a) => a.consultation), actions: Number(managed.numDeletedRows) },
    });
  });
}

/** Gives a facilitator access to one consultation (admins and analysts see every consultation anyway). */
export async function assignConsultation(store: Store, email: string, consultation: string, actor: string): Promise<'assigned' | 'already'> {
  return appDb(store).transaction().execute(async (trx) => {
    const r = await requireUserRow(trx, email);
    if (r.role !== 'facilitator') throw new StoreError('invalid', `${r.email} n’est pas animateur (rôle ${r.role}) : seuls les animateurs sont affectés à des consultations, les autres rôles les voient toutes.`);
    const c = await trx.selectFrom('consultations').select('slug').where('slug', '=', consultation).executeTakeFirst();
    if (!c) throw new StoreError('not_found', `Consultation inconnue : « ${consultation} »`);
    const existing = await trx.selectFrom('consultation_assignments').select('user_id').where('user_id', '=', r.id).where('consultation', '=', consultation).executeTakeFirst();
    if (existing) return 'already';
    await trx.insertInto('consultation_assignments').values({ user_id: r.id, consultation, assigned_at: new Date().toISOString(), assigned_by: actor }).execute();
    await recordAudit(trx, { actor, action: 'user.assign', consultation, targetType: 'user', targetId: r.email, after: { consultation } });
    return 'assigned';
  });
}

export async function unassignConsultation(store: Store, email: string, consultation: string, actor: string): Promise<'unassigned' | 'absent'> {
  return appDb(store).transaction().execute(async (trx) => {
    const r = await requireUserRow(trx, email);
    const res = await trx.deleteFrom('consultation_assignments').where('user_id', '=', r.id).where('consultation', '=', consultation).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return 'absent';
    await recordAudit(trx, { actor, action: 'user.unassign', consultation, targetType: 'user', targetId: r.email, before: { consultation } });
    return 'unassigned';
  });
}

/** Slugs of the consultations a user is assigned to. */
export async function assignedConsultations(store: Store, userId: string): Promise<string[]> {
  const rows = await appDb(store).selectFrom('consultation_assignments').select('consultation').where('user_id', '=', userId).orderBy('consultation').execute();
  return rows.map((r) => r.consultation);
}

export async function isAssigned(store: Store, userId: string, consultation: string): Promise<boolean> {
  const r = await appDb(store).selectFrom('consultation_assignments').select('user_id').where('user_id', '=', userId).where('consultation', '=', consultation).executeTakeFirst();
  return r !== undefined;
}

/** The consultation a meeting belongs to, or undefined for an unknown meeting. */
export async function meetingConsultation(store: Store, meetingId: string): Promise<string | undefined> {
  const r = await appDb(store).selectFrom('meetings').select('consultation').where('id', '=', meetingId).executeTakeFirst();
  return r?.consultation;
}

/**
 * The password hash of an account whose holder has not chosen a password yet (created from the back office with a
 * one-time link): not a scrypt hash, so verifyPassword never accepts anything for it.
 */
export const NO_PASSWORD = '!';

/** An account as the administrators' list shows it. */
export interface AccountListing extends User {
  /** when it last opened a session (null: never, or not recorded before migration 0027) */
  lastSignInAt: string | null;
  /** false until its holder sets a password with the link they were given */
  passwordSet: boolean;
  /** slugs of the consultations it is assigned to (facilitators) */
  consultations: string[];
  /** expiry of its pending one-time link, if any */
  pendingLinkUntil: string | null;
}

export async function listAccounts(store: Store, now: Date): Promise<AccountListing[]> {
  const db = appDb(store);
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  const assigned = await db.selectFrom('consultation_assignments').select(['user_id', 'consultation']).orderBy('consultation').execute();
  const links = await db.selectFrom('password_resets').select(['user_id', 'expires_at'])
    .where('used_at', 'is', null).where('expires_at', '>', now.toISOString()).execute();
  return rows.map((r) => ({
    ...userFromRow(r),
    lastSignInAt: r.last_sign_in_at,
    passwordSet: r.password_hash !== NO_PASSWORD,
    consultations: assigned.filter((a) => a.user_id === r.id).map((a) => a.consultation),
    pendingLinkUntil: links.filter((l) => l.user_id === r.id).map((l) => l.expires_at).sort().at(-1) ?? null,
  }));
}

export interface PasswordLinkWrite {
  /** SHA-256 of the token (the token itself is never stored) */
  tokenHash: string;
  purpose: 'invite' | 'reset';
  expiresAt: string;
  at: string;
  actor: string;
}

async function insertLink(trx: AppDb, userId: string, link: PasswordLinkWrite): Promise<void> {
  // one live link per account: a new one replaces those not used yet
  await trx.deleteFrom('password_resets').where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await trx.insertInto('password_resets').values({
    token_hash: link.tokenHash, user_id: userId, purpose: link.purpose, created_at: link.at, created_by: link.actor, expires_at: link.expiresAt, used_at: null,
  }).execute();
}

/** Creates an account without a password and its one-time link, with the audit entry (no token in it), in one transaction. */
export async function createInvitedUser(store: Store, u: { email: string; role: Role }, link: PasswordLinkWrite): Promise<User> {
  const email = normaliseEmail(u.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320) throw new StoreError('invalid', `Adresse e-mail invalide : « ${u.email.slice(0, 320)} »`, 'email');
  if (!(ROLES as readonly string[]).includes(u.role)) throw new StoreError('invalid', `Rôle inconnu : « ${u.role} »`, 'role');
  return appDb(store).transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new StoreError('conflict', `Un compte existe déjà pour ${email}.`, 'email');
    const row: UserRow = { id: randomUUID(), email, role: u.role, password_hash: NO_PASSWORD, created_at: link.at, disabled: 0, last_sign_in_at: null };
    await trx.insertInto('users').values(row).execute();
    await insertLink(trx, row.id, link);
    await recordAudit(trx, { actor: link.actor, action: 'user.create', targetType: 'user', targetId: email, at: link.at, after: { email, role: u.role, linkExpiresAt: link.expiresAt } });
    return userFromRow(row);
  });
}

/** Replaces the account's pending link by a new one (a password reset); its current password works until the link is used. */
export async function savePasswordLink(store: Store, email: string, link: PasswordLinkWrite): Promise<User> {
  return appDb(store).transaction().execute(async (trx) => {
    const r = await requireUserRow(trx, email);
    await insertLink(trx, r.id, link);
    await recordAudit(trx, { actor: link.actor, action: 'user.password_link', targetType: 'user', targetId: r.email, at: link.at, after: { purpose: link.purpose, expiresAt: link.expiresAt } });
    return userFromRow(r);
  });
}

export interface PasswordLinkState { email: string; purpose: 'invite' | 'reset'; expiresAt: string; usedAt: string | null; disabled: boolean }

export async function findPasswordLink(store: Store, tokenHash: string): Promise<PasswordLinkState | undefined> {
  const r = await appDb(store).selectFrom('password_resets').innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['users.email', 'users.disabled', 'password_resets.purpose', 'password_resets.expires_at', 'password_resets.used_at'])
    .where('password_resets.token_hash', '=', tokenHash).executeTakeFirst();
  return r ? { email: r.email, purpose: r.purpose as 'invite' | 'reset', expiresAt: r.expires_at, usedAt: r.used_at, disabled: r.disabled === 1 } : undefined;
}

/**
 * Uses a one-time link: sets the password, marks the link used, forgets the account's other links and ends all its
 * sessions, with the audit entry, in one transaction. Undefined when the link is unknown, used, expired, or its
 * account disabled (checked again here, so two uses at once cannot both succeed).
 */
export async function usePasswordLink(store: Store, tokenHash: string, passwordHash: string, at: string): Promise<User | undefined> {
  return appDb(store).transaction().execute(async (trx) => {
    const link = await trx.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!link || link.used_at !== null || link.expires_at <= at) return undefined;
    const r = await trx.selectFrom('users').selectAll().where('id', '=', link.user_id).executeTakeFirst();
    if (!r || r.disabled === 1) return undefined;
    const used = await trx.updateTable('password_resets').set({ used_at: at }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return undefined;
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', r.id).execute();
    await trx.deleteFrom('password_resets').where('user_id', '=', r.id).where('token_hash', '<>', tokenHash).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
    await recordAudit(trx, { actor: r.email, action: 'user.password_set', targetType: 'user', targetId: r.email, at, after: { purpose: link.purpose } });
    return userFromRow(r);
  });
}

export async function findUserById(store: Store, id: string): Promise<User | undefined> {
  const r = await appDb(store).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? userFromRow(r) : undefined;
}
