/**
 * Number agreement of generated French text. The builder writes the marks « (s) », « (x) », « (nt) »
 * and « al(aux) » after the word a figure counts; every renderer resolves them here with the figure's
 * value, so a published document reads « 1 contribution publiée », « 9 réunions enregistrées ».
 * « (e) » marks gender, which the value does not tell: it is left as written.
 */
import type { Inline } from './model.ts';

/** French rule: 0 and 1 (and any value below 2, « 1,5 million ») take the singular. */
export function isPlural(n: number): boolean {
  return Math.abs(n) >= 2;
}

// a mark attached to a word (or to its « (e) »): « contribution(s) », « publié(e)(s) », « relève(nt) », « national(aux) »
const MARK = /(?<=\p{L}|\(e\))\((s|x|nt)\)|(?<=\p{L})al\(aux\)/gu;

/** `text` with its number marks resolved for a count of `n`. */
export function agree(text: string, n: number): string {
  const plural = isPlural(n);
  return text.replace(MARK, (m, suffix: string | undefined) => (suffix === undefined ? (plural ? 'aux' : 'al') : plural ? suffix : ''));
}

/**
 * Inline content with the text that follows a figure (up to the next figure) agreed with that
 * figure's value; text before the first figure is left as written. The model keeps the marks
 * (its JSON is the source of every format); this is what renderers print.
 */
export function agreeInlines(xs: readonly Inline[], value: (figure: string) => number): Inline[] {
  let n: number | undefined;
  return xs.map((x) => {
    if (typeof x !== 'string') { n = value(x.figure); return x; }
    return n === undefined ? x : agree(x, n);
  });
}
