/**
 * Reads the contribution counters of migration 0007_public_stats: statistics and list totals in a few
 * milliseconds whatever the number of contributions (one indexed read of a few dozen rows).
 */
import type { Kysely } from 'kysely';
import type { ConsultationStats } from '../domain/consultation.ts';
import { PAIR_SEPARATOR } from './migration-0007-public-stats.ts';
import type { Database } from './schema.ts';
import type { DatabaseHandle } from './schema.ts';
import { PUBLIC_MODERATION_STATUS } from '../domain/contribution.ts';

/** Which moderation statuses to count; every status when omitted. */
export interface CountScope { moderation?: readonly string[] }

const UNSET = '(non renseigné)';
const DIMENSIONS = { kind: 'byKind', meeting: 'byMeeting', college: 'byCollege', channel: 'byChannel', theme: 'byTheme' } as const;

/** The counters of a consultation's contributions, summed over the statuses in scope. */
export async function countedStats(db: Kysely<Database>, consultation: string, scope: CountScope = {}):
  Promise<Pick<ConsultationStats, 'contributions' | 'byTheme' | 'byKind' | 'byMeeting' | 'byCollege' | 'byChannel' | 'withoutTheme'>> {
  let q = db.selectFrom('contribution_counts').select(['dimension', 'value', 'n']).where('consultation', '=', consultation)
    .where('dimension', 'in', ['total', 'without_theme', ...Object.keys(DIMENSIONS)]).where('n', '<>', 0);
  if (scope.moderation) q = q.where('moderation_status', 'in', scope.moderation.length ? [...scope.moderation] : ['\u2205']);
  const out = { contributions: 0, byTheme: {}, byKind: {}, byMeeting: {}, byCollege: {}, byChannel: {}, withoutTheme: 0 } as
    Pick<ConsultationStats, 'contributions' | 'byTheme' | 'byKind' | 'byMeeting' | 'byCollege' | 'byChannel' | 'withoutTheme'>;
  for (const r of await q.execute()) {
    const n = Number(r.n);
    if (r.dimension === 'total') out.contributions += n;
    else if (r.dimension === 'without_theme') out.withoutTheme += n;
    else {
      const key = DIMENSIONS[r.dimension as keyof typeof DIMENSIONS];
      if (!key) continue;
      const value = r.value === '' && r.dimension !== 'theme' ? UNSET : r.value;
      out[key][value] = (out[key][value] ?? 0) + n;
    }
  }
  return out;
}

/** Dimensions of the list filters that have counters, alone and in pairs (in this order within a pair). */
const FILTER_DIMENSIONS = ['theme', 'kind', 'meeting', 'college'] as const;

/**
 * The number of contributions matching a filter, from the counters, or undefined when the counters do not hold it
 * (more than two of theme/kind/meeting/college, the channel with another dimension, ids, a document…) and it
 * must be counted from the rows.
 */
export async function countFromCounters(db: Kysely<Database>, consultation: string, f: Record<string, unknown>): Promise<number | undefined> {
  const set = Object.keys(f).filter((k) => f[k] !== undefined && k !== 'moderation');
  let dimension: string;
  let value: string;
  if (set.length === 0) { dimension = 'total'; value = ''; }
  else if (set.length === 1 && (set[0] === 'channel' || FILTER_DIMENSIONS.includes(set[0] as typeof FILTER_DIMENSIONS[number]))) {
    dimension = set[0]!; value = String(f[set[0]!]);
  } else if (set.length === 2 && set.every((k) => FILTER_DIMENSIONS.includes(k as typeof FILTER_DIMENSIONS[number]))) {
    const [a, b] = FILTER_DIMENSIONS.filter((d) => set.includes(d));
    dimension = `${a}+${b}`; value = `${String(f[a!])}${PAIR_SEPARATOR}${String(f[b!])}`;
  } else return undefined;
  let q = db.selectFrom('contribution_counts').select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('consultation', '=', consultation).where('dimension', '=', dimension).where('value', '=', value);
  if (f.moderation !== undefined) q = q.where('moderation_status', '=', String(f.moderation));
  const r = await q.executeTakeFirst();
  return Number(r?.n ?? 0);
}
/** Number of contributions of every consultation (in the statuses of the scope), from the counters. */
export async function contributionTotals(db: Kysely<Database>, scope: CountScope = {}): Promise<Map<string, number>> {
  let q = db.selectFrom('contribution_counts').select(['consultation', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('dimension', '=', 'total').groupBy('consultation');
  if (scope.moderation) q = q.where('moderation_status', 'in', scope.moderation.length ? [...scope.moderation] : ['\u2205']);
  return new Map((await q.execute()).map((r) => [r.consultation, Number(r.n)]));
}

/** Published contributions of each consultation (the publication rule's counters). */
export async function publicContributionTotals(store: DatabaseHandle): Promise<Map<string, number>> {
  return contributionTotals(store.db, { moderation: [PUBLIC_MODERATION_STATUS] });
}
