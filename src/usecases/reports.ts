/**
 * Workshop reports typed in the back office: one report per meeting, saved as a draft (nothing enters
 * moderation, the meeting is unchanged) or submitted (its entries become contributions, pseudonymised and
 * pending moderation like every channel). A resubmission updates the report: unchanged entries keep their
 * contribution and its moderation, new ones are added, removed or edited ones are withdrawn — never copies.
 */
import { randomBytes } from 'node:crypto';
import { isPublic, type Contribution, type ContributionKind, type Provenance } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import { participantsMismatch, type Meeting, type Participants } from '../domain/meeting.ts';
import { getMeetingReport, saveReportDraft, submitReport, type MeetingReportRecord, type ReportAnomaly, type ReportEntries } from '../store/meeting-reports.ts';
import { privateTexts, type NewPrivateContribution } from '../store/moderation.ts';
import type { UseCaseContext } from './context.ts';
import { requireConsultation, requireMeeting } from './consultations.ts';

export type { ReportAnomaly, ReportEntries };

export interface WorkshopReportInput {
  meeting: string;
  participants: Participants;
  /** save without submitting: kept as typed, nothing enters moderation, the meeting is unchanged */
  draft?: boolean;
  themes: { theme: string; problematiques?: string[]; solutions?: string[]; leviers?: string[] }[];
}

type Part = 'problematiques' | 'solutions' | 'leviers';
const REPORT_PARTS: [Part, ContributionKind, string][] = [
  ['problematiques', 'constat', 'Problématiques'], ['solutions', 'proposition', 'Solutions co-construites'], ['leviers', 'levier_frein', 'Leviers et freins'],
];

export interface WorkshopReportView {
  meeting: Meeting;
  /** none: nothing saved yet; draft: saved, not submitted (a previous submission may exist: submittedAt) */
  status: 'none' | 'draft' | 'submitted';
  participants: Participants;
  themes: ReportEntries[];
  /** contributions of the last submission still stored */
  contributions: number;
  ids: string[];
  anomalies: ReportAnomaly[];
  updatedAt: string | null;
  updatedBy: string | null;
  submittedAt: string | null;
}

/** The anomalies of a report, worded as the workshop-report importer words them. */
function anomaliesOf(meeting: Meeting, p: Participants): ReportAnomaly[] {
  const m = participantsMismatch(p);
  return m ? [{
    level: 'warning', code: 'participants.total_mismatch',
    message: `Total des participants indiqué (${m.total}) différent de la somme des collèges (${m.sum}) pour « ${meeting.title} ».`,
  }] : [];
}

function normalise(themes: WorkshopReportInput['themes'], codes: Set<string>): ReportEntries[] {
  const out: ReportEntries[] = [];
  themes.forEach((t, ti) => {
    if (!codes.has(t.theme)) throw new UserError('invalid', `Thème inconnu pour cette consultation : « ${t.theme} »`, `themes.${ti}.theme`);
    const e: ReportEntries = { theme: t.theme, problematiques: [], solutions: [], leviers: [] };
    for (const [part] of REPORT_PARTS) {
      for (const raw of t[part] ?? []) {
        const text = raw.replace(/\r\n?/g, '\n').trim();
        if (text) e[part].push(text);
      }
    }
    const existing = out.find((x) => x.theme === e.theme);
    if (existing) for (const [part] of REPORT_PARTS) existing[part].push(...e[part]);
    else if (e.problematiques.length + e.solutions.length + e.leviers.length > 0) out.push(e);
  });
  return out;
}

const entryCount = (themes: ReportEntries[]) => themes.reduce((n, t) => n + t.problematiques.length + t.solutions.length + t.leviers.length, 0);

/** The stored contributions of a submitted report, with the text as written (for matching) and as public. */
async function submittedEntries(ctx: UseCaseContext, record: MeetingReportRecord | undefined) {
  if (!record) return [];
  const originals = await privateTexts(ctx.store, record.contributions);
  const out: { c: Contribution; asWritten: string }[] = [];
  for (const id of record.contributions) {
    const c = await ctx.store.getContribution(id);
    // a contribution deleted or erased since is no longer part of the report
    if (c) out.push({ c, asWritten: originals.get(id)?.original ?? c.text });
  }
  return out;
}

function entriesFromContributions(list: { c: Contribution }[]): ReportEntries[] {
  const out: ReportEntries[] = [];
  for (const { c } of list) {
    const part = REPORT_PARTS.find(([, kind]) => kind === c.kind)?.[0];
    const theme = c.themes.find((t) => t.provenance.by === 'human')?.theme ?? c.themes[0]?.theme;
    if (!part || !theme) continue;
    let e = out.find((x) => x.theme === theme);
    if (!e) { e = { theme, problematiques: [], solutions: [], leviers: [] }; out.push(e); }
    // the public (pseudonymised) text: what anyone reopening the report may see
    e[part].push(c.text);
  }
  return out;
}

async function view(ctx: UseCaseContext, meeting: Meeting, record: MeetingReportRecord | undefined): Promise<WorkshopReportView> {
  const stored = await submittedEntries(ctx, record);
  return {
    meeting, status: record?.status ?? 'none', participants: record?.participants ?? meeting.participants,
    themes: record?.draft ?? entriesFromContributions(stored), contributions: stored.length, ids: stored.map((s) => s.c.id),
    anomalies: record?.anomalies ?? anomaliesOf(meeting, meeting.participants),
    updatedAt: record?.updatedAt ?? null, updatedBy: record?.updatedBy ?? null, submittedAt: record?.submittedAt ?? null,
  };
}

/** The report of a meeting, to reopen it: the draft as typed, or the entries of the last submission. */
export async function getWorkshopReport(ctx: UseCaseContext, meetingId: string): Promise<WorkshopReportView> {
  const meeting = await requireMeeting(ctx, meetingId);
  return view(ctx, meeting, await getMeetingReport(ctx.store, meeting.id));
}

/**
 * Saves a meeting's report: a draft, or a submission (one transaction: contributions added and withdrawn,
 * participants, report, audit). An empty submission is refused; a total that differs from the sum of the
 * colleges is kept and recorded as an anomaly, as the importer does.
 */
export async function recordWorkshopReport(ctx: UseCaseContext, input: WorkshopReportInput): Promise<WorkshopReportView & { added: number; kept: number; removed: number }> {
  const meeting = await requireMeeting(ctx, input.meeting);
  const c = await requireConsultation(ctx, meeting.consultation);
  const themes = normalise(input.themes, new Set(c.themes.map((t) => t.code)));
  const before = await getMeetingReport(ctx.store, meeting.id);
  const at = ctx.now().toISOString();
  const anomalies = anomaliesOf(meeting, input.participants);
  const base = { meeting: meeting.id, consultation: c.slug, participants: input.participants, anomalies, updatedAt: at, updatedBy: ctx.actor.name };

  if (input.draft) {
    const record: MeetingReportRecord = {
      ...base, status: 'draft', draft: themes, contributions: before?.contributions ?? [],
      submittedAt: before?.submittedAt ?? null, submittedBy: before?.submittedBy ?? null,
    };
    await saveReportDraft(ctx.store, record, before);
    return { ...(await view(ctx, meeting, record)), added: 0, kept: 0, removed: 0 };
  }

  if (entryCount(themes) === 0) {
    throw new UserError('invalid', 'Compte-rendu vide : saisissez au moins une problématique, une solution ou un levier avant de le soumettre (ou enregistrez-le comme brouillon).', 'themes');
  }
  // entries already submitted and unchanged keep their contribution (and its moderation decision)
  const previous = await submittedEntries(ctx, before);
  const unmatched = [...previous];
  const kept: string[] = [];
  const human: Provenance = { by: 'human', reviewer: ctx.actor.name, at };
  const batch = randomBytes(4).toString('hex');
  const add: NewPrivateContribution[] = [];
  const ordered: string[] = []; // the report's contributions in the order typed
  for (const t of themes) {
    for (const [part, kind, category] of REPORT_PARTS) {
      for (const text of t[part]) {
        const i = unmatched.findIndex((p) => p.c.kind === kind && p.c.themes.some((a) => a.theme === t.theme) && (p.asWritten === text || p.c.text === text));
        if (i >= 0) { kept.push(unmatched[i]!.c.id); ordered.push(unmatched[i]!.c.id); unmatched.splice(i, 1); continue; }
        // the store pseudonymises every text it writes and keeps this original apart; like any channel, pending moderation
        const id = `${meeting.id}:saisie-${batch}-${add.length + 1}`;
        ordered.push(id);
        add.push({ contribution: {
          id, consultation: c.slug, meeting: meeting.id, channel: 'atelier',
          text, kind, kindProvenance: human, category, themes: [{ theme: t.theme, provenance: human }],
          moderation: { status: 'pending' }, source: { documentId: 'saisie', file: `saisie en séance : ${meeting.title}` },
          ...(meeting.territory ? { territory: meeting.territory } : {}), ...(meeting.date ? { date: meeting.date } : {}),
        } });
      }
    }
  }
  const record: MeetingReportRecord = {
    ...base, status: 'submitted', draft: null, contributions: ordered,
    submittedAt: at, submittedBy: ctx.actor.name,
  };
  const updated: Meeting = { ...meeting, participants: input.participants };
  await submitReport(ctx.store, {
    record, before, meeting: updated, participantsBefore: meeting.participants, add,
    remove: unmatched.map((u) => ({ id: u.c.id, public: isPublic(u.c) })),
  });
  return { ...(await view(ctx, updated, record)), added: add.length, kept: kept.length, removed: unmatched.length };
}
