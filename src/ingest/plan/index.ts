import { createHash } from 'node:crypto';
import { decodeText } from '../readers/text.ts';
import { ImportError } from '../types.ts';
import { planText, ref, warn, type PlanText } from './common.ts';
import { buildOutline, catalogueOf } from './outline.ts';
import { isOfferStart, isPlanStart, markdownHeader, scanMarkdown } from './markdown.ts';
import { pdfTextHeader, scanPdfText } from './pdf-text.ts';
import { parseOqos } from './oqos.ts';
import { parseAnnexes } from './annexes.ts';
import type { ParsedPlan } from './types.ts';

export type * from './types.ts';

/** A rendering of the regional STS template. */
export interface PlanParser {
  name: string;
  version: string;
  /** 0..1: how sure the parser is that the text is this rendering of an STS */
  detect(text: string, fileName: string): number;
  parse(t: PlanText): Omit<ParsedPlan, 'kind' | 'parser' | 'parserVersion' | 'document'>;
}

/** Shared by both renderings: the template's markers, counted in the first lines of the text. */
function templateScore(text: string): number {
  const head = text.slice(0, 400_000);
  let score = 0;
  if (/sch[ée]ma territorial de sant[ée]/i.test(head)) score += 0.3;
  if (/Objectif\s+Op[ée]rationnel/i.test(head)) score += 0.2;
  if (/D[ÉE]FI #\d/.test(head)) score += 0.2;
  if (/Th[èe]mes associ[ée]s/.test(head)) score += 0.1;
  return score;
}

export const markdownPlanParser: PlanParser = {
  name: 'sts-markdown',
  version: '1',
  detect(text, fileName) {
    const md = /\.md$/i.test(fileName) || /^#{1,3} /m.test(text.slice(0, 20_000));
    return md && /R[ée]f\. E\d+D\d+/.test(text) ? templateScore(text) + 0.2 : 0;
  },
  parse(t) {
    const header = markdownHeader(t);
    const from = t.lines.findIndex(isPlanStart);
    const to = t.lines.findIndex((l, i) => i > from && isOfferStart(l));
    return assemble(t, header, from, to, scanMarkdown(t, from, to), { actions: 'line', afterSidebar: 'stray' });
  },
};

export const pdfTextPlanParser: PlanParser = {
  name: 'sts-texte',
  version: '1',
  detect(text, fileName) {
    if (/\.md$/i.test(fileName)) return 0;
    return /\uf0b7/.test(text) && /Op[ée]rationnel\s*\n#\d/.test(text) ? templateScore(text) + 0.2 : 0;
  },
  parse(t) {
    const header = pdfTextHeader(t);
    const { marks, from, to } = scanPdfText(t);
    return assemble(t, header, from, to, marks, { actions: 'bullet', bullet: /^\s*\uf0b7\s*/, afterSidebar: 'resume' });
  },
};

function assemble(t: PlanText, header: { title: string; territory: string; line: number } | null, from: number, to: number,
  marks: ReturnType<typeof scanMarkdown>, opts: Parameters<typeof buildOutline>[4]): ReturnType<PlanParser['parse']> {
  if (from < 0 || to < 0) throw new ImportError(`« ${t.file} » ressemble à un schéma territorial de santé mais sa partie « Défis prioritaires » est introuvable.`, 'import.plan_structure');
  const outline = buildOutline(t, marks, from, to, opts);
  const whole = t.lines.join('\n');
  const period = /(20\d\d)\s*[-–]\s*\n?\s*(20\d\d)/.exec(whole);
  const annexes = parseAnnexes(t, outline.engagements, { planFrom: from, planTo: to });
  const oqos = parseOqos(t, to);
  const catalogue = catalogueOf(outline.engagements);
  // page numbers of the PDF left alone on their lines inside the plan: dropped from the texts, said once
  // (the PDF text only: the Markdown rendering has no page footers)
  const pageNumbers = opts.actions !== 'bullet' ? [] : t.lines.slice(from, to).map((l, k) => (/^\s*\d{1,3}\s*$/.test(l) ? from + k : -1)).filter((k) => k >= 0);
  if (pageNumbers.length > 0) {
    outline.warnings.push({ level: 'info', code: 'plan.page_numbers_dropped', message: `${pageNumbers.length} numéros de page isolés dans le texte du plan (pieds de page du PDF) : retirés des textes des rubriques.`, source: ref(t, pageNumbers[0]!) });
  }
  const refWarnings = missingReferences(t, new Set(catalogue.map((c) => c.code)));
  return {
    plan: {
      title: header?.title ?? 'Schéma territorial de santé', territory: header?.territory ?? '',
      period: period ? { start: Number(period[1]), end: Number(period[2]) } : null,
      engagements: outline.engagements, source: ref(t, header?.line ?? 0),
    },
    catalogue,
    oqos: oqos.rows,
    indicators: annexes.indicators,
    missingFigures: annexes.missingFigures,
    consultationItems: annexes.consultationItems,
    warnings: [...outline.warnings, ...refWarnings, ...annexes.warnings, ...oqos.warnings],
  };
}

/** « (engagement 2, défi 2 objectif opérationnel #1) » in the text, for an objective the scheme does not print. */
function missingReferences(t: PlanText, codes: ReadonlySet<string>) {
  const out: ReturnType<typeof warn>[] = [];
  const re = /engagement\s*(\d+)\s*,\s*d[ée]fi\s*(\d+)\s*,?\s*objectif\s+op[ée]rationnel\s*#?\s*(\d+)/gi;
  t.lines.forEach((line, i) => {
    for (const m of line.matchAll(re)) {
      const code = `E${m[1]}D${m[2]}O${m[3]}`;
      if (!codes.has(code)) out.push(warn('plan.reference_missing_objective', `Le texte renvoie à l’objectif ${code}, que ce schéma ne contient pas.`, ref(t, i)));
    }
  });
  return out;
}

const PLAN_PARSERS: readonly PlanParser[] = [markdownPlanParser, pdfTextPlanParser];

export function listPlanParsers(): PlanParser[] { return [...PLAN_PARSERS]; }

/**
 * Parses a schéma territorial de santé. Returns null when no plan parser recognises the text (and
 * none was forced): the caller then tries the contribution parsers. Text files are read as they are
 * (line numbers are the file's); PDF and DOCX through their reader (line numbers are the reader's).
 */
export async function parsePlanBytes(bytes: Uint8Array, fileName: string, opts: { parser?: string } = {}): Promise<ParsedPlan | null> {
  const text = /\.(pdf|docx)$/i.test(fileName)
    ? (await (await import('../readers/index.ts')).readDocument(bytes, fileName)).text
    : decodeText(bytes).text;
  let parser = opts.parser ? PLAN_PARSERS.find((p) => p.name === opts.parser) : undefined;
  if (opts.parser && !parser) return null;
  if (!parser) {
    let best = 0;
    for (const p of PLAN_PARSERS) { const s = p.detect(text, fileName); if (s > best) { best = s; parser = p; } }
    if (!parser || best < 0.5) return null;
  }
  const documentId = createHash('sha256').update(bytes).digest('hex');
  const t = planText(text, documentId, fileName);
  const parsed = parser.parse(t);
  return {
    kind: 'plan', parser: parser.name, parserVersion: parser.version,
    document: { id: documentId, fileName, mediaType: /\.md$/i.test(fileName) ? 'text/markdown' : 'text/plain', sizeBytes: bytes.length },
    ...parsed,
  };
}

export { warn };
