/**
 * Verification failures said in French for the people who fix them: the section of the document as the reader
 * sees it and what does not check, without the internal paths, rule keys and contribution ids (those stay in
 * `path` and `detail`, for tools). Used by the publication gate, the draft's list and every error that reports
 * a document that does not verify.
 */
import { figuresOfBlock, quotesOfBlock, type Section, type SynthesisDocument } from './model.ts';

export interface VerificationFailure {
  /** where in the document: "figures[3] theme.1.total", "quotes[0] q1", "sections[1].sections[0].blocks[2]" */
  path: string;
  /** French message, which may name ids (describeFailures removes them) */
  message: string;
}

export interface PublicationProblem {
  /** 'placeholder' (a text to write), 'verification' (a figure or quote that does not check), 'stale' (data changed) */
  code: 'placeholder' | 'verification' | 'stale';
  /** the section as the reader sees it: « II – Solutions et propositions › Accès aux soins › Constats » */
  section: string;
  /** French, without internal codes */
  message: string;
  /** the editorial key (placeholder) or the verifier's path (verification), for tools */
  path?: string;
  /** the verifier's own message, with ids, for tools */
  detail?: string;
}

function trails(doc: SynthesisDocument): { figure: Map<string, string>; quote: Map<string, string>; byPath: Map<string, string> } {
  const figure = new Map<string, string>();
  const quote = new Map<string, string>();
  const byPath = new Map<string, string>();
  const walk = (sections: Section[], prefix: string, trail: string[]) => sections.forEach((s, si) => {
    const here = [...trail, s.title];
    const name = here.join(' › ');
    const sp = `${prefix}[${si}]`;
    s.blocks.forEach((b, bi) => {
      byPath.set(`${sp}.blocks[${bi}]`, name);
      for (const k of figuresOfBlock(b)) if (!figure.has(k)) figure.set(k, name);
      for (const q of quotesOfBlock(b)) if (!quote.has(q)) quote.set(q, name);
    });
    walk(s.sections, `${sp}.sections`, here);
  });
  walk(doc.sections ?? [], 'sections', []);
  return { figure, quote, byPath };
}

const ID = String.raw`[0-9A-Za-z_-]{4,}:[^\s,;()]+`;

/** A verifier's message without the ids and keys it names. */
function readable(message: string): string {
  return message
    .replace(new RegExp(String.raw`\s*\((?:[^()]*?${ID}[^()]*?)\)`, 'g'), '')
    .replace(new RegExp(String.raw`(contributions?) ${ID}`, 'g'), '$1 citée')
    .replace(/cite un chiffre inconnu : \S+/, 'cite un chiffre absent du document')
    .replace(/cite une citation inconnue : \S+/, 'cite une citation absente du document')
    .replace(/\s*\(chemin [^)]*\)/g, '')
    .trim();
}

/** Verification failures as the people who fix them read them: where, and what, in French. */
export function describeFailures(doc: SynthesisDocument, failures: VerificationFailure[]): PublicationProblem[] {
  const t = trails(doc);
  return failures.map((f) => {
    const [head = '', key] = f.path.split(' ');
    let section = 'Document';
    let message = readable(f.message);
    if (head.startsWith('figures') && key) {
      section = t.figure.get(key) ?? 'Liste des sources';
      message = `chiffre ${message.startsWith('«') ? '' : '« ' + (doc.figures.find((x) => x.key === key)?.label ?? 'sans nom') + ' » : '}${message}`;
    } else if (head.startsWith('figures')) {
      section = 'Liste des sources';
    } else if (head.startsWith('quotes') && key) {
      section = t.quote.get(key) ?? 'Citations';
      message = `citation : ${message}`;
    } else if (head.startsWith('sections')) {
      section = t.byPath.get(head) ?? 'Document';
    } else if (head.startsWith('contributionSources')) {
      section = 'Liste des sources';
    }
    if (!/[.!?]$/.test(message)) message += '.';
    return { code: 'verification', section, message: message.charAt(0).toUpperCase() + message.slice(1), path: f.path, detail: f.message };
  });
}

/** Publication refused: the list says what to fix, section by section. */
