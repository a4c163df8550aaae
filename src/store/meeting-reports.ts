/**
 * The one typed-in report of a meeting (migration 0016_meeting_reports): a draft kept as typed, or a
 * submitted report whose entries are contributions. A resubmission keeps the entries that did not change
 * (with their moderation), adds the new ones and removes the others, in one transaction with the meeting's
 * participants, the report row and their audit entries.
 */
import type { Meeting, Participants } from '../domain/meeting.ts';
import { recordAudit } from './audit.ts';
import { addContributionsWithOriginals, type NewPrivateContribution } from './moderation.ts';
import type { Database, Db } from './schema.ts';
import { flagStaleRestitutions } from './stale-restitutions.ts';
import type { Store } from './store.ts';

export interface ReportEntries { theme: string; problematiques: string[]; solutions: string[]; leviers: string[] }

export interface ReportAnomaly { level: 'warning' | 'info'; code: string; message: string }

export interface MeetingReportRecord {
  meeting: string;
  consultation: string;
  status: 'draft' | 'submitted';
  participants: Participants;
  /** the entries as typed while a draft is pending */
  draft: ReportEntries[] | null;
  /** contributions of the last submission */
  contributions: string[];
  anomalies: ReportAnomaly[];
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  submittedBy: string | null;
}

function fromRow(r: Database['meeting_reports']): MeetingReportRecord {
  return {
    meeting: r.meeting_id, consultation: r.consultation, status: r.status === 'submitted' ? 'submitted' : 'draft',
    participants: JSON.parse(r.participants_json) as Participants,
    draft: r.draft_json === null ? null : JSON.parse(r.draft_json) as ReportEntries[],
    contributions: JSON.parse(r.contributions_json) as string[], anomalies: JSON.parse(r.anomalies_json) as ReportAnomaly[],
    updatedAt: r.updated_at, updatedBy: r.updated_by, submittedAt: r.submitted_at, submittedBy: r.submitted_by,
  };
}

export async function getMeetingReport(store: Store, meeting: string): Promise<MeetingReportRecord | undefined> {
  const r = await store.db.selectFrom('meeting_reports').selectAll().where('meeting_id', '=', meeting).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

function toRow(r: MeetingReportRecord): Database['meeting_reports'] {
  return {
    meeting_id: r.meeting, consultation: r.consultation, status: r.status, participants_json: JSON.stringify(r.participants),
    draft_json: r.draft === null ? null : JSON.stringify(r.draft), contributions_json: JSON.stringify(r.contributions),
    anomalies_json: JSON.stringify(r.anomalies), updated_at: r.updatedAt, updated_by: r.updatedBy,
    submitted_at: r.submittedAt, submitted_by: r.submittedBy,
  };
}

async function upsertIn(db: Db, r: MeetingReportRecord): Promise<void> {
  const row = toRow(r);
  const { meeting_id: _id, ...rest } = row;
  await db.insertInto('meeting_reports').values(row).onConflict((oc) => oc.column('meeting_id').doUpdateSet(rest)).execute();
}

// what the audit keeps of a report: counts and anomalies, never the texts
const auditView = (r: MeetingReportRecord) => ({
  status: r.status, participants: r.participants, contributions: r.contributions.length,
  draftEntries: r.draft ? r.draft.reduce((n, t) => n + t.problematiques.length + t.solutions.length + t.leviers.length, 0) : 0,
  anomalies: r.anomalies.map((a) => a.code),
});

/** Saves a draft (the meeting and its contributions are left as they are), audited. */
export async function saveReportDraft(store: Store, r: MeetingReportRecord, before: MeetingReportRecord | undefined): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await upsertIn(trx, r);
    await recordAudit(trx, {
      actor: r.updatedBy, action: 'meeting.report.draft', consultation: r.consultation, targetType: 'meeting', targetId: r.meeting,
      at: r.updatedAt, before: before ? auditView(before) : null, after: auditView(r),
    });
  });
}

export interface ReportSubmission {
  record: MeetingReportRecord;
  before: MeetingReportRecord | undefined;
  meeting: Meeting;
  participantsBefore: Participants;
  /** new entries, pending moderation */
  add: NewPrivateContribution[];
  /** contributions of the previous submission no longer in the report */
  remove: { id: string; public: boolean }[];
}

/** Submits a report: contributions added and removed, meeting participants, report row, audit; one transaction. */
export async function submitReport(store: Store, s: ReportSubmission): Promise<void> {
  const { record: r } = s;
  await addContributionsWithOriginals(store, r.consultation, s.add, { actor: r.updatedBy, action: 'contribution.report' }, async (db) => {
    for (const gone of s.remove) {
      // cascades remove its themes, idea memberships and original text; a public one leaves restitutions stale
      await db.deleteFrom('contributions').where('id', '=', gone.id).where('consultation', '=', r.consultation).execute();
      await recordAudit(db, {
        actor: r.updatedBy, action: 'contribution.report.remove', consultation: r.consultation, targetType: 'contribution', targetId: gone.id,
        at: r.updatedAt, before: { meeting: r.meeting, public: gone.public }, after: null,
      });
      if (gone.public) await flagStaleRestitutions(db, r.consultation, gone.id, r.updatedAt, r.updatedBy, 'une entrée de compte-rendu a été retirée par une nouvelle saisie');
    }
    const p = s.meeting.participants;
    await db.updateTable('meetings').set({
      p_elus: p.elus, p_institutionnels: p.institutionnels, p_professionnels: p.professionnels, p_associations: p.associations,
      p_usagers: p.usagers, p_autres: p.autres, p_total: p.total,
    }).where('id', '=', s.meeting.id).execute();
    await upsertIn(db, r);
    await recordAudit(db, {
      actor: r.updatedBy, action: 'meeting.report', consultation: r.consultation, targetType: 'meeting', targetId: r.meeting, at: r.updatedAt,
      before: { participants: s.participantsBefore, ...(s.before ? { report: auditView(s.before) } : {}) },
      after: { participants: p, report: auditView(r), added: s.add.length, removed: s.remove.length },
    });
  });
}
