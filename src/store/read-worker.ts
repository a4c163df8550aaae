/**
 * A read-only SQLite connection in a worker thread (see read-pool.ts): runs the SELECTs the store compiled,
 * off the server's event loop. Refuses anything that would write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

export interface ReadRequest { id: number; sql: string; parameters: unknown[] }
export type ReadReply = { id: number; rows: unknown[] } | { id: number; error: string };

const db = new SQLite((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map<string, SQLite.Statement>();
const MAX_STATEMENTS = 64;

function statement(text: string): SQLite.Statement {
  let s = statements.get(text);
  if (!s) {
    s = db.prepare(text);
    if (!s.reader) throw new Error('requête refusée : une connexion de lecture ne modifie rien');
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
    statements.set(text, s);
  }
  return s;
}

parentPort!.on('message', (m: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { id: m.id, rows: statement(m.sql).all(...m.parameters) };
  } catch (e) {
    reply = { id: m.id, error: (e as Error).message ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
