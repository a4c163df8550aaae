/**
 * What every use case receives: the store, who acts (recorded in the audit entry written in the same
 * transaction as the change) and the clock (injected so tests and replays are deterministic).
 */
import type { Store } from '../store/index.ts';

export interface Actor {
  /** recorded in the audit trail: an account's e-mail, `visiteur` for the public form, `cli` for the command line */
  name: string;
  role: 'admin' | 'analyst' | 'facilitator' | 'owner' | 'visitor' | 'cli';
  /** consultations a facilitator may act on (undefined: no restriction beyond the role) */
  scope?: readonly string[];
}

export interface UseCaseContext {
  store: Store;
  actor: Actor;
  now: () => Date;
}

// the name the audit log has always used for changes made from the command line
export const CLI_ACTOR: Actor = { name: 'ligne de commande', role: 'cli' };
export const VISITOR: Actor = { name: 'visiteur', role: 'visitor' };

export function context(store: Store, actor: Actor, now: () => Date = () => new Date()): UseCaseContext {
  return { store, actor, now };
}
