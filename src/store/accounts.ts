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

function userFromRow(r: UserRow): User {
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
    const row: UserRow = { id: randomUUID(), email, role: u.role, password_hash: u.passwordHash, created_at: new Date().toISOString(), disabled: 0 };
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
    await trx.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', r.id).execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
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
    const assigned = await trx.selectFrom('consultation_assignments').select('consultation').where('user_id', '=', r.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', r.id).execute();
    await trx.deleteFrom('consultation_assignments').where('user_id', '=', r.id).execute();
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
