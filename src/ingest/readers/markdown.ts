import { decodeText, assertLooksLikeText } from './text.ts';
import { linesToDocument, type ReadDocument } from './types.ts';

/**
 * Markdown reader.
 *
 * One reader line per source line (so `lineNo` is the line number in the .md file), but each line's
 * text is the *visible* text: heading marks (`#`), list markers (`-`, `*`, `+`, `1.`), blockquote
 * marks (`>`), emphasis (`**`, `_`, `` ` ``) and link syntax are stripped. Consequently
 * `charStart`/`charEnd` (and every `SourceRef` built from them) are offsets in the *extracted* text
 * (`ReadDocument.text`), not in the original Markdown bytes. Setext underlines and horizontal rules
 * become empty lines. Tables are kept as they are written (pipes included); fenced code is kept
 * verbatim.
 */
export function readMarkdown(bytes: Uint8Array, fileName: string): ReadDocument {
  assertLooksLikeText(bytes, fileName);
  const { text } = decodeText(bytes);
  const src = text.split(/\r\n|\r|\n/);
  const out: { text: string; page: number; heading?: number; listLevel?: number }[] = [];
  let fence: string | null = null;
  /** indentation columns of the currently open list items, outermost first */
  const listIndents: number[] = [];

  for (const raw of src) {
    if (fence !== null) {
      if (raw.trimStart().startsWith(fence)) { fence = null; out.push({ text: '', page: 1 }); }
      else out.push({ text: raw, page: 1 });
      continue;
    }
    const fenceOpen = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fenceOpen) { fence = fenceOpen[1]!; out.push({ text: '', page: 1 }); continue; }

    // a blank line does not close a list (loose lists), a non-indented paragraph does
    if (raw.trim() === '') { out.push({ text: '', page: 1 }); continue; }

    // setext heading underline: turns the previous plain line into a heading
    const setext = /^ {0,3}(=+|-+)\s*$/.exec(raw);
    const prev = out[out.length - 1];
    if (setext && prev && prev.text.trim() !== '' && prev.heading === undefined && prev.listLevel === undefined) {
      prev.heading = setext[1]!.startsWith('=') ? 1 : 2;
      out.push({ text: '', page: 1 });
      continue;
    }
    if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(raw)) { listIndents.length = 0; out.push({ text: '', page: 1 }); continue; }

    let line = raw.replace(/\t/g, '    ');
    // blockquotes
    line = line.replace(/^(\s{0,3}>\s?)+/, '');

    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) {
      listIndents.length = 0;
      out.push({ text: inline(atx[2] ?? ''), page: 1, heading: atx[1]!.length });
      continue;
    }

    const item = /^(\s*)([-*+•]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item) {
      const indent = item[1]!.length;
      while (listIndents.length > 0 && indent < listIndents[listIndents.length - 1]!) listIndents.pop();
      const top = listIndents[listIndents.length - 1];
      if (top === undefined || indent >= top + 2) listIndents.push(indent);
      else listIndents[listIndents.length - 1] = indent;
      const body = item[3]!.replace(/^\[[ xX]\]\s+/, '');
      out.push({ text: inline(body), page: 1, listLevel: listIndents.length });
      continue;
    }

    const indent = /^\s*/.exec(line)![0].length;
    if (listIndents.length > 0 && indent === 0) listIndents.length = 0;

    if (/^\s*\|/.test(line)) { out.push({ text: line.trim(), page: 1 }); continue; }
    out.push({ text: inline(line.trim()), page: 1 });
  }
  return linesToDocument(out, 'text/markdown');
}

/** Visible text of inline Markdown: images → alt, links → label, emphasis and code marks removed. */
function inline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1')
    .replace(/ {2,}$/, '')
    .trimEnd();
}
