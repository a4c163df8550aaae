import { words, type Word } from './tokens.ts';

/** A passage of a document that reads as a run of a text's words (content words, same stems, same order). */
export interface ReusedPassage {
  /** the document's words, as written */
  text: string;
  /** 1-based lines of the document where the passage reads */
  line: number;
  lineEnd: number;
  /** content words in the run */
  words: number;
}

interface DocIndex { content: (Word & { line: number })[]; trigrams: Map<string, number[]> }

// one document indexed at a time: a caller checks many texts against the same synthesis or plan
let lastDoc: { text: string; index: DocIndex } | null = null;

function indexOf(doc: string): DocIndex {
  if (lastDoc && lastDoc.text === doc) return lastDoc.index;
  const content: (Word & { line: number })[] = [];
  doc.split(/\r\n|\n|\r/).forEach((l, i) => {
    for (const w of words(l).words) if (w.content) content.push({ ...w, line: i + 1 });
  });
  const trigrams = new Map<string, number[]>();
  for (let i = 0; i + 2 < content.length; i++) {
    const g = `${content[i]!.key} ${content[i + 1]!.key} ${content[i + 2]!.key}`;
    let l = trigrams.get(g);
    if (!l) { l = []; trigrams.set(g, l); }
    l.push(i);
  }
  const index = { content, trigrams };
  lastDoc = { text: doc, index };
  return index;
}

/**
 * Where a document reuses a text's wording: maximal runs of at least `minWords` content words (default 3) that
 * read in the same order in both (stopwords and line breaks skipped, stems compared), longest first, then in
 * document order. Used for the « reuse » evidence when the item's source document is not the plan (the Lot plan
 * lifts its CNR priorities from the Lot synthesis).
 */
export function reusedPassages(text: string, document: string, opts: { minWords?: number } = {}): ReusedPassage[] {
  const min = Math.max(3, opts.minWords ?? 3);
  const doc = indexOf(document);
  const c = words(text).words.filter((w) => w.content);
  // runs along a diagonal (document position − text position) of consecutive shared trigrams
  const open = new Map<number, { start: number; itemStart: number; len: number }>();
  const done: { start: number; len: number }[] = [];
  for (let i = 0; i + 2 < c.length; i++) {
    const hits = doc.trigrams.get(`${c[i]!.key} ${c[i + 1]!.key} ${c[i + 2]!.key}`) ?? [];
    const seen = new Set<number>();
    for (const p of hits) {
      const diag = p - i;
      seen.add(diag);
      const r = open.get(diag);
      if (r && r.itemStart + r.len - 2 === i) r.len++;
      else open.set(diag, { start: p, itemStart: i, len: 3 });
    }
    for (const [d, r] of open) if (!seen.has(d)) { done.push(r); open.delete(d); }
  }
  for (const r of open.values()) done.push(r);
  return done.filter((r) => r.len >= min)
    .sort((a, b) => b.len - a.len || a.start - b.start)
    .map((r) => {
      const run = doc.content.slice(r.start, r.start + r.len);
      return { text: run.map((w) => w.surface).join(' '), line: run[0]!.line, lineEnd: run[run.length - 1]!.line, words: r.len };
    });
}
