/**
 * `fabrique link` (issue 14): the plan's objectives ranked for each proposal, idea and plan item of a stored
 * consultation (stored as suggested links, decisions kept), or for free texts read from JSON Lines against a
 * plan file, without a database. Both write JSON Lines (docs/format-links.md).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { linkTargets, suggestLinks } from '../../analysis/link/index.ts';
import { LINK_SOURCE_KINDS, type LinkSourceKind, type LinkSourceRef, type LinkSuggestion } from '../../domain/links.ts';
import { parsePlanBytes } from '../../ingest/plan/index.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { suggestPlanLinks } from '../../usecases/links.ts';
import { getPlan } from '../../usecases/plan.ts';
import { CliError, parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { plural } from '../../text/french.ts';

/** Longest free text read from --in: a proposal, not a document. */
const MAX_TEXT = 20_000;

/** One JSON Lines record of the output: a source and its candidates, best first. */
export function suggestionLine(s: LinkSuggestion): string {
  const candidates = [...s.candidates].sort((a, b) => b.score - a.score || a.target.localeCompare(b.target))
    .map((c) => ({ target: c.target, score: c.score, evidence: c.evidence }));
  return JSON.stringify({ source: s.source, candidates, nothingFits: s.nothingFits });
}

/**
 * The texts of an --in file: one `{"id","text"}` object a line (optional `kind`: contribution, idea or planItem;
 * contribution by default), blank lines skipped. Every mistake names its line, in French.
 */
export function parseLinkItems(content: string, file: string): { source: LinkSourceRef; text: string }[] {
  const out: { source: LinkSourceRef; text: string }[] = [];
  const seen = new Map<string, number>();
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (raw.trim() === '') return;
    const at = `${file}, ligne ${n}`;
    let v: unknown;
    try { v = JSON.parse(raw); } catch { throw new CliError(`${at} : JSON invalide (attendu un objet {"id": …, "text": …} par ligne).`); }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new CliError(`${at} : attendu un objet {"id": …, "text": …}.`);
    const o = v as Record<string, unknown>;
    const id = typeof o.id === 'number' && Number.isFinite(o.id) ? String(o.id) : o.id;
    if (typeof id !== 'string' || id.trim() === '') throw new CliError(`${at} : « id » manquant ou vide (texte ou nombre).`);
    if (typeof o.text !== 'string' || o.text.trim() === '') throw new CliError(`${at} : « text » manquant ou vide.`);
    if (o.text.length > MAX_TEXT) throw new CliError(`${at} : « text » trop long (${MAX_TEXT} caractères au plus).`);
    const kind = o.kind === undefined ? 'contribution' : o.kind;
    if (typeof kind !== 'string' || !LINK_SOURCE_KINDS.includes(kind as LinkSourceKind)) {
      throw new CliError(`${at} : « kind » inconnu (${JSON.stringify(o.kind)} ; possibles : ${LINK_SOURCE_KINDS.join(', ')}).`);
    }
    const key = `${kind}\u0000${id}`;
    if (seen.has(key)) throw new CliError(`${at} : identifiant « ${id} » déjà lu ligne ${seen.get(key)}.`);
    seen.set(key, n);
    out.push({ source: { kind: kind as LinkSourceKind, id }, text: o.text });
  });
  return out;
}

function write(lines: string[], out: string | undefined): void {
  const text = lines.map((l) => `${l}\n`).join('');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

function summary(suggestions: LinkSuggestion[], out: string | undefined): string {
  const none = suggestions.filter((s) => s.nothingFits).length;
  return `${plural(suggestions.length, 'source', 'sources')} : ${suggestions.length - none} avec au moins un objectif au-dessus du seuil, ${none} sans objectif qui convienne${out ? ` — écrit dans ${out}` : ''}`;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

export const linkCommand: Command = {
  name: 'link',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' }, plan: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' },
      sources: { type: 'string' }, top: { type: 'string' },
    }, false);
    const planArg = requireOption(values.plan, 'plan');
    const top = values.top === undefined ? undefined : Number(values.top);
    if (top !== undefined && !(Number.isInteger(top) && top >= 1 && top <= 50)) throw new UsageError('--top attend un entier entre 1 et 50');

    if (values.in !== undefined) {
      if (values.consultation !== undefined || values.sources !== undefined) throw new UsageError('--in relie des textes libres : sans --consultation ni --sources');
      if (!isFile(values.in)) throw new CliError(`Fichier introuvable : ${values.in}`);
      const items = parseLinkItems(readFileSync(values.in, 'utf8'), basename(values.in));
      let suggestions: LinkSuggestion[];
      if (isFile(planArg)) {
        // a plan file: parsed here, nothing stored; its text gives the reuse evidence their line numbers
        const bytes = new Uint8Array(readFileSync(planArg));
        const parsed = await parsePlanBytes(bytes, basename(planArg));
        if (!parsed) throw new CliError(`« ${basename(planArg)} » n’est pas reconnu comme un schéma territorial de santé.`);
        const planText = new TextDecoder('utf-8').decode(bytes);
        suggestions = suggestLinks(linkTargets(parsed), items, { planText, ...(top !== undefined ? { top } : {}) });
      } else {
        const store = await Store.open(configFromEnv());
        try {
          const plan = await getPlan(context(store, CLI_ACTOR), planArg);
          suggestions = suggestLinks(linkTargets(plan), items, top !== undefined ? { top } : {});
        } finally {
          await store.close();
        }
      }
      write(suggestions.map(suggestionLine), values.out);
      console.error(summary(suggestions, values.out));
      return;
    }

    const kinds = values.sources?.split(',').map((s) => s.trim()).filter(Boolean);
    const store = await Store.open(configFromEnv());
    try {
      const suggestions = await suggestPlanLinks(context(store, CLI_ACTOR), {
        plan: planArg, ...(values.consultation ? { consultation: values.consultation } : {}), ...(kinds ? { sources: kinds as LinkSourceKind[] } : {}),
        ...(top !== undefined ? { top } : {}),
      });
      write(suggestions.map(suggestionLine), values.out);
      console.error(`${summary(suggestions, values.out)} ; suggestions enregistrées, décisions gardées`);
    } finally {
      await store.close();
    }
  },
};
