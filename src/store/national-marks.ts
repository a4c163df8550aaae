/**
 * Marks "relève du niveau national" set by an analyst on a contribution or an idea group (migration 0013):
 * the synthesis lists the marked contributions (and the members of marked groups) in its national section.
 */
import { recordAudit } from './audit.ts';
import type { Store } from './store.ts';

export type NationalTarget = 'contribution' | 'group';
export interface NationalMark { type: NationalTarget; id: string; by: string; at: string }

export async function listNationalMarks(store: Store, consultation: string): Promise<NationalMark[]> {
  const rows = await store.db.selectFrom('national_marks').selectAll().where('consultation', '=', consultation)
    .orderBy('target_type').orderBy('target_id').execute();
  return rows.map((r) => ({ type: r.target_type, id: r.target_id, by: r.marked_by, at: r.marked_at }));
}

/**
 * Sets or clears a mark with its audit entry (`synthesis.national`), in one transaction. Returns false when
 * nothing changed (already in that state): no audit entry then.
 */
export async function setNationalMark(store: Store, consultation: string, target: { type: NationalTarget; id: string; national: boolean },
  audit: { actor: string; at: string }): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('national_marks').select('marked_at').where('consultation', '=', consultation)
      .where('target_type', '=', target.type).where('target_id', '=', target.id).executeTakeFirst();
    if (!!existing === target.national) return false;
    if (target.national) {
      await trx.insertInto('national_marks').values({ consultation, target_type: target.type, target_id: target.id, marked_by: audit.actor, marked_at: audit.at }).execute();
    } else {
      await trx.deleteFrom('national_marks').where('consultation', '=', consultation).where('target_type', '=', target.type).where('target_id', '=', target.id).execute();
    }
    await recordAudit(trx, {
      actor: audit.actor, action: 'synthesis.national', consultation, targetType: target.type, targetId: target.id, at: audit.at,
      before: { national: !!existing }, after: { national: target.national },
    });
    return true;
  });
}
