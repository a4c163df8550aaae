/**
 * Write queue of the public form: submissions arriving together are stored in one transaction
 * (SQLite commits are the bottleneck under load), each caller being answered once its batch is
 * committed. A failed batch is retried item by item so one bad item does not fail the others.
 * A database that is momentarily away or locked (restart, lost connection, CLI import) is waited
 * for with backoff instead of failing; only after that does the caller get the fault (503).
 */
import type { Store } from '../store/store.ts';
import { databaseFault, isTransientFault } from '../store/faults.ts';
import { addContributionsWithOriginals, type NewPrivateContribution } from '../store/moderation.ts';

/** Submissions are recorded in the audit log like every other change (anonymous actor). */
const AUDIT = { actor: 'visiteur', action: 'contribution.submit' };

/** Pauses before each new attempt after a transient fault (about 4 s in all). */
const RETRY_PAUSES_MS = [200, 500, 1000, 2000];

interface Pending { consultation: string; item: NewPrivateContribution; resolve: () => void; reject: (e: unknown) => void }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FormQueue {
  private pending: Pending[] = [];
  private running = false;

  constructor(private readonly store: Store, private readonly maxBatch = 500, private readonly retryPausesMs = RETRY_PAUSES_MS) {}

  add(consultation: string, item: NewPrivateContribution): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ consultation, item, resolve, reject });
      if (!this.running) { this.running = true; setImmediate(() => void this.drain()); }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        const byConsultation = new Map<string, Pending[]>();
        for (const p of batch) byConsultation.set(p.consultation, [...(byConsultation.get(p.consultation) ?? []), p]);
        for (const [consultation, list] of byConsultation) {
          try {
            await this.write(consultation, list);
          } catch (e) {
            // the database is away: retrying item by item would only make every caller wait longer
            if (isTransientFault(e)) { for (const p of list) p.reject(e); continue; }
            for (const p of list) {
              try { await this.write(consultation, [p]); } catch (err) { p.reject(err); }
            }
          }
        }
      }
    } finally {
      this.running = false;
      if (this.pending.length > 0) { this.running = true; setImmediate(() => void this.drain()); }
    }
  }

  /** Stores the items and answers their callers, retrying transient faults. */
  private async write(consultation: string, list: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await addContributionsWithOriginals(this.store, consultation, list.map((p) => p.item), AUDIT);
        for (const p of list) p.resolve();
        return;
      } catch (e) {
        const pause = this.retryPausesMs[attempt];
        // a SQLite lock was already waited for (asynchronously) by the driver: only a lost server is retried here
        if (databaseFault(e)?.kind !== 'unavailable' || pause === undefined) throw e;
        await sleep(pause);
        // A connection lost during COMMIT may have committed: those items are stored, never twice.
        try {
          const stored = await this.store.existingContributionIds(list.map((p) => p.item.contribution.id));
          for (const p of list) if (stored.has(p.item.contribution.id)) p.resolve();
          list = list.filter((p) => !stored.has(p.item.contribution.id));
          if (list.length === 0) return;
        } catch (err) {
          if (!isTransientFault(err)) throw err;
        }
      }
    }
  }

  /** Resolves once everything queued so far is stored. */
  async flush(): Promise<void> {
    while (this.running || this.pending.length) await new Promise((r) => setTimeout(r, 5));
  }
}
