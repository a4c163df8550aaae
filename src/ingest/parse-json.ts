/**
 * The JSON printed by `fabrique parse <file> --json` (documented in docs/format-parse.md).
 *
 * It renames the domain's fields into the vocabulary of the workshop reports (département,
 * problématique / solution / levier…) and flattens references (a contribution names its meeting by
 * its section ref). Works for the output of any parser. Absent values are `null`, so every object
 * of a kind has the same keys.
 */
import type { ContributionKind } from '../domain/contribution.ts';
import type { SourceRef } from '../domain/source.ts';
import type { HumanSynthesisItem } from '../domain/synthesis.ts';
import type { ParsedDocument } from './types.ts';

export type ParseJsonKind = 'problematique' | 'solution' | 'levier' | 'action' | 'autre';

export const KIND_TO_PARSE_JSON: Record<ContributionKind, ParseJsonKind> = {
  constat: 'problematique',
  proposition: 'solution',
  levier_frein: 'levier',
  action_en_cours: 'action',
  temoignage: 'autre',
  autre: 'autre',
};

export interface ParseJsonSource {
  file: string;
  page: number | null;
  lineStart: number | null;
  lineEnd: number | null;
  charStart: number | null;
  charEnd: number | null;
}

export interface ParseJsonMeeting {
  id: string;
  ref: string | null;
  departement: string | null;
  title: string;
  place: string | null;
  date: string | null;
  dateText: string | null;
  time: string | null;
  kind: string;
  participants: { elus: number | null; institutionnels: number | null; professionnels: number | null;
    associations: number | null; usagers: number | null; autres: number | null; total: number | null };
  deroulement: string | null;
  source: ParseJsonSource | null;
}

export interface ParseJsonContribution {
  id: string;
  /** the meeting's section ref ("2.1.2"), or its id when it has no ref; null outside any meeting */
  meeting: string | null;
  /** theme code as assigned by the source ("1".."4" or a local slug); null when none */
  theme: string | null;
  kind: ParseJsonKind;
  category: string | null;
  text: string;
  rawText: string | null;
  departement: string | null;
  source: ParseJsonSource;
}

export interface ParseJsonSynthesis {
  label: string;
  statedCount: number | null;
  quotes: string[];
  children: ParseJsonSynthesis[];
  source: ParseJsonSource;
}

export interface ParseJson {
  file: string;
  documentId: string;
  mediaType: string;
  sizeBytes: number;
  parser: string;
  parserVersion: string;
  meetings: ParseJsonMeeting[];
  contributions: ParseJsonContribution[];
  syntheses: ParseJsonSynthesis[];
  warnings: { level: string; code: string; message: string; source: ParseJsonSource | null }[];
}

function src(s: Partial<SourceRef> | undefined, file: string): ParseJsonSource {
  return {
    file: s?.file ?? file,
    page: s?.page ?? null,
    lineStart: s?.lineStart ?? null,
    lineEnd: s?.lineEnd ?? null,
    charStart: s?.charStart ?? null,
    charEnd: s?.charEnd ?? null,
  };
}

function synthesis(n: HumanSynthesisItem, file: string, depth = 0): ParseJsonSynthesis {
  return {
    label: n.label,
    statedCount: n.statedCount ?? null,
    quotes: [...n.quotes],
    // the trees are a few levels deep; the guard only protects against a cyclic structure
    children: depth > 50 ? [] : n.children.map((c) => synthesis(c, file, depth + 1)),
    source: src(n.source, file),
  };
}

export function toParseJson(parsed: ParsedDocument): ParseJson {
  const file = parsed.fileName;
  const refOf = new Map<string, string>();
  for (const m of parsed.meetings) refOf.set(m.id, m.ref ?? m.id);
  return {
    file,
    documentId: parsed.documentId,
    mediaType: parsed.mediaType,
    sizeBytes: parsed.sizeBytes,
    parser: parsed.parser,
    parserVersion: parsed.parserVersion,
    meetings: parsed.meetings.map((m) => ({
      id: m.id,
      ref: m.ref ?? null,
      departement: m.territory ?? null,
      title: m.title,
      place: m.place ?? null,
      date: m.date ?? null,
      dateText: m.dateText ?? null,
      time: m.time ?? null,
      kind: m.kind,
      participants: {
        elus: m.participants.elus, institutionnels: m.participants.institutionnels,
        professionnels: m.participants.professionnels, associations: m.participants.associations,
        usagers: m.participants.usagers, autres: m.participants.autres, total: m.participants.total,
      },
      deroulement: m.deroulement ?? null,
      source: m.source ? src(m.source, file) : null,
    })),
    contributions: parsed.contributions.map((c) => ({
      id: c.id,
      meeting: c.meeting === undefined ? null : (refOf.get(c.meeting) ?? c.meeting),
      theme: c.themes[0]?.theme ?? null,
      kind: KIND_TO_PARSE_JSON[c.kind ?? 'autre'] ?? 'autre',
      category: c.category ?? null,
      text: c.text,
      rawText: c.rawText ?? null,
      departement: c.territory ?? null,
      source: src(c.source, file),
    })),
    syntheses: parsed.syntheses.map((s) => synthesis(s, file)),
    warnings: parsed.warnings.map((w) => ({ level: w.level, code: w.code, message: w.message, source: w.source ? src(w.source, file) : null })),
  };
}
