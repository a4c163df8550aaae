/**
 * Faults of the database itself (not of the request): connection lost, locked, disk full, read-only.
 * Recognised from SQLite result codes, PostgreSQL SQLSTATEs and system errno codes, so the CLI and the
 * API can say what happened in French instead of "erreur interne".
 */
import { isSqliteBusy } from './sqlite-driver.ts';

export type DatabaseFaultKind = 'unavailable' | 'busy' | 'full' | 'write_failed' | 'read_only' | 'cannot_open';

export interface DatabaseFault {
  kind: DatabaseFaultKind;
  /** code of the API error body */
  code: string;
  /** HTTP status: 507 for a full disk, 503 otherwise (the request may succeed later) */
  status: 503 | 507;
  /** for the user, in French */
  message: string;
}

const FAULTS: Record<DatabaseFaultKind, Omit<DatabaseFault, 'kind'>> = {
  unavailable: {
    code: 'database_unavailable', status: 503,
    message: 'La base de données est momentanément injoignable (connexion perdue ou serveur de base arrêté) : rien n’a été enregistré. Réessayez dans quelques instants.',
  },
  busy: {
    code: 'database_busy', status: 503,
    message: 'La base de données est occupée par une autre opération (par exemple un import en cours) : rien n’a été enregistré. Réessayez dans quelques instants.',
  },
  full: {
    code: 'storage_full', status: 507,
    message: 'Le disque de la base de données est plein : l’opération n’a pas été enregistrée. Libérez de l’espace disque puis réessayez.',
  },
  write_failed: {
    code: 'storage_write_failed', status: 507,
    message: 'L’écriture sur le disque de la base de données a échoué (disque plein, limite de taille de fichier ou support défaillant) : l’opération n’a pas été enregistrée. Vérifiez l’espace disque puis réessayez.',
  },
  read_only: {
    code: 'database_read_only', status: 503,
    message: 'La base de données est en lecture seule (fichier, dossier ou système de fichiers non modifiable, ou serveur en lecture seule) : l’opération n’a pas été enregistrée.',
  },
  cannot_open: {
    code: 'database_unavailable', status: 503,
    message: 'Impossible d’ouvrir le fichier de la base de données : dossier absent, droits insuffisants ou système de fichiers en lecture seule.',
  },
};

/** PostgreSQL SQLSTATEs and classes: 08 connection exception, 57P0x shutdown/starting up, 53100 disk full, 25006 read-only. */
function pgKind(code: string): DatabaseFaultKind | undefined {
  if (code === '53100') return 'full';
  if (code === '25006') return 'read_only';
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return 'unavailable';
  return undefined;
}

const NETWORK_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_CONNECTION_MESSAGE = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|terminating connection/i;

function kindOf(e: unknown, depth = 0): DatabaseFaultKind | undefined {
  if (!e || typeof e !== 'object' || depth > 3) return undefined;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  if (code.startsWith('SQLITE_')) {
    if (isSqliteBusy(e)) return 'busy';
    if (code === 'SQLITE_FULL') return 'full';
    // a write refused by the system (EFBIG, EIO, or ENOSPC met while syncing): SQLite does not say which
    if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_SHORT_WRITE' || code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_TRUNCATE') return 'write_failed';
    if (code.startsWith('SQLITE_READONLY')) return 'read_only';
    if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot_open';
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    const k = pgKind(code);
    if (k) return k;
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code === 'EFBIG') return 'write_failed';
  if (code === 'EROFS') return 'read_only';
  if (NETWORK_ERRNO.has(code)) return 'unavailable';
  if (PG_CONNECTION_MESSAGE.test(message)) return 'unavailable';
  // AggregateError (several addresses refused) and wrapped causes
  if (Array.isArray(err.errors)) for (const inner of err.errors) { const k = kindOf(inner, depth + 1); if (k) return k; }
  return kindOf(err.cause, depth + 1);
}

/** The database fault behind an error, if it is one. */
export function databaseFault(e: unknown): DatabaseFault | undefined {
  if (e instanceof DatabaseFaultError) return e.fault;
  const kind = kindOf(e);
  return kind ? { kind, ...FAULTS[kind] } : undefined;
}

/** Faults that go away by themselves (connection back, lock released): worth retrying later. */
export function isTransientFault(e: unknown): boolean {
  const k = databaseFault(e)?.kind;
  return k === 'unavailable' || k === 'busy';
}

/** A database fault with its French message, e.g. thrown when opening the store fails. */
export class DatabaseFaultError extends Error {
  constructor(readonly fault: DatabaseFault, options?: { cause?: unknown }) {
    super(fault.message, options);
    this.name = 'DatabaseFaultError';
  }
}
