/**
 * Migration 0012_statement_counters (PostgreSQL only): the public counters of 0007 are kept by statement-level
 * triggers over transition tables for inserts and updates, instead of one trigger call per row. A bulk import or
 * a document published as a whole is then one aggregated upsert per statement: with row triggers, 23,000
 * contributions took 278 s to insert on the test cluster. Deletions keep their row-level BEFORE trigger (the theme
 * rows must still be there to be subtracted), and so does the rare update of a theme row. SQLite keeps its
 * row triggers (no transition tables; its writes never went through the network either).
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import { COUNTED, counterRows, PAIR_SEPARATOR, PAIRS, upsert } from './migration-0007-public-stats.ts';
import type { Dialect } from './schema.ts';

const changed = (cols: readonly string[]) => cols.map((c) => `o.${c} IS DISTINCT FROM n.${c}`).join(' OR ');

/** The theme counters of the theme rows of `source` (aliased t), joined to their contribution. */
function themeRows(source: string, n: string): string {
  return [
    `SELECT c.consultation AS consultation, 'theme' AS dimension, t.theme AS value, c.moderation_status AS moderation_status, ${n} AS n
      FROM ${source} t JOIN contributions c ON c.id = t.contribution_id`,
    ...PAIRS.filter(([a]) => a[0] === 'theme').map(([, b]) => `SELECT c.consultation, 'theme+${b[0]}', t.theme || '${PAIR_SEPARATOR}' || ${b[1].replace(/R\./g, 'c.')},
      c.moderation_status, ${n} FROM ${source} t JOIN contributions c ON c.id = t.contribution_id`),
  ].join('\n    UNION ALL ');
}

export function statementCountersMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect !== 'postgres') return;
      const run = (s: string) => sql.raw(s).execute(db);
      await run('DROP TRIGGER IF EXISTS contribution_counts_ai ON contributions');
      await run('DROP TRIGGER IF EXISTS contribution_counts_au ON contributions');
      await run('DROP TRIGGER IF EXISTS contribution_counts_themes_aid ON contribution_themes');

      await run(`CREATE FUNCTION contribution_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN ${upsert(counterRows('c', '1', 'inserted_rows'))}; RETURN NULL; END $f$`);
      await run(`CREATE TRIGGER contribution_counts_ai AFTER INSERT ON contributions REFERENCING NEW TABLE AS inserted_rows
        FOR EACH STATEMENT EXECUTE FUNCTION contribution_counts_on_insert()`);

      // rows whose counted columns changed move between counters; the others may only enter or leave "without theme"
      const moved = (side: 'o' | 'n') => `(SELECT ${side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${changed(COUNTED)})`;
      await run(`CREATE FUNCTION contribution_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          ${upsert(`${counterRows('c', '-1', moved('o'))} UNION ALL ${counterRows('c', '1', moved('n'))}
            UNION ALL SELECT n.consultation AS consultation, 'without_theme' AS dimension, '' AS value, n.moderation_status AS moderation_status,
              CASE WHEN n.theme_count = 0 THEN 1 ELSE -1 END AS n
              FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE NOT (${changed(COUNTED)}) AND (o.theme_count = 0) <> (n.theme_count = 0)`)};
          RETURN NULL;
        END $f$`);
      // transition tables do not go with a column list: every update statement, filtered inside
      await run(`CREATE TRIGGER contribution_counts_au AFTER UPDATE ON contributions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION contribution_counts_on_update()`);

      await run(`CREATE FUNCTION contribution_counts_on_theme_insert() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
          ${upsert(themeRows('inserted_themes', '1'))};
          UPDATE contributions SET theme_count = contributions.theme_count + x.k
            FROM (SELECT contribution_id, count(*) AS k FROM inserted_themes GROUP BY contribution_id) x WHERE contributions.id = x.contribution_id;
          RETURN NULL;
        END $f$`);
      await run(`CREATE TRIGGER contribution_counts_themes_ai AFTER INSERT ON contribution_themes REFERENCING NEW TABLE AS inserted_themes
        FOR EACH STATEMENT EXECUTE FUNCTION contribution_counts_on_theme_insert()`);
      // deletions of theme rows (one by one, or by the cascade of a contribution's deletion) stay row-level
      await run(`CREATE TRIGGER contribution_counts_themes_ad AFTER DELETE ON contribution_themes FOR EACH ROW EXECUTE FUNCTION contribution_counts_on_theme()`);
    },
  };
}
