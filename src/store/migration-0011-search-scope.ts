/**
 * Migration 0011_search_scope (SQLite only): the full-text index keys each contribution by its scope, the
 * consultation and moderation status, and its arrival order reversed: rowid = (scope id × 4 + status code) × 2^40
 * + (2^40 − 1 − seq), so that ascending rowids are newest first (FTS5 walks a doclist forwards several times
 * faster than backwards: 1 ms against 8 ms for the 1,000 newest of 270k matches).
 * A public search ("published in this consultation") is then a rowid range of the term's doclist, which FTS5
 * walks newest first and stops after the window: no lookup in `contributions` per match (a frequent word among
 * a million contributions, most of them pending or elsewhere, cost 200 ms per query before, about 2 µs a match),
 * and the ranking (bm25) counts only the query's words. Scope ids live in `search_scopes` (a slug and a number,
 * derived, never archived). The index is contentless: its values are never read back.
 * PostgreSQL filters on the row itself through its GIN and b-tree indexes: nothing to do there.
 */
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import type { Dialect } from './schema.ts';

/** 2^40: room for a trillion contributions per scope, and 2 million scopes within SQLite's 64-bit rowids. */
export const SEARCH_SEQ_SPAN = 1099511627776;

/** Status codes in the key (0: any other status, kept searchable from the back office). */
export const SEARCH_STATUS_CODES: Record<string, number> = { published: 1, pending: 2, rejected: 3 };

/** Any status not coded above (range code 0). */
export const OTHER_STATUSES = '(autre)';

const statusCode = (expr: string) => `CASE ${expr} ${Object.entries(SEARCH_STATUS_CODES).map(([s, c]) => `WHEN '${s}' THEN ${c}`).join(' ')} ELSE 0 END`;

/** The index key of a row (`new`, `old` or the table itself), as SQL. */
const KEY = (row: string) => sql.raw(`((SELECT id FROM search_scopes WHERE consultation = ${row}.consultation) * 4 + ${statusCode(`${row}.moderation_status`)})`
  + ` * ${SEARCH_SEQ_SPAN} + ${SEARCH_SEQ_SPAN - 1} - ${row}.seq`);

/** The arrival number (seq) of an index rowid, as SQL. */
export function seqOfSearchRowid(rowid: string): RawBuilder<number> {
  return sql<number>`(${sql.lit(SEARCH_SEQ_SPAN - 1)} - ${sql.raw(rowid)} % ${sql.lit(SEARCH_SEQ_SPAN)})`;
}

/** The first key of a consultation's status range, as SQL (NULL when the consultation has no scope yet). */
export function searchRangeStart(consultation: string, status: string | undefined): RawBuilder<number> {
  const code = status !== undefined && Object.hasOwn(SEARCH_STATUS_CODES, status) ? SEARCH_STATUS_CODES[status]! : 0;
  return sql<number>`(((SELECT id FROM search_scopes WHERE consultation = ${consultation}) * 4 + ${code}) * ${sql.lit(SEARCH_SEQ_SPAN)})`;
}

export function searchScopeMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect !== 'sqlite') return;
      for (const t of ['contributions_fts_ai', 'contributions_fts_ad', 'contributions_fts_au']) await sql`DROP TRIGGER IF EXISTS ${sql.id(t)}`.execute(db);
      await sql`DROP TABLE IF EXISTS contributions_fts`.execute(db);
      await sql`CREATE TABLE IF NOT EXISTS search_scopes (id INTEGER PRIMARY KEY, consultation TEXT NOT NULL UNIQUE)`.execute(db);
      await sql`INSERT OR IGNORE INTO search_scopes (consultation) SELECT DISTINCT consultation FROM contributions ORDER BY consultation`.execute(db);
      await sql`CREATE VIRTUAL TABLE contributions_fts USING fts5(search_terms, content='', contentless_delete=1,
        tokenize='unicode61 remove_diacritics 2')`.execute(db);
      await sql`INSERT INTO contributions_fts (rowid, search_terms) SELECT ${KEY('contributions')}, search_terms FROM contributions`.execute(db);
      await sql`CREATE TRIGGER contributions_fts_ai AFTER INSERT ON contributions BEGIN
        INSERT OR IGNORE INTO search_scopes (consultation) VALUES (new.consultation);
        INSERT INTO contributions_fts (rowid, search_terms) VALUES (${KEY('new')}, new.search_terms); END`.execute(db);
      await sql`CREATE TRIGGER contributions_fts_ad AFTER DELETE ON contributions BEGIN
        DELETE FROM contributions_fts WHERE rowid = ${KEY('old')}; END`.execute(db);
      // a moderation decision or a staged import made visible moves the row to another range
      await sql`CREATE TRIGGER contributions_fts_au AFTER UPDATE OF search_terms, consultation, moderation_status ON contributions BEGIN
        INSERT OR IGNORE INTO search_scopes (consultation) VALUES (new.consultation);
        DELETE FROM contributions_fts WHERE rowid = ${KEY('old')};
        INSERT INTO contributions_fts (rowid, search_terms) VALUES (${KEY('new')}, new.search_terms); END`.execute(db);
    },
  };
}
