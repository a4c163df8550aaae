/** Login, logout, current user. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sectionsOf, type Role } from '../../domain/roles.ts';
import { findUserByEmail } from '../../store/accounts.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { assertLoginAllowed, loginFailed, loginRateLimits, loginSucceeded } from '../login-throttle.ts';
import { burnPasswordTime, verifyPassword } from '../password.ts';
import { errors, Ok, User } from '../schemas.ts';
import { closeSession, currentUser, openSession } from '../security.ts';

// the sections come from the table the route guards use: the web app shows what the API allows
const userView = (u: { id: string; email: string; role: Role }) => ({ id: u.id, email: u.email, role: u.role, sections: sectionsOf(u.role) });

export async function authRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['authentification'];

  r.post('/auth/login', {
    config: { access: 'public', rateLimit: loginRateLimits(ctx.login) },
    schema: {
      tags, summary: 'Connexion (ouvre une session)',
      body: z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1000) }),
      response: { 200: z.object({ user: User }), ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    await assertLoginAllowed(ctx.store, req.body.email);
    const invalid = new HttpError(401, 'invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
    const user = await findUserByEmail(ctx.store, req.body.email);
    if (!user) {
      await burnPasswordTime(req.body.password);
      throw await loginFailed(ctx.store, req.body.email, ctx.login, invalid);
    }
    if (!(await verifyPassword(req.body.password, user.passwordHash)) || user.disabled) {
      throw await loginFailed(ctx.store, req.body.email, ctx.login, invalid);
    }
    await loginSucceeded(ctx.store, user.email);
    await openSession(ctx.store, req, reply, user, ctx.security);
    return { user: userView(user) };
  });

  r.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'Déconnexion', response: { 200: Ok, ...errors(403) } },
  }, async (req, reply) => {
    await closeSession(ctx.store, req, reply, ctx.security);
    return { ok: true as const };
  });

  r.get('/auth/me', {
    config: { access: 'public' },
    schema: { tags, summary: 'Utilisateur connecté', response: { 200: z.object({ user: User }), ...errors(401) } },
  }, async (req) => ({ user: userView(currentUser(req)) }));
}
