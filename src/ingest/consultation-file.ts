import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Consultation } from '../domain/consultation.ts';
import { CONSULTATION_STATUSES, DEFAULT_CONSULTATION_STATUS, isValidSlug } from '../domain/consultation.ts';
import { MEETING_KINDS, type Meeting } from '../domain/meeting.ts';
import { SCOPE_LEVELS } from '../domain/territory.ts';
import type { Indicator } from '../domain/plan.ts';
import { CNR_SANTE_THEMES, type Theme } from '../domain/theme.ts';
import { ImportError } from './types.ts';
import { plural } from '../text/french.ts';

const isoDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}, { message: 'date AAAA-MM-JJ attendue' });

const count = z.number().int().nonnegative().nullable();

const themeSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'code de thème attendu : chiffres, minuscules et tirets' }),
  label: z.string().trim().min(1),
  description: z.string().optional(),
  keywords: z.array(z.string().trim().min(1)).default([]),
  local: z.boolean().optional(),
});

const meetingSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, { message: 'identifiant attendu : lettres, chiffres, tirets' }),
  kind: z.enum(MEETING_KINDS),
  ref: z.string().optional(),
  title: z.string().trim().min(1),
  place: z.string().optional(),
  territory: z.string().regex(/^[0-9AB]{2,5}$/, { message: 'code INSEE attendu' }).optional(),
  date: isoDate.optional(),
  dateText: z.string().optional(),
  time: z.string().optional(),
  participants: z.strictObject({
    elus: count, institutionnels: count, professionnels: count, associations: count, usagers: count, autres: count, total: count,
  }),
  deroulement: z.string().optional(),
  situation: z.string().optional(),
  perspectives: z.string().optional(),
});

const figure = z.number().nullable();

/** An indicator of the territory ("data repère"); `value: null` = missing in the source. */
const indicatorSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'identifiant attendu : minuscules, chiffres, tirets' }),
  label: z.string().trim().min(1),
  unit: z.string().trim().min(1).optional(),
  year: z.number().int().min(1900).max(2100),
  value: figure,
  regionValue: figure.optional(),
  franceValue: figure.optional(),
  source: z.string().trim().min(1),
});

export const consultationFileSchema = z.strictObject({
  consultation: z.strictObject({
    slug: z.string().refine(isValidSlug, { message: 'slug attendu : minuscules, chiffres et tirets (ex. « demo »)' }),
    title: z.string().trim().min(1),
    territory: z.string().regex(/^[0-9AB]{2,9}$/, { message: 'code INSEE attendu (ex. « 12 » ou « 76 »)' }),
    territoryLevel: z.enum(SCOPE_LEVELS).optional(),
    periodStart: isoDate.optional(),
    periodEnd: isoDate.optional(),
    status: z.enum(CONSULTATION_STATUSES).default(DEFAULT_CONSULTATION_STATUS),
    description: z.string().optional(),
    themes: z.union([z.literal('cnr-sante'), z.array(themeSchema).min(1)]),
    localThemes: z.array(themeSchema).optional(),
  }),
  meetings: z.array(meetingSchema).default([]),
  indicators: z.array(indicatorSchema).optional(),
});

export type ConsultationFile = z.input<typeof consultationFileSchema>;

/** "meetings[2].participants.elus" from a zod path. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out || '(racine)';
}

/** Validates already-parsed JSON; `label` names the file in messages. */
export interface ConsultationFileContent {
  consultation: Consultation;
  meetings: Meeting[];
  /** the territory's indicators; absent from the file = undefined (leave stored ones alone) */
  indicators?: Indicator[];
}

export function parseConsultationFile(data: unknown, label = 'consultation.json'): ConsultationFileContent {
  const r = consultationFileSchema.safeParse(data, { error: z.locales.fr().localeError });
  if (!r.success) {
    const [first, ...rest] = r.error.issues;
    const more = rest.length ? ` (et ${plural(rest.length, 'autre erreur', 'autres erreurs')})` : '';
    throw new ImportError(`Fichier de consultation « ${label} » invalide : ${formatJsonPath(first?.path ?? [])} — ${first?.message ?? 'contenu invalide'}${more}.`, 'consultation.invalid');
  }
  const c = r.data.consultation;
  const fail = (path: string, message: string): never => {
    throw new ImportError(`Fichier de consultation « ${label} » invalide : ${path} — ${message}.`, 'consultation.invalid');
  };
  if (c.periodStart && c.periodEnd && c.periodStart > c.periodEnd) fail('consultation.periodEnd', 'la fin précède le début');

  const themes: Theme[] = [];
  const add = (t: z.output<typeof themeSchema>, local: boolean, path: string) => {
    if (themes.some((x) => x.code === t.code)) fail(path, `code de thème « ${t.code} » en double`);
    const theme: Theme = { code: t.code, label: t.label, keywords: t.keywords, local: t.local ?? local };
    if (t.description !== undefined) theme.description = t.description;
    themes.push(theme);
  };
  if (c.themes === 'cnr-sante') for (const t of CNR_SANTE_THEMES) themes.push({ ...t, keywords: [...t.keywords] });
  else c.themes.forEach((t, i) => add(t, false, `consultation.themes[${i}].code`));
  (c.localThemes ?? []).forEach((t, i) => add(t, true, `consultation.localThemes[${i}].code`));

  const consultation: Consultation = { slug: c.slug, title: c.title, territory: c.territory, status: c.status, themes };
  if (c.territoryLevel) consultation.territoryLevel = c.territoryLevel;
  if (c.periodStart) consultation.periodStart = c.periodStart;
  if (c.periodEnd) consultation.periodEnd = c.periodEnd;
  if (c.description) consultation.description = c.description;

  const ids = new Set<string>();
  const meetings = r.data.meetings.map((m, i): Meeting => {
    if (ids.has(m.id)) fail(`meetings[${i}].id`, `identifiant « ${m.id} » en double`);
    ids.add(m.id);
    const meeting: Meeting = { id: m.id, consultation: c.slug, kind: m.kind, title: m.title, participants: { ...m.participants } };
    for (const k of ['ref', 'place', 'territory', 'date', 'dateText', 'time', 'deroulement', 'situation', 'perspectives'] as const) {
      const v = m[k];
      if (v !== undefined) meeting[k] = v;
    }
    return meeting;
  });

  if (r.data.indicators === undefined) return { consultation, meetings };
  const keys = new Set<string>();
  const indicators = r.data.indicators.map((x, i): Indicator => {
    const key = `${x.id}\u0000${x.year}`;
    if (keys.has(key)) fail(`indicators[${i}].id`, `indicateur « ${x.id} » en double pour l’année ${x.year}`);
    keys.add(key);
    const ind: Indicator = { id: x.id, label: x.label, territory: c.territory, value: x.value, year: x.year, source: x.source };
    if (x.unit !== undefined) ind.unit = x.unit;
    if (x.regionValue !== undefined) ind.regionValue = x.regionValue;
    if (x.franceValue !== undefined) ind.franceValue = x.franceValue;
    return ind;
  });
  return { consultation, meetings, indicators };
}

/** Reads and validates a consultation description file (see docs/format-tabular.md). */
export async function loadConsultationFile(path: string): Promise<ConsultationFileContent> {
  const label = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportError(code === 'ENOENT' ? `Fichier de consultation introuvable : ${path}` : `Lecture impossible de ${path} (${code ?? 'erreur'}).`, 'consultation.read');
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ImportError(`Fichier de consultation « ${label} » : JSON invalide (${(e as Error).message}).`, 'consultation.json');
  }
  return parseConsultationFile(data, label);
}
