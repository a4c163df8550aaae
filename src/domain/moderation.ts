/** Rules of the moderation queue shared by the API and the web app (pure). */

/** Reasons a moderator picks from when rejecting; a free text may complete or replace them. */
export const REJECTION_REASONS = ['Hors sujet', 'Propos injurieux', 'Données personnelles', 'Doublon', 'Spam'] as const;

/** Page sizes the moderation queue offers. */
export const MODERATION_PAGE_SIZES = [20, 50, 100] as const;

/**
 * Most contributions one bulk decision by filter may cover: beyond, the filter should be narrowed (10,000 are
 * written in a few seconds, see docs/performance.md).
 */
export const BULK_MODERATION_MAX = 20_000;

/** The reason stored for a rejection: the chosen reason, then the moderator's precision, if any. */
export function rejectionReason(choice: string | undefined, detail: string | undefined): string {
  const c = choice?.trim() ?? '';
  const d = detail?.trim() ?? '';
  return c && d ? `${c} : ${d}` : c || d;
}

/**
 * The start of a text as a title: its first `max` characters (about 80), cut after the last whole word and
 * followed by an ellipsis when something is left out; whitespace runs count as one space.
 */
export function excerptTitle(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max + 1).join('');
  const cut = head.lastIndexOf(' ');
  // a single word longer than the title: cut inside it rather than show nothing
  const start = (cut > max / 2 ? head.slice(0, cut) : chars.slice(0, max).join('')).replace(/[\s,;:.!?…'’«"(-]+$/u, '');
  return `${start}…`;
}
