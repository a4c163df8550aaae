/** The use-case context of a request: the store, the signed-in account (or the visitor) as actor, the clock. */
import type { FastifyRequest } from 'fastify';
import { context, VISITOR, type UseCaseContext } from '../usecases/context.ts';
import type { AppContext } from './app.ts';

export function requestContext(app: AppContext, req: FastifyRequest): UseCaseContext {
  const user = req.user;
  return context(app.store, user ? { name: user.email, role: user.role } : VISITOR);
}
