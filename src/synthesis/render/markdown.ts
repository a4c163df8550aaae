/** Markdown rendering (CommonMark + pipe tables); anchors are HTML `<a id>` so links to sources work. */
import type { Block, IdeaItem, Inline, Section, SynthesisDocument } from '../model.ts';
import { agree } from '../agree.ts';
import { ANNEX_TITLE, annexFiguresIntro, annexIntro, DocIndex, LINKED_OBJECTIVES_LEAD, buildAnnex, formatValue, generatedLine, linkedObjectiveParts, quoteSource, repeatNote } from './common.ts';

function md(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/\n/g, ' ');
}

export function renderMarkdown(doc: SynthesisDocument): string {
  const idx = new DocIndex(doc);
  const out: string[] = [];
  const fig = (key: string) => {
    const { f, anchor } = idx.figure(key);
    return `[**${formatValue(f)}**](#${anchor})`;
  };
  const inline = (xs: Inline[]) => idx.inlines(xs).map((x) => (typeof x === 'string' ? md(x) : fig(x.figure))).join('');
  const quote = (id: string, indent: string) => {
    const { q, anchor } = idx.quote(id);
    const note = repeatNote(q);
    return `${indent}- <a id="${anchor}"></a>*« ${md(q.text)}${q.excerpt ? ' […]' : ''} »*${note ? ` (${note})` : ''} (${md(quoteSource(q, idx))}${q.chosen ? ', choisie par la rédaction' : ''})`;
  };
  const idea = (it: IdeaItem, depth: number) => {
    const pad = '  '.repeat(depth);
    const stated = it.stated ? ` (annoncé par la source : ${fig(it.stated)}${it.difference ? ` ; écart : ${fig(it.difference)}` : ''})` : '';
    out.push(`${pad}- ${depth === 0 ? `**${md(it.label)}**` : md(it.label)} — ${fig(it.figure)}${stated}`);
    if (it.objectives && it.objectives.length > 0) {
      out.push(`${pad}  - ${LINKED_OBJECTIVES_LEAD} : ${it.objectives.map((o) => { const p = linkedObjectiveParts(o); return `**${md(p.code)}**${md(p.rest)}`; }).join(' ; ')}`);
    }
    for (const q of it.quotes) out.push(quote(q, `${pad}  `));
    for (const c of it.children) idea(c, depth + 1);
  };
  const block = (b: Block) => {
    switch (b.type) {
      case 'paragraph': out.push(inline(b.content), ''); break;
      case 'editorial':
        if (b.text.trim()) out.push(...b.text.split(/\n\s*\n/).flatMap((p) => [p.trim(), '']));
        else if (!b.optional) out.push(`> *${md(b.placeholder)}*`, '');
        break;
      case 'note': out.push(`> **${b.level === 'warning' ? 'Attention' : 'À noter'} :** ${inline(b.content)}`, ''); break;
      case 'slot': out.push(`*${md(b.text)}*`, ''); break;
      case 'table':
        out.push(`*${md(b.caption)}*`, '', `| ${b.columns.map(md).join(' | ')} |`, `|${b.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
        for (const r of b.rows) {
          const h = r.total ? `**${md(r.header)}**` : md(r.header);
          out.push(`| ${[h, ...r.cells.map((c) => ('figure' in c ? fig(c.figure) : 'nc' in c ? '*non communiqué*' : md(c.text)))].join(' | ')} |`);
        }
        out.push('');
        break;
      case 'ideas':
        if (b.intro) out.push(inline(b.intro), '');
        for (const it of b.items) idea(it, 0);
        out.push('');
        break;
      case 'quotes':
        if (b.intro) out.push(inline(b.intro), '');
        for (const q of b.quotes) out.push(quote(q, ''));
        out.push('');
        break;
      case 'chart':
        out.push(`**${md(b.title)}** — ${md(b.description)}`, '');
        for (const bar of b.bars) out.push(`- ${md(bar.label)} : ${fig(bar.figure)}`);
        out.push('');
        break;
    }
  };
  const section = (s: Section) => {
    out.push(`<a id="${idx.sections.get(s)}"></a>`, '', `${'#'.repeat(s.level + 1)} ${md(s.title)}`, '');
    for (const b of s.blocks) block(b);
    for (const c of s.sections) section(c);
  };
  const toc = (sections: Section[], depth: number) => {
    for (const s of sections) {
      out.push(`${'  '.repeat(depth)}- [${md(s.title)}](#${idx.sections.get(s)})`);
      toc(s.sections, depth + 1);
    }
  };
  out.push(`# ${md(doc.title)}`, '', `**${md(doc.subtitle)}**`, '', `*${md(generatedLine(doc))}*`, '');
  for (const n of doc.notices) out.push(`> **Avertissement :** ${md(n)}`, '');
  out.push('## Table des matières', '');
  toc(doc.sections, 0);
  out.push(`- [${md(ANNEX_TITLE)}](#annexe)`, '');
  for (const s of doc.sections) section(s);
  const annex = buildAnnex(doc, idx);
  out.push('<a id="annexe"></a>', '', `## ${md(ANNEX_TITLE)}`, '', md(annexIntro(doc)), '', ...(annex.ideas.length > 0 ? ['### Contributions de chaque idée', ''] : []));
  for (const list of annex.ideas) {
    out.push(`**${md(list.title)}**`, '');
    for (const it of list.ideas) out.push(`${'  '.repeat(it.depth)}- <a id="${it.anchor}"></a>${it.depth === 0 ? `**${md(it.label)}**` : md(it.label)} (${formatValue(it.figure)}) : ${md(it.refs)}`);
    out.push('');
  }
  out.push('### Autres chiffres', '', md(annexFiguresIntro(doc)), '');
  for (const { f, anchor } of annex.figures) out.push(`- <a id="${anchor}"></a>${md(f.label)} : **${formatValue(f)}**`);
  out.push('', '### Documents sources', '');
  for (const src of annex.sources) out.push(`- ${md(src.file)} : ${agree(`${src.contributions.toLocaleString('fr-FR')} contribution(s) comptée(s) ou citée(s)`, src.contributions)}`);
  out.push('');
  return out.join('\n');
}
