/** Database faults as API answers: 503 (or 507 for a full disk) with the error shape and a French message naming the cause. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { databaseFault } from '../store/faults.ts';

/** Answers the request if `err` is a database fault; returns undefined otherwise. */
export function replyDatabaseFault(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const fault = databaseFault(err);
  if (!fault) return undefined;
  // an operator needs to see it; the message carries no request data
  req.log.warn({ code: (err as { code?: string }).code, fault: fault.kind }, 'base de données indisponible');
  if (fault.status === 503) reply.header('retry-after', '5');
  return reply.code(fault.status).send({ error: { code: fault.code, message: fault.message } });
}
