/**
 * The accounts that manage a follow-up action (migration 0024_action_accounts): owners (« porteurs d’action »)
 * and facilitators who may update it besides the analysts. Setting them writes the rows and the audit entry in
 * one transaction; a deleted account or action takes its rows with it.
 */
import { recordAudit, type NewAuditEntry } from './audit.ts';
import type { DatabaseHandle } from './schema.ts';

export interface ActionAccount { email: string; role: string; assignedAt: string; assignedBy: string }

/** The accounts of some actions, by action id (e-mail order). */
export async function listActionAccounts(store: DatabaseHandle, actionIds: readonly string[]): Promise<Map<string, ActionAccount[]>> {
  const out = new Map<string, ActionAccount[]>();
  if (actionIds.length === 0) return out;
  const rows = await store.db.selectFrom('action_accounts').innerJoin('users', 'users.id', 'action_accounts.user_id')
    .select(['action_accounts.action_id', 'users.email', 'users.role', 'action_accounts.assigned_at', 'action_accounts.assigned_by'])
    .where('action_accounts.action_id', 'in', [...actionIds]).orderBy('users.email').execute();
  for (const r of rows) {
    const list = out.get(r.action_id) ?? [];
    list.push({ email: r.email, role: r.role, assignedAt: r.assigned_at, assignedBy: r.assigned_by });
    out.set(r.action_id, list);
  }
  return out;
}

/** Ids of the actions an account (by its e-mail) manages. */
export async function actionsOfAccount(store: DatabaseHandle, email: string): Promise<string[]> {
  const rows = await store.db.selectFrom('action_accounts').innerJoin('users', 'users.id', 'action_accounts.user_id')
    .select('action_accounts.action_id').where('users.email', '=', email).orderBy('action_accounts.action_id').execute();
  return rows.map((r) => r.action_id);
}

export async function managesAction(store: DatabaseHandle, email: string, actionId: string): Promise<boolean> {
  const r = await store.db.selectFrom('action_accounts').innerJoin('users', 'users.id', 'action_accounts.user_id')
    .select('action_accounts.action_id').where('users.email', '=', email).where('action_accounts.action_id', '=', actionId).executeTakeFirst();
  return r !== undefined;
}

/** The users that exist among some e-mails, with their role and whether they are disabled. */
export async function usersByEmail(store: DatabaseHandle, emails: readonly string[]): Promise<{ id: string; email: string; role: string; disabled: boolean }[]> {
  if (emails.length === 0) return [];
  const rows = await store.db.selectFrom('users').select(['id', 'email', 'role', 'disabled']).where('email', 'in', [...emails]).execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, disabled: r.disabled === 1 }));
}

/**
 * Replaces the accounts of an action by `userIds` (the use case checked them); writes the audit entry built from
 * the e-mails before and after, when something changed. Returns the e-mails after.
 */
export async function setActionAccounts(store: DatabaseHandle, input: {
  actionId: string; userIds: readonly string[]; at: string; actor: string;
  audit: (before: string[], after: string[]) => NewAuditEntry;
}): Promise<{ before: string[]; after: string[] }> {
  return store.db.transaction().execute(async (trx) => {
    const emailsOf = async () => (await trx.selectFrom('action_accounts').innerJoin('users', 'users.id', 'action_accounts.user_id')
      .select('users.email').where('action_accounts.action_id', '=', input.actionId).orderBy('users.email').execute()).map((r) => r.email);
    const before = await emailsOf();
    const current = new Set((await trx.selectFrom('action_accounts').select('user_id').where('action_id', '=', input.actionId).execute()).map((r) => r.user_id));
    const wanted = new Set(input.userIds);
    const gone = [...current].filter((u) => !wanted.has(u));
    const added = [...wanted].filter((u) => !current.has(u));
    if (gone.length) await trx.deleteFrom('action_accounts').where('action_id', '=', input.actionId).where('user_id', 'in', gone).execute();
    for (const u of added) await trx.insertInto('action_accounts').values({ action_id: input.actionId, user_id: u, assigned_at: input.at, assigned_by: input.actor }).execute();
    const after = await emailsOf();
    if (gone.length || added.length) await recordAudit(trx, input.audit(before, after));
    return { before, after };
  });
}
