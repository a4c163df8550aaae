import { COLLEGES, COLLEGE_LABELS, MEETING_KIND_LABELS } from '../../src/domain/meeting.ts';
import { CONTRIBUTION_KINDS, KIND_LABELS } from '../../src/domain/contribution.ts';
import type { ConsultationStatus, Role } from './types.ts';

export { COLLEGES, COLLEGE_LABELS, CONTRIBUTION_KINDS, KIND_LABELS, MEETING_KIND_LABELS };

export const STATUS_LABELS: Record<ConsultationStatus, string> = {
  draft: 'Brouillon',
  open: 'Ouverte aux contributions',
  closed: 'Clôturée',
  analysed: 'Analysée',
  published: 'Restitution publiée',
};


export const CHANNEL_LABELS: Record<string, string> = {
  atelier: 'Atelier',
  en_ligne: 'En ligne',
  formulaire: 'Formulaire',
  courrier: 'Courrier',
  import_tableur: 'Tableur importé',
  autre: 'Autre',
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur',
  analyst: 'Analyste',
  facilitator: 'Animateur',
  owner: 'Porteur d’action',
};

export function collegeLabel(c: string | null | undefined): string {
  if (!c) return 'Non renseigné';
  return (COLLEGE_LABELS as Record<string, string>)[c] ?? c;
}

export function kindLabel(k: string | null | undefined): string {
  if (!k) return 'Non renseignée';
  return (KIND_LABELS as Record<string, string>)[k] ?? k;
}

const dateFmt = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  // French writes the first day of a month « 1ᵉʳ » (ordinal in superscript letters, as the typographic rules want)
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d).replace(/^1 /, '1ᵉʳ ');
}

const dateTimeParts = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris',
});

/** « 2 décembre 2026 à 6 h 10 » (the time in France, written the French way), « 1ᵉʳ mars 2027 à 14 h ». */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(dateTimeParts.formatToParts(d).map((x) => [x.type, x.value]));
  const day = p.day === '1' ? '1ᵉʳ' : p.day;
  const minutes = p.minute === '00' ? '' : `\u00a0${p.minute}`;
  return `${day} ${p.month} ${p.year} à ${Number(p.hour)}\u00a0h${minutes}`;
}

export function formatPeriod(start: string | null, end: string | null): string {
  if (start && end) return `du ${formatDate(start)} au ${formatDate(end)}`;
  if (start) return `à partir du ${formatDate(start)}`;
  if (end) return `jusqu’au ${formatDate(end)}`;
  return 'période non communiquée';
}

export const nf = new Intl.NumberFormat('fr-FR');

/** The word agreed with a count, without the count: « action » for 0 and 1, « actions » from 2 on. */
export function pluralWord(n: number, one: string, many: string): string {
  return Math.abs(n) >= 2 ? many : one;
}

/** « 1 action », « 3 actions » (French plural agreement; 0 is singular). */
export function count(n: number, one: string, many: string): string {
  return `${nf.format(n)} ${pluralWord(n, one, many)}`;
}

/** Short college names for table headers (the full name is in the header's title). */
export const COLLEGE_SHORT: Record<string, string> = {
  elus: 'Élus',
  institutionnels: 'Institution­nels',
  professionnels: 'Profession­nels de santé',
  associations: 'Associations',
  usagers: 'Usagers',
  autres: 'Autres',
};
