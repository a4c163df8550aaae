/** The use-case context of a request: the store, the signed-in account (or the visitor) as actor, the clock. */
import type { FastifyRequest } from 'fastify';
import { Store } from '../store/store.ts';
import { context, VISITOR, type UseCaseContext } from '../usecases/context.ts';
import type { AppContext } from './context.ts';

export function requestContext(source: AppContext | Store, req: FastifyRequest): UseCaseContext {
  const store = source instanceof Store ? source : source.store;
  const user = req.user;
  return context(store, user ? { name: user.email, role: user.role } : VISITOR);
}
