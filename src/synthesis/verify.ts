/**
 * Verification of a synthesis document against the store: every figure is recomputed from its rule
 * and compared (value and the ids it counts), every quote must be verbatim in its contribution and
 * in the contribution's source span, every reference from the text must resolve. Rendering and
 * publishing refuse a document that fails, naming each failure.
 */
import type { Contribution } from '../domain/contribution.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import type { SourceRef } from '../domain/source.ts';
import { UserError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import { evaluateRule, loadSynthesisData, noConsultationData, type Evaluation, type SynthesisData } from './data.ts';
import { ideaGroupOfKey, objectivesForItem, ownContributions, sameObjective } from './links.ts';
import {
  COVERAGE_FORMAT, FOLLOWUP_FORMAT, SYNTHESIS_FORMAT, SYNTHESIS_FORMAT_VERSION, figuresOfBlock, quotesOfBlock,
  type IdeaItem, type LinkedObjective, type Section, type SynthesisDocument, type VerifiedFigure,
} from './model.ts';
import { canonicalJson } from '../domain/json.ts';
import { plural, pluralForm } from '../text/french.ts';

import { describeFailures, type VerificationFailure } from './failures.ts';

export type { VerificationFailure } from './failures.ts';

export interface VerificationResult {
  ok: boolean;
  failures: VerificationFailure[];
  checked: { figures: number; quotes: number };
}

export interface VerifyOptions {
  /**
   * Text of a source document as extracted at import (e.g. re-read from the original file), to
   * check quotes against the exact source span. Without it the span is checked through the raw
   * text kept with the contribution when there is one.
   */
  documentText?: (documentId: string) => string | undefined | Promise<string | undefined>;
}

/**
 * A document that does not verify: a conflict between what it says and the data (nothing is saved or written).
 * The message says where and what in French (`problems`, as the publication gate lists them); the verifier's own
 * failures, with their paths and ids, stay in `failures` for tools.
 */
export class SynthesisVerificationError extends UserError {
  readonly problems: { section: string; message: string }[];
  constructor(readonly failures: VerificationFailure[], doc?: SynthesisDocument) {
    const problems = doc ? describeFailures(doc, failures) : failures.map(() => ({ section: 'Document', message: 'Un chiffre ou une citation ne correspond plus aux données.' }));
    super('conflict', `Le document ne peut pas être produit : ${plural(failures.length, 'vérification', 'vérifications')} en échec. `
      + 'Régénérez-le pour reprendre les données actuelles.\n'
      + problems.slice(0, 50).map((p) => `  – ${p.section} : ${p.message}`).join('\n')
      + (failures.length > 50 ? `\n  … et ${plural(failures.length - 50, 'autre', 'autres')}.` : ''));
    this.name = 'SynthesisVerificationError';
    this.problems = problems.map((p) => ({ section: p.section, message: p.message }));
  }
}

/** Comparison that ignores layout: spaces, line breaks, split words, apostrophe and quote styles. */
export function looseText(s: string): string {
  return s.normalize('NFC').replace(/[’‘`´]/g, "'").replace(/[«»“”„]/g, '"').replace(/[\u00AD\uE000-\uF8FF]/g, '').replace(/\s+/g, '');
}


function sameSource(a: SourceRef, b: SourceRef): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function diffIds(stored: string[], computed: string[]): string | undefined {
  const s = new Set(stored);
  const c = new Set(computed);
  const missing = computed.filter((x) => !s.has(x));
  const extra = stored.filter((x) => !c.has(x));
  if (missing.length === 0 && extra.length === 0 && s.size === stored.length) return undefined;
  const parts: string[] = [];
  if (missing.length) parts.push(`${plural(missing.length, 'contribution comptée par les données mais absente', 'contributions comptées par les données mais absentes')} du document (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);
  if (extra.length) parts.push(`${plural(extra.length, 'contribution listée par le document mais qui ne correspond plus', 'contributions listées par le document mais qui ne correspondent plus')} (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', …' : ''})`);
  if (s.size !== stored.length) parts.push('identifiants en double');
  return parts.join(' ; ');
}

function fmt(n: number | null | undefined): string {
  return n === null || n === undefined ? 'aucune valeur' : n.toLocaleString('fr-FR');
}

export async function verifySynthesis(store: Store, doc: SynthesisDocument, options: VerifyOptions = {}): Promise<VerificationResult> {
  const failures: VerificationFailure[] = [];
  const fail = (path: string, message: string) => failures.push({ path, message });
  // a coverage report and a follow-up report are the same model (their figures read the plan's links, actions and indicators)
  if (!doc || typeof doc !== 'object' || (doc.format !== SYNTHESIS_FORMAT && doc.format !== COVERAGE_FORMAT && doc.format !== FOLLOWUP_FORMAT)) {
    fail('format', `ce n’est pas un document de synthèse Fabrique (format attendu : ${SYNTHESIS_FORMAT}, ${COVERAGE_FORMAT} ou ${FOLLOWUP_FORMAT})`);
    return { ok: false, failures, checked: { figures: 0, quotes: 0 } };
  }
  if (doc.version !== SYNTHESIS_FORMAT_VERSION) fail('version', `version ${String(doc.version)} inconnue (attendue : ${SYNTHESIS_FORMAT_VERSION})`);
  let data: SynthesisData;
  try {
    // the follow-up report of a plan imported without a consultation names none
    data = doc.format === FOLLOWUP_FORMAT && !doc.consultation ? noConsultationData(store) : await loadSynthesisData(store, doc.consultation);
  } catch (e) {
    fail('consultation', (e as Error).message);
    return { ok: false, failures, checked: { figures: 0, quotes: 0 } };
  }
  const r = await verifyAgainst(data, doc, options);
  return { ...r, ok: failures.length === 0 && r.ok, failures: [...failures, ...r.failures] };
}

/** The checks of verifySynthesis on data already loaded (the same data the builder used, in tests). */
export async function verifyAgainst(data: SynthesisData, doc: SynthesisDocument, options: VerifyOptions = {}): Promise<VerificationResult> {
  const failures: VerificationFailure[] = [];
  const fail = (path: string, message: string) => failures.push({ path, message });
  const figures = Array.isArray(doc.figures) ? doc.figures : [];
  const quotes = Array.isArray(doc.quotes) ? doc.quotes : [];

  // ---- figures ----
  const byKey = new Map<string, { f: VerifiedFigure; i: number }>();
  figures.forEach((f, i) => {
    if (byKey.has(f.key)) fail(`figures[${i}] ${f.key}`, 'clé de chiffre en double');
    else byKey.set(f.key, { f, i });
  });
  const recomputed = new Map<string, Evaluation>();
  const inProgress = new Set<string>();
  const recompute = async (key: string): Promise<Evaluation | undefined> => {
    const done = recomputed.get(key);
    if (done) return done;
    const entry = byKey.get(key);
    if (!entry || inProgress.has(key)) return undefined;
    inProgress.add(key);
    // dependencies first (shares and differences refer to other figures)
    const r = entry.f.rule;
    if (r && (r.op === 'share' || r.op === 'difference')) {
      for (const dep of r.op === 'share' ? [r.numerator, r.denominator] : [r.minuend, r.subtrahend]) await recompute(dep);
    }
    let e: Evaluation;
    try {
      e = r ? await evaluateRule(data, r, (k) => recomputed.get(k)?.value ?? undefined) : { value: null, contributions: [], error: 'règle de calcul absente' };
    } catch (err) {
      e = { value: null, contributions: [], error: (err as Error).message };
    }
    recomputed.set(key, e);
    inProgress.delete(key);
    return e;
  };
  for (const [key, { f, i }] of byKey) {
    const path = `figures[${i}] ${key}`;
    const label = f.label ? ` « ${f.label} »` : '';
    const e = await recompute(key);
    if (!e || e.value === null) { fail(path, `${label.trim() || 'chiffre'} : impossible de le recalculer (${e?.error ?? 'dépendance circulaire'})`); continue; }
    if (typeof f.value !== 'number' || f.value !== e.value) {
      fail(path, `${label.trim() || 'chiffre'} : le document indique ${fmt(f.value)}, les données donnent ${fmt(e.value)}`);
    }
    if (f.rule.op === 'contributions' || (f.rule.op === 'links' && !e.sources) || (f.rule.op === 'followup' && f.rule.count === 'contributions')) {
      const stored = Array.isArray(f.contributions) ? f.contributions : [];
      if (stored.length !== f.value) fail(path, `${label.trim()} : ${fmt(f.value)} ${pluralForm(f.value, 'annoncé', 'annoncés')} mais ${plural(stored.length, 'contribution listée', 'contributions listées')}`);
      const d = diffIds(stored, e.contributions);
      if (d) fail(path, `${label.trim()} : ${d}`);
    } else if (e.sources) {
      const stored = Array.isArray(f.sources) ? f.sources : [];
      if (stored.length !== f.value || [...stored].sort().join('\n') !== [...e.sources].sort().join('\n')) {
        fail(path, `${label.trim()} : la liste des ${f.rule.op === 'links' && f.rule.source === 'idea' ? 'idées communes comptées' : 'éléments comptés'} ne correspond plus aux données`);
      }
    } else if (e.meetings) {
      const stored = f.meetings ?? [];
      const a = [...stored].sort().join('\n');
      const b = [...e.meetings].sort().join('\n');
      if (a !== b) fail(path, `${label.trim()} : la liste des réunions ne correspond plus aux données`);
    }
  }

  // ---- references from the text ----
  const quoteIds = new Set<string>();
  const walk = (sections: Section[], prefix: string) => {
    sections.forEach((s, si) => {
      const sp = `${prefix}[${si}]`;
      s.blocks.forEach((b, bi) => {
        for (const k of figuresOfBlock(b)) if (!byKey.has(k)) fail(`${sp}.blocks[${bi}]`, `la rubrique « ${s.title} » cite un chiffre inconnu : ${k}`);
        for (const q of quotesOfBlock(b)) if (!quotes.some((x) => x.id === q)) fail(`${sp}.blocks[${bi}]`, `la rubrique « ${s.title} » cite une citation inconnue : ${q}`);
      });
      walk(s.sections, `${sp}.sections`);
    });
  };
  walk(Array.isArray(doc.sections) ? doc.sections : [], 'sections');

  // ---- what idea counts count: an idea counts only contributions its section counts (a « Solutions » section's idea
  // counts its propositions, not its constats), a sub-idea only contributions of its idea ----
  const counted = (key: string): Set<string> | undefined =>
    byKey.get(key)?.f.rule?.op === 'contributions' ? new Set(recomputed.get(key)?.contributions ?? []) : undefined;
  const checkIdeas = (items: IdeaItem[], outer: Set<string>, outerLabel: string, path: string) => {
    for (const it of items) {
      const inner = counted(it.figure);
      if (!inner) continue;
      const extra = [...inner].filter((id) => !outer.has(id)).length;
      if (extra > 0) fail(path, `« ${it.label.slice(0, 80)} » compte ${fmt(extra)} ${pluralForm(extra, 'contribution', 'contributions')} que ${outerLabel} ne compte pas : son nombre ne dit pas ce qu’annonce la rubrique`);
      checkIdeas(it.children ?? [], inner, `l’idée « ${it.label.slice(0, 60)} »`, path);
    }
  };
  const walkIdeas = (sections: Section[], prefix: string) => {
    sections.forEach((s, si) => {
      const sp = `${prefix}[${si}]`;
      s.blocks.forEach((b, bi) => {
        if (b.type !== 'ideas') return;
        const head = b.intro?.find((x): x is { figure: string } => typeof x !== 'string');
        const outer = head ? counted(head.figure) : undefined;
        if (outer) checkIdeas(b.items, outer, `la rubrique « ${s.title} »`, `${sp}.blocks[${bi}]`);
      });
      walkIdeas(s.sections, `${sp}.sections`);
    });
  };
  walkIdeas(Array.isArray(doc.sections) ? doc.sections : [], 'sections');

  // ---- plan elements named under the ideas (issue 14): each must still be a decided link of the idea that says
  // the plan takes it up, with the same element title and kind ----
  const checkLinks = (items: IdeaItem[], path: string) => {
    for (const it of items) {
      const listed = Array.isArray(it.objectives) ? it.objectives : [];
      const decided = objectivesForItem(ideaGroupOfKey(String(it.key)), ownContributions(it, (k) => recomputed.get(k)?.contributions), data.linked) ?? [];
      const said = (o: LinkedObjective) => `${o.code} « ${String(o.title).slice(0, 60)} »${o.contributions !== undefined ? ` (par ${fmt(o.contributions)} de ses contributions)` : ''}${o.kind === 'partly' ? ' (en partie)' : ''}`;
      for (const o of listed) {
        if (decided.some((d) => sameObjective(d, o))) continue;
        const now = decided.find((d) => d.plan === o.plan && d.code === o.code);
        fail(path, now
          ? `l’idée « ${String(it.label).slice(0, 60)} » est dite reprise dans ${said(o)}, mais les liens disent désormais ${said(now)}`
          : `l’idée « ${String(it.label).slice(0, 60)} » est dite reprise dans l’élément ${o.code} du schéma, mais ce lien n’est plus confirmé`);
      }
      checkLinks(Array.isArray(it.children) ? it.children : [], path);
    }
  };
  const walkLinks = (sections: Section[], prefix: string) => {
    sections.forEach((s, si) => {
      const sp = `${prefix}[${si}]`;
      s.blocks.forEach((b, bi) => { if (b.type === 'ideas') checkLinks(b.items, `${sp}.blocks[${bi}]`); });
      walkLinks(s.sections, `${sp}.sections`);
    });
  };
  walkLinks(Array.isArray(doc.sections) ? doc.sections : [], 'sections');

  // a synthesis only sees public contributions: say why one is missing
  const missing = (id: string) => {
    const status = data.withheld.get(id);
    return status === undefined ? `la contribution ${id} n’existe plus`
      : status === 'rejected' ? `la contribution ${id} a été rejetée par la modération` : `la contribution ${id} n’est pas publiée (modération : ${status})`;
  };
  // ---- quotes ----
  const textCache = new Map<string, string | undefined>();
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i]!;
    const path = `quotes[${i}] ${q.id}`;
    if (quoteIds.has(q.id)) fail(path, 'identifiant de citation en double');
    quoteIds.add(q.id);
    const c: Contribution | undefined = data.byId.get(q.contribution);
    if (!c) { fail(path, missing(q.contribution)); continue; }
    if (typeof q.text !== 'string' || q.text.trim() === '') { fail(path, 'citation vide'); continue; }
    if (!c.text.includes(q.text)) {
      fail(path, `la citation « ${q.text.slice(0, 60)}${q.text.length > 60 ? '…' : ''} » ne figure pas mot pour mot dans la contribution ${c.id}`);
      continue;
    }
    if (!q.source || !sameSource(q.source, c.source)) {
      fail(path, `la référence de source de la citation ne correspond pas à celle de la contribution ${c.id}`);
      continue;
    }
    if (q.repeatedBy !== undefined) {
      // « texte repris par N contributions »: N is the number of listed contributions, each still public
      const ids = Array.isArray(q.repeatedBy) ? q.repeatedBy : [];
      const gone = ids.filter((id) => !data.byId.has(id));
      if (ids.length < 2 || new Set(ids).size !== ids.length || !ids.includes(c.id)) fail(path, `la liste des contributions qui reprennent ce texte est incohérente (${plural(ids.length, 'identifiant', 'identifiants')})`);
      else if (gone.length > 0) fail(path, `le texte est dit repris par ${ids.length} contributions, mais ${missing(gone[0]!)}${gone.length > 1 ? ` (et ${plural(gone.length - 1, 'autre', 'autres')})` : ''}`);
    }
    const loose = looseText(q.text);
    if (c.rawText !== undefined && !looseText(c.rawText).includes(loose)) {
      fail(path, `la citation ne se retrouve pas dans le texte source de la contribution ${c.id} (${c.source.file}${c.source.lineStart ? `, l. ${c.source.lineStart}` : ''})`);
      continue;
    }
    if (options.documentText && c.source.charStart !== undefined && c.source.charEnd !== undefined) {
      if (!textCache.has(c.source.documentId)) textCache.set(c.source.documentId, await options.documentText(c.source.documentId));
      const full = textCache.get(c.source.documentId);
      if (full !== undefined) {
        const span = full.slice(c.source.charStart, c.source.charEnd);
        // quotes are of the pseudonymised text: the source span is compared once masked the same way
        if (!looseText(span).includes(loose) && !looseText(pseudonymise(span).text).includes(loose)) fail(path, `la citation ne se retrouve pas dans l’extrait ${c.source.charStart}–${c.source.charEnd} de « ${c.source.file} »`);
      }
    }
  }
  // ---- sources listed for the contributions ----
  for (const [id, src] of Object.entries(doc.contributionSources ?? {})) {
    const c = data.byId.get(id);
    if (!c) fail(`contributionSources.${id}`, missing(id));
    else if (!sameSource(src, c.source)) fail(`contributionSources.${id}`, `la source indiquée pour la contribution ${id} ne correspond plus aux données`);
  }
  for (const f of figures) for (const id of f.contributions ?? []) {
    if (!(doc.contributionSources ?? {})[id]) { fail(`figures ${f.key}`, `la source de la contribution ${id} n’est pas indiquée`); break; }
  }
  return { ok: failures.length === 0, failures, checked: { figures: byKey.size, quotes: quotes.length } };
}

/** Throws a SynthesisVerificationError naming every failure when the document does not verify. */
export async function assertVerified(store: Store, doc: SynthesisDocument, options: VerifyOptions = {}): Promise<VerificationResult> {
  const r = await verifySynthesis(store, doc, options);
  if (!r.ok) throw new SynthesisVerificationError(r.failures, doc);
  return r;
}
