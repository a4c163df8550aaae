/**
 * Accounts of the back office (issue 16): list, create with a one-time link, disable and enable, reset the password
 * with a one-time link, delete, assign facilitators to consultations. The command line (`fabrique user …`) and the
 * administrators' page (/admin/comptes) call these same functions; only administrators (and the command line, run
 * by whoever holds the server) manage accounts.
 *
 * A one-time link carries a random 32-byte token: the administrator passes it on, its holder sets their own
 * password with it within LINK_HOURS. Only its SHA-256 is stored; neither the token nor the link is ever written to
 * the audit log or the logs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UserError } from '../domain/errors.ts';
import { ROLE_LABELS, ROLES, type Role } from '../domain/roles.ts';
import {
  assignConsultation, createInvitedUser, deleteUser, findPasswordLink, findUserByEmail, listAccounts as readAccounts, normaliseEmail, savePasswordLink,
  setUserDisabled, unassignConsultation, usePasswordLink, type AccountListing, type User,
} from '../store/accounts.ts';
import type { UseCaseContext } from './context.ts';

/** How long a one-time link stays valid. */
export const LINK_HOURS = 24;

/** The web page where a link's holder sets their password (the token in its query string). */
export const SET_PASSWORD_PATH = '/connexion/nouveau-mot-de-passe';

/**
 * The password rules and hashing (src/server/password.ts, a higher layer): handed in by the face that calls, so the
 * rules applied are the same wherever a password is set.
 */
export interface PasswordPolicy {
  problem(password: string, email?: string): string | undefined;
  hash(password: string): Promise<string>;
}

export interface OneTimeLink {
  /** the path with the token, to prefix with the site's address */
  path: string;
  expiresAt: string;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function requireAdmin(ctx: UseCaseContext): void {
  if (ctx.actor.role !== 'admin' && ctx.actor.role !== 'cli') {
    throw new UserError('forbidden', 'Seuls les administrateurs gèrent les comptes.');
  }
}

function checkEmail(email: string): string {
  const e = normaliseEmail(email);
  if (e.length > 320 || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(e)) throw new UserError('invalid', 'Adresse e-mail invalide : elle doit être de la forme nom@domaine.fr.', 'email');
  return e;
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UserError('invalid', `Rôle inconnu : choisissez ${ROLES.map((r) => ROLE_LABELS[r].toLowerCase()).join(', ')}.`, 'role');
  }
  return role as Role;
}

function notSelf(ctx: UseCaseContext, email: string, verb: string): void {
  if (ctx.actor.role === 'admin' && normaliseEmail(ctx.actor.name) === email) {
    throw new UserError('conflict', `Vous ne pouvez pas ${verb} votre propre compte : demandez-le à un autre administrateur.`);
  }
}

function newLink(ctx: UseCaseContext, purpose: 'invite' | 'reset') {
  const token = randomBytes(32).toString('base64url');
  const at = ctx.now();
  const expiresAt = new Date(at.getTime() + LINK_HOURS * 3600_000).toISOString();
  return {
    write: { tokenHash: hashToken(token), purpose, expiresAt, at: at.toISOString(), actor: ctx.actor.name },
    link: { path: `${SET_PASSWORD_PATH}?token=${token}`, expiresAt },
  };
}

export interface AccountsView {
  accounts: AccountListing[];
  /** the consultations a facilitator may be assigned to */
  consultations: { slug: string; title: string }[];
}

export async function listAccounts(ctx: UseCaseContext): Promise<AccountsView> {
  requireAdmin(ctx);
  const accounts = await readAccounts(ctx.store, ctx.now());
  const consultations = (await ctx.store.listConsultations()).map((c) => ({ slug: c.slug, title: c.title }));
  return { accounts, consultations };
}

/** Creates an account without a password; its holder sets one with the link returned (valid LINK_HOURS). */
export async function createAccount(ctx: UseCaseContext, input: { email: string; role: string }): Promise<{ user: User; link: OneTimeLink }> {
  requireAdmin(ctx);
  const email = checkEmail(input.email);
  const role = checkRole(input.role);
  const { write, link } = newLink(ctx, 'invite');
  const user = await createInvitedUser(ctx.store, { email, role }, write);
  return { user, link };
}

/**
 * A new one-time link to set the account's password (valid LINK_HOURS); it replaces any link not used yet. The
 * current password keeps working until the link is used.
 */
export async function resetPassword(ctx: UseCaseContext, input: { email: string }): Promise<{ user: User; link: OneTimeLink }> {
  requireAdmin(ctx);
  const email = checkEmail(input.email);
  const existing = await findUserByEmail(ctx.store, email);
  if (!existing) throw new UserError('not_found', `Aucun compte pour ${email}.`);
  if (existing.disabled) throw new UserError('conflict', `Le compte ${email} est désactivé : réactivez-le avant de lui donner un lien.`);
  const { write, link } = newLink(ctx, 'reset');
  const user = await savePasswordLink(ctx.store, email, write);
  return { user, link };
}

export async function setAccountDisabled(ctx: UseCaseContext, input: { email: string; disabled: boolean }): Promise<User> {
  requireAdmin(ctx);
  const email = checkEmail(input.email);
  if (input.disabled) notSelf(ctx, email, 'désactiver');
  return setUserDisabled(ctx.store, email, input.disabled, ctx.actor.name);
}

export async function deleteAccount(ctx: UseCaseContext, input: { email: string }): Promise<void> {
  requireAdmin(ctx);
  const email = checkEmail(input.email);
  notSelf(ctx, email, 'supprimer');
  await deleteUser(ctx.store, email, ctx.actor.name);
}

export async function assignAccount(ctx: UseCaseContext, input: { email: string; consultation: string }): Promise<'assigned' | 'already'> {
  requireAdmin(ctx);
  return assignConsultation(ctx.store, checkEmail(input.email), input.consultation, ctx.actor.name);
}

export async function unassignAccount(ctx: UseCaseContext, input: { email: string; consultation: string }): Promise<'unassigned' | 'absent'> {
  requireAdmin(ctx);
  return unassignConsultation(ctx.store, checkEmail(input.email), input.consultation, ctx.actor.name);
}

const INVALID_LINK = 'Ce lien n’est pas valable : il a déjà servi, il a expiré (24 heures) ou il a été remplacé par un autre. Demandez un nouveau lien à un administrateur.';

/** What the page of a one-time link shows before the password is chosen: whose account, until when. */
export async function passwordLinkState(ctx: UseCaseContext, input: { token: string }): Promise<{ email: string; purpose: 'invite' | 'reset'; expiresAt: string }> {
  if (!TOKEN.test(input.token)) throw new UserError('not_found', INVALID_LINK);
  const link = await findPasswordLink(ctx.store, hashToken(input.token));
  if (!link || link.usedAt !== null || link.expiresAt <= ctx.now().toISOString() || link.disabled) throw new UserError('not_found', INVALID_LINK);
  return { email: link.email, purpose: link.purpose, expiresAt: link.expiresAt };
}

/**
 * Sets the password of the link's account under the password rules, once: the link is spent, the account's other
 * links forgotten and all its sessions ended.
 */
export async function setPasswordWithLink(ctx: UseCaseContext, input: { token: string; password: string }, policy: PasswordPolicy): Promise<{ email: string }> {
  const state = await passwordLinkState(ctx, { token: input.token });
  const problem = policy.problem(input.password, state.email);
  if (problem) throw new UserError('invalid', problem, 'password');
  const hash = await policy.hash(input.password);
  const user = await usePasswordLink(ctx.store, hashToken(input.token), hash, ctx.now().toISOString());
  if (!user) throw new UserError('not_found', INVALID_LINK);
  return { email: user.email };
}
