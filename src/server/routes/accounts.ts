/**
 * The back-office home (its drafts and to-do) and the administrators' account management, with the public page's
 * two calls to set a password from a one-time link (issue 16). The token travels in request bodies only, never in
 * an API address, so no access log holds it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../../domain/errors.ts';
import { ROLES, routeRoles } from '../../domain/roles.ts';
import { findUserById } from '../../store/accounts.ts';
import {
  assignAccount, createAccount, deleteAccount, listAccounts, passwordLinkState, resetPassword, setAccountDisabled, setPasswordWithLink, unassignAccount,
  type PasswordPolicy,
} from '../../usecases/accounts.ts';
import { backOfficeHome, TODO_KINDS } from '../../usecases/backoffice-home.ts';
import type { AppContext } from '../context.ts';
import { hashPassword, passwordProblem } from '../password.ts';
import type { RateLimitRule } from '../rate-limit.ts';
import { errors, IdParams, Ok } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

export const PASSWORD_POLICY: PasswordPolicy = { problem: passwordProblem, hash: hashPassword };

const Account = z.object({
  id: z.string(), email: z.string(), role: z.enum(ROLES), createdAt: z.string(), disabled: z.boolean(),
  lastSignInAt: z.string().nullable().describe('dernière connexion (null : jamais, ou avant l’enregistrement des connexions)'),
  passwordSet: z.boolean().describe('faux tant que la personne n’a pas choisi son mot de passe avec son lien'),
  pendingLinkUntil: z.string().nullable().describe('fin de validité du lien à usage unique en attente, s’il y en a un'),
  consultations: z.array(z.string()).describe('consultations auxquelles le compte est affecté (animateurs)'),
});
const Link = z.object({ path: z.string().describe('adresse à transmettre à la personne (jeton à usage unique compris), à préfixer par celle du site'), expiresAt: z.string() });
const Token = z.string().min(1).max(200);
const Subject = z.object({ kind: z.enum(['consultation', 'plan']), id: z.string(), title: z.string() });

const tags = ['back-office'];

export async function accountRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const admin = routeRoles('accounts');

  r.get('/admin/home', {
    config: { roles: routeRoles('followup'), scope: 'list' },
    schema: {
      tags, summary: 'Accueil du back-office : brouillons (consultations, synthèses) et travail en attente selon le rôle, avec les nombres et les pages où le faire ; un animateur ne voit que ses consultations et ses actions',
      response: {
        200: z.object({
          role: z.enum(ROLES),
          drafts: z.object({
            consultations: z.array(z.object({ slug: z.string(), title: z.string(), href: z.string() })),
            syntheses: z.array(z.object({ consultation: z.string(), title: z.string(), level: z.string(), territory: z.string(), generatedAt: z.string(), republication: z.boolean(), href: z.string() })),
          }),
          todo: z.array(z.object({ kind: z.enum(TODO_KINDS), count: z.number(), href: z.string(), subject: Subject })),
          totals: z.partialRecord(z.enum(TODO_KINDS), z.number()),
        }),
        ...errors(401, 403),
      },
    },
  }, async (req) => backOfficeHome(requestContext(ctx, req)));

  // ---- accounts (administrators) ----

  const emailOf = async (id: string) => {
    const u = await findUserById(ctx.store, id);
    if (!u) throw new UserError('not_found', 'Compte inconnu.');
    return u.email;
  };

  r.get('/admin/accounts', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Comptes (administrateurs) : rôle, état, dernière connexion, consultations affectées ; et les consultations auxquelles affecter un animateur',
      response: { 200: z.object({ accounts: z.array(Account), consultations: z.array(z.object({ slug: z.string(), title: z.string() })) }), ...errors(401, 403) },
    },
  }, async (req) => listAccounts(requestContext(ctx, req)));

  r.post('/admin/accounts', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Crée un compte sans mot de passe et renvoie un lien à usage unique (24 h) que l’administrateur transmet : la personne y choisit son mot de passe',
      body: z.object({ email: z.string().trim().min(3).max(320), role: z.enum(ROLES) }),
      response: { 201: z.object({ account: z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) }), link: Link }), ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const { user, link } = await createAccount(requestContext(ctx, req), req.body);
    return reply.code(201).send({ account: { id: user.id, email: user.email, role: user.role }, link });
  });

  r.post('/admin/accounts/:id/state', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Désactive (ses sessions sont fermées) ou réactive un compte ; ni soi-même ni le dernier administrateur actif', params: IdParams,
      body: z.object({ disabled: z.boolean() }),
      response: { 200: Ok, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    await setAccountDisabled(requestContext(ctx, req), { email: await emailOf(req.params.id), disabled: req.body.disabled });
    return { ok: true as const };
  });

  r.post('/admin/accounts/:id/password-link', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Nouveau lien à usage unique (24 h) pour choisir un mot de passe ; il remplace le précédent non utilisé ; à son usage, toutes les sessions du compte sont fermées', params: IdParams,
      response: { 200: z.object({ link: Link }), ...errors(401, 403, 404, 409) },
    },
  }, async (req) => ({ link: (await resetPassword(requestContext(ctx, req), { email: await emailOf(req.params.id) })).link }));

  r.delete('/admin/accounts/:id', {
    config: { roles: admin },
    schema: { tags, summary: 'Supprime un compte, ses sessions et affectations ; ni soi-même ni le dernier administrateur actif', params: IdParams, response: { 200: Ok, ...errors(401, 403, 404, 409) } },
  }, async (req) => {
    await deleteAccount(requestContext(ctx, req), { email: await emailOf(req.params.id) });
    return { ok: true as const };
  });

  r.post('/admin/accounts/:id/consultations', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Affecte un animateur à une consultation', params: IdParams,
      body: z.object({ consultation: z.string().min(1).max(64) }),
      response: { 200: z.object({ outcome: z.enum(['assigned', 'already']) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => ({ outcome: await assignAccount(requestContext(ctx, req), { email: await emailOf(req.params.id), consultation: req.body.consultation }) }));

  r.delete('/admin/accounts/:id/consultations/:slug', {
    config: { roles: admin },
    schema: {
      tags, summary: 'Retire un animateur d’une consultation', params: IdParams.extend({ slug: z.string().min(1).max(64) }),
      response: { 200: z.object({ outcome: z.enum(['unassigned', 'absent']) }), ...errors(401, 403, 404) },
    },
  }, async (req) => ({ outcome: await unassignAccount(requestContext(ctx, req), { email: await emailOf(req.params.id), consultation: req.params.slug }) }));

  // ---- one-time links (public) ----

  const publicTags = ['authentification'];
  // a token cannot be guessed (32 random bytes): the limit per address only stops floods
  const limits: RateLimitRule[] = [{ max: ctx.login.perAddress, timeWindow: 60_000, groupId: 'lien-mot-de-passe', message: 'Trop de tentatives : réessayez dans une minute.' }];

  r.post('/auth/password-link/check', {
    config: { access: 'public', rateLimit: limits },
    schema: {
      tags: publicTags, summary: 'État d’un lien à usage unique avant de choisir le mot de passe : le compte et la fin de validité (404 : lien inconnu, utilisé, expiré ou remplacé)',
      body: z.object({ token: Token }),
      response: { 200: z.object({ email: z.string(), purpose: z.enum(['invite', 'reset']), expiresAt: z.string() }), ...errors(400, 403, 404, 429) },
    },
  }, async (req) => passwordLinkState(requestContext(ctx, req), req.body));

  r.post('/auth/password-link', {
    config: { access: 'public', rateLimit: limits },
    schema: {
      tags: publicTags, summary: 'Choisit le mot de passe avec un lien à usage unique (règles des mots de passe) ; le lien ne sert plus, toutes les sessions du compte sont fermées',
      body: z.object({ token: Token, password: z.string().min(1).max(1000) }),
      response: { 200: z.object({ email: z.string() }), ...errors(400, 403, 404, 429) },
    },
  }, async (req) => setPasswordWithLink(requestContext(ctx, req), req.body, PASSWORD_POLICY));
}
