/**
 * Write queue of the public form: submissions arriving together are stored in one transaction
 * (SQLite commits are the bottleneck under load), each caller being answered once its batch is
 * committed. A failed batch is retried item by item so one bad item does not fail the others.
 */
import type { Store } from '../store/store.ts';
import { addContributionsWithOriginals, type NewPrivateContribution } from '../store/moderation.ts';

/** Submissions are recorded in the audit log like every other change (anonymous actor). */
const AUDIT = { actor: 'visiteur', action: 'contribution.submit' };

interface Pending { consultation: string; item: NewPrivateContribution; resolve: () => void; reject: (e: unknown) => void }

export class FormQueue {
  private pending: Pending[] = [];
  private running = false;

  constructor(private readonly store: Store, private readonly maxBatch = 500) {}

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
            await addContributionsWithOriginals(this.store, consultation, list.map((p) => p.item), AUDIT);
            for (const p of list) p.resolve();
          } catch {
            for (const p of list) {
              try { await addContributionsWithOriginals(this.store, consultation, [p.item], AUDIT); p.resolve(); } catch (e) { p.reject(e); }
            }
          }
        }
      }
    } finally {
      this.running = false;
      if (this.pending.length > 0) { this.running = true; setImmediate(() => void this.drain()); }
    }
  }

  /** Resolves once everything queued so far is stored. */
  async flush(): Promise<void> {
    while (this.running || this.pending.length) await new Promise((r) => setTimeout(r, 5));
  }
}
