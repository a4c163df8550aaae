/**
 * Migration 0007_public_stats: counters of contributions per consultation × dimension × value × moderation
 * status, kept exact by triggers whatever path writes (imports, form, moderation, analysis), so statistics and
 * list totals never count rows at request time. Released: never edit, add a new migration instead.
 *
 * Dimensions: 'total' (value ''), 'kind', 'meeting', 'college', 'channel' (value '' when unset), 'theme'
 * (one count per assigned theme), 'without_theme' (value ''), 'seq_bucket' (see SEQ_BUCKET) and the pairs of the public list's filters
 * ('theme+kind', 'theme+meeting', 'theme+college', 'kind+meeting', 'kind+college', 'meeting+college'; value: the two
 * values joined by PAIR_SEPARATOR), so that a list filtered on one or two of them counts nothing at request time. `contributions.theme_count` (number of theme
 * assignments of the contribution, maintained by the theme triggers) tells whether a contribution has a theme
 * without looking at its theme rows; counting "without theme" from the theme rows in a trigger would depend on
 * the order in which PostgreSQL fires row triggers within a statement.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './schema.ts';

/** Columns whose change moves a contribution between counters. */
export const COUNTED = ['consultation', 'kind', 'meeting', 'author_college', 'channel', 'moderation_status'] as const;

/**
 * Width of the arrival-order buckets counted per status ('seq_bucket', value: seq / SEQ_BUCKET): a deep page of a
 * list finds the bucket holding its first row from the counters, then skips at most this many index entries.
 */
export const SEQ_BUCKET = 10_000;

/**
 * Separator of the two values of a pair dimension (never in a code, a kind, a college or a meeting id). A printable
 * symbol (U+241F), not a control character: every query parameter is cleaned of control characters (sanitize-plugin).
 */
export const PAIR_SEPARATOR = '\u241f';

/** The filters of the public list: each one and each pair of them has its counters, so their totals are reads. */
export const FILTERED = [['theme', 't.theme'], ['kind', 'coalesce(R.kind, \'\')'], ['meeting', 'coalesce(R.meeting, \'\')'], ['college', 'coalesce(R.author_college, \'\')']] as const;
export const PAIRS = FILTERED.flatMap((a, i) => FILTERED.slice(i + 1).map((b) => [a, b] as const));

/**
 * The counter rows of contributions, with sign `n`: in a trigger, of the row variable `r` ('new' / 'old' in SQLite,
 * a row variable in PostgreSQL); for the back-fill (`r` = 'c'), of every contribution.
 */
export function counterRows(r: string, n: string, every: boolean | string = false): string {
  // `every`: true for the table itself, or the SQL of a row source (a transition table) aliased as `r`
  const source = every === true ? 'contributions' : every;
  const from = every ? ` FROM ${source} ${r}` : '';
  const themed = every ? ` FROM contribution_themes t JOIN ${source} ${r} ON ${r}.id = t.contribution_id` : ` FROM contribution_themes t WHERE t.contribution_id = ${r}.id`;
  const v = (expr: string) => expr.replace(/R\./g, `${r}.`);
  const row = (dimension: string, value: string, source: string) => `SELECT ${r}.consultation AS consultation, '${dimension}' AS dimension, ${value} AS value, ${r}.moderation_status AS moderation_status, ${n} AS n${source}`;
  return [
    row('total', "''", from),
    row('kind', v(FILTERED[1][1]), from),
    row('meeting', v(FILTERED[2][1]), from),
    row('college', v(FILTERED[3][1]), from),
    row('channel', `${r}.channel`, from),
    row('theme', 't.theme', themed),
    `${row('without_theme', "''", from)} WHERE ${r}.theme_count = 0`,
    row('seq_bucket', `CAST(${r}.seq / ${SEQ_BUCKET} AS text)`, from),
    ...PAIRS.map(([a, b]) => row(`${a[0]}+${b[0]}`, `${v(a[1])} || '${PAIR_SEPARATOR}' || ${v(b[1])}`, a[0] === 'theme' ? themed : from)),
  ].join('\n    UNION ALL ');
}

/** Adds the rows of `select` (consultation, dimension, value, moderation_status, n) to the counters. */
export function upsert(select: string): string {
  return `INSERT INTO contribution_counts AS k (consultation, dimension, value, moderation_status, n)
    SELECT consultation, dimension, value, moderation_status, sum(n) FROM (${select}) AS d WHERE true
    GROUP BY consultation, dimension, value, moderation_status
    ON CONFLICT (consultation, dimension, value, moderation_status) DO UPDATE SET n = k.n + excluded.n`;
}

/** The counter rows of one theme row `r` of a contribution still present (a cascade from its deletion finds none). */
const themeOfParent = (r: string, n: string) => [
  `SELECT c.consultation AS consultation, 'theme' AS dimension, ${r}.theme AS value, c.moderation_status AS moderation_status, ${n} AS n
    FROM contributions c WHERE c.id = ${r}.contribution_id`,
  ...PAIRS.filter(([a]) => a[0] === 'theme').map(([, b]) => `SELECT c.consultation, 'theme+${b[0]}', ${r}.theme || '${PAIR_SEPARATOR}' || ${b[1].replace(/R\./g, 'c.')},
    c.moderation_status, ${n} FROM contributions c WHERE c.id = ${r}.contribution_id`),
].join('\n    UNION ALL ');

export const distinct = (sep: string, cols: readonly string[], a: string, b: string) => cols.map((c) => `${a}.${c} IS DISTINCT FROM ${b}.${c}`).join(sep);

async function backfill(db: Kysely<any>): Promise<void> {
  await sql.raw(`UPDATE contributions SET theme_count = (SELECT count(*) FROM contribution_themes t WHERE t.contribution_id = contributions.id)`).execute(db);
  await sql.raw(`INSERT INTO contribution_counts (consultation, dimension, value, moderation_status, n)
    SELECT consultation, dimension, value, moderation_status, sum(n) FROM (${counterRows('c', '1', true)}) AS d
    GROUP BY consultation, dimension, value, moderation_status`).execute(db);
}

export function publicStatsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      // No foreign key to consultations: deleting a consultation deletes its contributions first (cascade), whose
      // triggers bring its counters to zero.
      await db.schema.createTable('contribution_counts')
        .addColumn('consultation', 'text', (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('moderation_status', 'text', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('contribution_counts_pk', ['consultation', 'dimension', 'value', 'moderation_status'])
        .execute();
      await db.schema.alterTable('contributions').addColumn('theme_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // The public list pages published contributions newest first; with the id, a theme filter is checked
      // from the index alone (no table read per skipped row).
      await db.schema.createIndex('contributions_consultation_status_seq').on('contributions').columns(['consultation', 'moderation_status', 'seq', 'id']).execute();
      await backfill(db);

      if (dialect === 'sqlite') {
        const run = (s: string) => sql.raw(s).execute(db);
        await run(`CREATE TRIGGER contribution_counts_ai AFTER INSERT ON contributions BEGIN ${upsert(counterRows('new', '1'))}; END`);
        // BEFORE: the theme rows are still there to be subtracted (the cascade removes them after the row).
        await run(`CREATE TRIGGER contribution_counts_bd BEFORE DELETE ON contributions BEGIN ${upsert(counterRows('old', '-1'))}; END`);
        await run(`CREATE TRIGGER contribution_counts_au AFTER UPDATE OF ${COUNTED.join(', ')} ON contributions
          WHEN ${distinct(' OR ', COUNTED, 'old', 'new')}
          BEGIN ${upsert(`${counterRows('old', '-1')} UNION ALL ${counterRows('new', '1')}`)}; END`);
        await run(`CREATE TRIGGER contribution_counts_au_themed AFTER UPDATE OF theme_count ON contributions
          WHEN (old.theme_count = 0) <> (new.theme_count = 0) AND NOT (${distinct(' OR ', COUNTED, 'old', 'new')})
          BEGIN ${upsert(`SELECT new.consultation AS consultation, 'without_theme' AS dimension, '' AS value, new.moderation_status AS moderation_status,
            CASE WHEN new.theme_count = 0 THEN 1 ELSE -1 END AS n`)}; END`);
        // A theme row removed by the cascade of its contribution's deletion finds no parent: already subtracted.
        await run(`CREATE TRIGGER contribution_counts_themes_ai AFTER INSERT ON contribution_themes BEGIN
          ${upsert(themeOfParent('new', '1'))};
          UPDATE contributions SET theme_count = theme_count + 1 WHERE id = new.contribution_id; END`);
        await run(`CREATE TRIGGER contribution_counts_themes_ad AFTER DELETE ON contribution_themes BEGIN
          ${upsert(themeOfParent('old', '-1'))};
          UPDATE contributions SET theme_count = theme_count - 1 WHERE id = old.contribution_id; END`);
        await run(`CREATE TRIGGER contribution_counts_themes_au AFTER UPDATE OF contribution_id, theme ON contribution_themes
          WHEN old.contribution_id IS NOT new.contribution_id OR old.theme IS NOT new.theme BEGIN
          ${upsert(`${themeOfParent('old', '-1')} UNION ALL ${themeOfParent('new', '1')}`)};
          UPDATE contributions SET theme_count = theme_count - 1 WHERE id = old.contribution_id;
          UPDATE contributions SET theme_count = theme_count + 1 WHERE id = new.contribution_id; END`);
      } else {
        const run = (s: string) => sql.raw(s).execute(db);
        await run(`CREATE FUNCTION contribution_counts_add(r contributions, sign integer) RETURNS void LANGUAGE sql AS $f$
          ${upsert(counterRows('r', 'sign'))} $f$`);
        await run(`CREATE FUNCTION contribution_counts_on_contribution() RETURNS trigger LANGUAGE plpgsql AS $f$
          BEGIN
            IF TG_OP = 'INSERT' THEN PERFORM contribution_counts_add(NEW, 1); RETURN NEW; END IF;
            IF TG_OP = 'DELETE' THEN PERFORM contribution_counts_add(OLD, -1); RETURN OLD; END IF;
            IF ${distinct(' OR ', COUNTED, 'OLD', 'NEW')} THEN
              PERFORM contribution_counts_add(OLD, -1);
              PERFORM contribution_counts_add(NEW, 1);
            ELSIF (OLD.theme_count = 0) <> (NEW.theme_count = 0) THEN
              ${upsert(`SELECT NEW.consultation AS consultation, 'without_theme' AS dimension, '' AS value, NEW.moderation_status AS moderation_status,
                CASE WHEN NEW.theme_count = 0 THEN 1 ELSE -1 END AS n`)};
            END IF;
            RETURN NEW;
          END $f$`);
        await run(`CREATE TRIGGER contribution_counts_ai AFTER INSERT ON contributions FOR EACH ROW EXECUTE FUNCTION contribution_counts_on_contribution()`);
        await run(`CREATE TRIGGER contribution_counts_bd BEFORE DELETE ON contributions FOR EACH ROW EXECUTE FUNCTION contribution_counts_on_contribution()`);
        await run(`CREATE TRIGGER contribution_counts_au AFTER UPDATE OF ${COUNTED.join(', ')}, theme_count ON contributions FOR EACH ROW
          EXECUTE FUNCTION contribution_counts_on_contribution()`);
        await run(`CREATE FUNCTION contribution_counts_on_theme() RETURNS trigger LANGUAGE plpgsql AS $f$
          BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
              ${upsert(themeOfParent('OLD', '-1'))};
              UPDATE contributions SET theme_count = theme_count - 1 WHERE id = OLD.contribution_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
              ${upsert(themeOfParent('NEW', '1'))};
              UPDATE contributions SET theme_count = theme_count + 1 WHERE id = NEW.contribution_id;
            END IF;
            RETURN NULL;
          END $f$`);
        await run(`CREATE TRIGGER contribution_counts_themes_aid AFTER INSERT OR DELETE ON contribution_themes FOR EACH ROW EXECUTE FUNCTION contribution_counts_on_theme()`);
        await run(`CREATE TRIGGER contribution_counts_themes_au AFTER UPDATE OF contribution_id, theme ON contribution_themes FOR EACH ROW
          WHEN (OLD.contribution_id IS DISTINCT FROM NEW.contribution_id OR OLD.theme IS DISTINCT FROM NEW.theme)
          EXECUTE FUNCTION contribution_counts_on_theme()`);
      }
    },
  };
}
