/**
 * Standalone accessible HTML: lang="fr", one h1, sections as h2–h4, a table of contents, tables with
 * captions and scoped headers, inline SVG charts, print CSS (also used for the PDF). Every count and
 * quote links to an entry of the appendix listing its sources.
 */
import type { Block, IdeaItem, Inline, Section, SynthesisDocument } from '../model.ts';
import { agree } from '../agree.ts';
import { chartSvg } from './charts.ts';
import { ANNEX_TITLE, annexFiguresIntro, annexIntro, DocIndex, LINKED_OBJECTIVES_LEAD, buildAnnex, describeRule, formatValue, generatedLine, linkedObjectiveParts, quoteSource, repeatNote } from './common.ts';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface HtmlOptions {
  /** for the PDF: no screen-only styles */
  forPrint?: boolean;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
header.doc-header { border-bottom: 3px solid #1d4e89; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; color: #14365f; }
h2 { font-size: 1.5rem; color: #14365f; border-bottom: 1px solid #c5d3e6; margin-top: 2.5rem; }
h3 { font-size: 1.2rem; color: #14365f; margin-top: 1.8rem; }
h4 { font-size: 1.05rem; margin-top: 1.4rem; }
.subtitle { font-size: 1.15rem; margin: 0 0 .5rem; }
.generated { font-size: .85rem; color: #4a4a4a; }
nav.toc ol { list-style: none; padding-left: 1.2rem; }
nav.toc > ol { padding-left: 0; }
a { color: #14365f; }
a.fig { font-weight: bold; text-decoration: underline dotted; }
a.ref { font-size: .8rem; color: #404040; }
.note { border-left: 4px solid #1d4e89; background: #eef3fa; padding: .4rem .8rem; }
.note-warning { border-left-color: #8a4b00; background: #fff4e5; }
.placeholder { font-style: italic; color: #595959; border: 1px dashed #8c8c8c; padding: .4rem .8rem; }
.slot { color: #4a4a4a; font-style: italic; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; width: 100%; }
caption { text-align: left; font-weight: bold; margin-bottom: .3rem; }
th, td { border: 1px solid #b3b3b3; padding: .25rem .45rem; vertical-align: top; }
thead th { background: #e3ebf5; }
tbody th { text-align: left; font-weight: normal; }
tr.total th, tr.total td { font-weight: bold; background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
td.nc { color: #4a4a4a; font-style: italic; }
ul.ideas { padding-left: 1.2rem; }
ul.ideas li { margin: .35rem 0; }
.idea-label { font-weight: bold; }
ul.ideas ul.ideas .idea-label { font-weight: normal; }
ul.ideas ul.ideas { font-size: .92rem; }
ul.ideas ul.ideas li { margin: .1rem 0; }
.stated { font-size: .85rem; color: #4a4a4a; }
p.plan-links { font-size: .85rem; color: #3a3a3a; margin: .1rem 0 .2rem; padding-left: .5rem; border-left: 2px solid #c5d3e6; }
.plan-code { font-weight: bold; white-space: nowrap; }
ul.quotes { list-style: none; padding-left: 1rem; margin: .2rem 0; }
ul.quotes li { font-style: italic; margin: .2rem 0; }
ul.quotes li a.ref, ul.quotes li .repris { font-style: normal; }
figure.chart { margin: 1.5rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; font-weight: bold; }
section.appendix { font-size: .85rem; }
section.appendix dt { font-weight: bold; margin-top: .6rem; }
section.appendix dd { margin-left: 1rem; }
section.appendix h4 { margin: .8rem 0 .2rem; font-size: .95rem; }
ul.annex-ideas { list-style: none; padding-left: 0; margin: 0; }
ul.annex-ideas li { margin: .1rem 0; }
ul.annex-ideas li.sub { padding-left: 1.2rem; }
ul.annex-ideas li.sub .idea-label { font-weight: normal; }
ul.annex-figures { list-style: none; padding-left: 0; columns: 2; column-gap: 1.5rem; font-size: .8rem; }
ul.annex-figures li { break-inside: avoid; margin: 0 0 .1rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  /* a theme and the annex start a page; the contents, the introduction and the perspectives follow what precedes */
  h2.page { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  table, figure, li { break-inside: avoid; }
  /* an idea with its quotes and sub-ideas may span two pages (kept whole, it left half pages blank); its lines may not */
  ul.ideas > li { break-inside: auto; }
  a { text-decoration: none; }
}
@page { size: A4; margin: 18mm 16mm 20mm; }
`;

/** Top-level sections printed after what precedes them rather than on a new page (short, or right after the contents). */
const NO_PAGE_BREAK = new Set(['intro', 'contexte', 'perspectives']);

class HtmlWriter {
  readonly out: string[] = [];
  private chartSeq = 0;
  constructor(readonly idx: DocIndex) {}

  inline(xs: Inline[]): string {
    return this.idx.inlines(xs).map((x) => (typeof x === 'string' ? esc(x) : this.fig(x.figure))).join('');
  }

  fig(key: string): string {
    const { f, anchor } = this.idx.figure(key);
    return `<a class="fig" href="#${anchor}">${esc(formatValue(f))}</a>`;
  }

  quoteLi(id: string): string {
    const { q, anchor } = this.idx.quote(id);
    const note = repeatNote(q);
    // the quote's place in its source beside it: no list of quotes at the end
    return `<li id="${anchor}">« ${esc(q.text)}${q.excerpt ? ' […]' : ''} »${note ? ` <span class="repris">(${esc(note)})</span>` : ''} <span class="ref">(${esc(quoteSource(q, this.idx))}${q.chosen ? ', choisie par la rédaction' : ''})</span></li>`;
  }

  idea(it: IdeaItem): string {
    const stated = it.stated ? ` <span class="stated">(annoncé par la source : ${this.fig(it.stated)}${it.difference ? ` ; écart : ${this.fig(it.difference)}` : ''})</span>` : '';
    // discreet, under the idea's line: the codes are those the plan prints (E1D4O6), the title says what they are
    const linked = it.objectives && it.objectives.length > 0
      ? `<p class="plan-links">${esc(LINKED_OBJECTIVES_LEAD)} : ${it.objectives.map((o) => {
        const p = linkedObjectiveParts(o);
        return `<span class="plan-link"><span class="plan-code">${esc(p.code)}</span>${esc(p.rest)}</span>`;
      }).join(' ; ')}</p>` : '';
    const quotes = it.quotes.length > 0 ? `<ul class="quotes">${it.quotes.map((q) => this.quoteLi(q)).join('')}</ul>` : '';
    const children = it.children.length > 0 ? `<ul class="ideas">${it.children.map((c) => this.idea(c)).join('')}</ul>` : '';
    return `<li><span class="idea-label">${esc(it.label)}</span> — ${this.fig(it.figure)}${stated}${linked}${quotes}${children}</li>`;
  }

  block(b: Block): void {
    switch (b.type) {
      case 'paragraph': this.out.push(`<p>${this.inline(b.content)}</p>`); break;
      case 'editorial':
        if (b.text.trim()) for (const p of b.text.split(/\n\s*\n/)) this.out.push(`<p>${esc(p.trim()).replace(/\n/g, '<br>')}</p>`);
        // an optional text left empty is no gap in the document
        else if (!b.optional) this.out.push(`<p class="placeholder">${esc(b.placeholder)}</p>`);
        break;
      case 'note': this.out.push(`<p class="note${b.level === 'warning' ? ' note-warning' : ''}"><strong>${b.level === 'warning' ? 'Attention' : 'À noter'} :</strong> ${this.inline(b.content)}</p>`); break;
      case 'slot': this.out.push(`<p class="slot">${esc(b.text)}</p>`); break;
      case 'table': {
        const head = `<thead><tr>${b.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>`;
        const rows = b.rows.map((r) => `<tr${r.total ? ' class="total"' : ''}><th scope="row">${esc(r.header)}</th>${r.cells.map((c) =>
          'figure' in c ? `<td class="num">${this.fig(c.figure)}</td>` : 'nc' in c ? '<td class="nc">non communiqué</td>' : `<td>${esc(c.text)}</td>`).join('')}</tr>`).join('');
        this.out.push(`<table><caption>${esc(b.caption)}</caption>${head}<tbody>${rows}</tbody></table>`);
        break;
      }
      case 'ideas':
        if (b.intro) this.out.push(`<p>${this.inline(b.intro)}</p>`);
        if (b.items.length > 0) this.out.push(`<ul class="ideas">${b.items.map((i) => this.idea(i)).join('')}</ul>`);
        break;
      case 'quotes':
        if (b.intro) this.out.push(`<p>${this.inline(b.intro)}</p>`);
        if (b.quotes.length > 0) this.out.push(`<ul class="quotes">${b.quotes.map((q) => this.quoteLi(q)).join('')}</ul>`);
        break;
      case 'chart':
        this.out.push(`<figure class="chart">${chartSvg(b, this.idx, `chart${++this.chartSeq}`)}<figcaption>${esc(b.title)}</figcaption></figure>`);
        break;
    }
  }

  section(s: Section): void {
    const h = `h${s.level + 1}`;
    // a follow-up report's sections are short (« suivi.* »): they follow one another
    const page = s.level === 1 && !NO_PAGE_BREAK.has(s.key) && !s.key.startsWith('suivi.') ? ' class="page"' : '';
    this.out.push(`<section><${h} id="${this.idx.sections.get(s)}"${page}>${esc(s.title)}</${h}>`);
    for (const b of s.blocks) this.block(b);
    for (const c of s.sections) this.section(c);
    this.out.push('</section>');
  }

  toc(sections: Section[]): string {
    if (sections.length === 0) return '';
    return `<ol>${sections.map((s) => `<li><a href="#${this.idx.sections.get(s)}">${esc(s.title)}</a>${this.toc(s.sections)}</li>`).join('')}</ol>`;
  }

  appendix(doc: SynthesisDocument): void {
    const annex = buildAnnex(doc, this.idx);
    this.out.push(`<section class="appendix"><h2 id="annexe" class="page">${esc(ANNEX_TITLE)}</h2>`, `<p>${esc(annexIntro(doc))}</p>`);
    if (annex.ideas.length > 0) this.out.push('<section><h3 id="annexe-idees">Contributions de chaque idée</h3>');
    for (const list of annex.ideas) {
      this.out.push(`<h4>${esc(list.title)}</h4><ul class="annex-ideas">`);
      for (const it of list.ideas) {
        this.out.push(`<li id="${it.anchor}"${it.depth > 0 ? ` class="sub"` : ''}><span class="idea-label">${esc(it.label)}</span> (${esc(formatValue(it.figure))}) : ${esc(it.refs)}</li>`);
      }
      this.out.push('</ul>');
    }
    if (annex.ideas.length > 0) this.out.push('</section>');
    this.out.push(`<section><h3 id="annexe-chiffres">Autres chiffres</h3><p>${esc(annexFiguresIntro(doc))}</p><ul class="annex-figures">`);
    // the rule in words on hover (the JSON keeps it, with the ids counted)
    for (const { f, anchor } of annex.figures) this.out.push(`<li id="${anchor}" title="${esc(describeRule(f.rule, this.idx))}">${esc(f.label)} : <strong>${esc(formatValue(f))}</strong></li>`);
    this.out.push('</ul></section>');
    this.out.push('<section><h3 id="annexe-sources">Documents sources</h3><ul>');
    for (const src of annex.sources) this.out.push(`<li>${esc(src.file)} : ${esc(agree(`${src.contributions.toLocaleString('fr-FR')} contribution(s) comptée(s) ou citée(s)`, src.contributions))}</li>`);
    this.out.push('</ul></section></section>');
  }
}

export function renderHtml(doc: SynthesisDocument, _options: HtmlOptions = {}): string {
  const idx = new DocIndex(doc);
  const w = new HtmlWriter(idx);
  const notices = doc.notices.length > 0
    ? `<div role="note" class="note note-warning"><strong>Avertissements :</strong><ul>${doc.notices.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : '';
  for (const s of doc.sections) w.section(s);
  w.appendix(doc);
  const toc = `<nav class="toc" aria-labelledby="toc-titre"><h2 id="toc-titre">Table des matières</h2>${w.toc(doc.sections)}<ol><li><a href="#annexe">Annexe : sources des chiffres et des citations</a></li></ol></nav>`;
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Fabrique">
<title>${esc(`${doc.title} — ${doc.territoryName}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="doc-header"><h1>${esc(doc.title)}</h1><p class="subtitle">${esc(doc.subtitle)}</p><p class="generated">${esc(generatedLine(doc))}</p>${notices}</header>
${toc}
<main>
${w.out.join('\n')}
</main>
</body>
</html>
`;
}
