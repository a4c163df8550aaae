/** The use-case context of a request: the signed-in user acts, with the server's store and clock. */
import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';
import { context, type UseCaseContext } from '../usecases/context.ts';
import { currentUser } from './security.ts';

export function requestContext(store: Store, req: FastifyRequest): UseCaseContext {
  const user = currentUser(req);
  return context(store, { name: user.email, role: user.role });
}
