/**
 * Reads the contribution counters of migration 0007_public_stats: statistics and list totals in a few
 * milliseconds whatever the number of contributions (one indexed read of a few dozen rows).
 */
import type { Kysely } from 'kysely';
import type { ConsultationFigures, ConsultationStats } from '../domain/consultation.ts';
import { PAIR_SEPARATOR } from './migration-0007-public-stats.ts';
import type { Database } from './schema.ts';
import type { DatabaseHandle } from './schema.ts';
import { PUBLIC_MODERATION_STATUS } from '../domain/contribution.ts';

/** Which moderation statuses to count; every status when omitted. */
export interface CountScope { moderation?: readonly string[] }

const UNSET = '(non renseigné)';
const DIMENSIONS = { kind: 'byKind', meeting: 'byMeeting', college: 'byCollege', channel: 'byChannel', theme: 'byTheme' } as const;

type Counted = Pick<ConsultationStats, 'contributions' | 'byTheme' | 'byKind' | 'byMeeting' | 'byCollege' | 'byChannel' | 'withoutTheme'>;

const emptyCounted = (): Counted => ({ contributions: 0, byTheme: {}, byKind: {}, byMeeting: {}, byCollege: {}, byChannel: {}, withoutTheme: 0 });

/** The counters of a consultation's contributions, summed over the statuses in scope. */
export async function countedStats(db: Kysely<Database>, consultation: string, scope: CountScope = {}): Promise<Counted> {
  return (await countedStatsOf(db, [consultation], scope)).get(consultation) ?? emptyCounted();
}

/** The counters of several consultations (every one when `consultations` is undefined), in one read. */
async function countedStatsOf(db: Kysely<Database>, consultations: readonly string[] | undefined, scope: CountScope): Promise<Map<string, Counted>> {
  const out = new Map<string, Counted>();
  if (consultations?.length === 0) return out;
  let q = db.selectFrom('contribution_counts').select(['consultation', 'dimension', 'value', 'n'])
    .where('dimension', 'in', ['total', 'without_theme', ...Object.keys(DIMENSIONS)]).where('n', '<>', 0);
  if (consultations) q = q.where('consultation', 'in', [...consultations]);
  if (scope.moderation) q = q.where('moderation_status', 'in', scope.moderation.length ? [...scope.moderation] : ['\u2205']);
  for (const r of await q.execute()) {
    let o = out.get(r.consultation);
    if (!o) { o = emptyCounted(); out.set(r.consultation, o); }
    const n = Number(r.n);
    if (r.dimension === 'total') o.contributions += n;
    else if (r.dimension === 'without_theme') o.withoutTheme += n;
    else {
      const key = DIMENSIONS[r.dimension as keyof typeof DIMENSIONS];
      if (!key) continue;
      const value = r.value === '' && r.dimension !== 'theme' ? UNSET : r.value;
      o[key][value] = (o[key][value] ?? 0) + n;
    }
  }
  return out;
}

/**
 * The public figures of consultations (every one when `consultations` is undefined): their public contributions
 * (the publication rule's status only: never pending, rejected or any other status) by theme, kind, meeting,
 * college and channel, with their meetings and imported documents. One read of the counters and two group-bys.
 */
export async function publicFigures(store: DatabaseHandle, consultations?: readonly string[]): Promise<Map<string, ConsultationFigures>> {
  const counted = await countedStatsOf(store.db, consultations, { moderation: [PUBLIC_MODERATION_STATUS] });
  const among = consultations ? (consultations.length ? [...consultations] : ['\u2205']) : undefined;
  let dq = store.db.selectFrom('source_documents').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('consultation');
  if (among) dq = dq.where('consultation', 'in', among);
  const documents = new Map((await dq.execute()).map((r) => [r.consultation, Number(r.n)]));
  let mq = store.db.selectFrom('meetings').select(['consultation', (eb) => eb.fn.countAll<number>().as('n'),
    (eb) => eb.fn.sum<number | null>('p_total').as('p'), (eb) => eb.fn.count<number>('p_total').as('pn')]).groupBy('consultation');
  if (among) mq = mq.where('consultation', 'in', among);
  const meetings = new Map((await mq.execute()).map((r) => [r.consultation, { n: Number(r.n), p: r.p === null ? null : Number(r.p), pn: Number(r.pn) }]));
  const slugs = consultations ?? [...new Set([...counted.keys(), ...documents.keys(), ...meetings.keys()])];
  return new Map(slugs.map((slug) => {
    const m = meetings.get(slug);
    return [slug, {
      consultation: slug, ...(counted.get(slug) ?? emptyCounted()), documents: documents.get(slug) ?? 0, meetings: m?.n ?? 0,
      participants: m && m.pn > 0 ? m.p : null, meetingsWithParticipants: m?.pn ?? 0,
    }];
  }));
}

/** Contributions of a consultation that are not public, by moderation status (for the back office, never public). */
export async function withheldCounts(store: DatabaseHandle, consultation: string): Promise<Record<string, number>> {
  const rows = await store.db.selectFrom('contribution_counts').select(['moderation_status', 'n'])
    .where('consultation', '=', consultation).where('dimension', '=', 'total').where('moderation_status', '<>', PUBLIC_MODERATION_STATUS)
    .where('n', '<>', 0).execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.moderation_status] = (out[r.moderation_status] ?? 0) + Number(r.n);
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
