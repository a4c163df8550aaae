import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, extname, basename, join } from 'node:path';
import { UserError } from '../../domain/errors.ts';
import type { SynthesisLevel } from '../../domain/synthesis.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { COVERAGE_FORMAT, FOLLOWUP_FORMAT, chromiumAvailable, launchBrowser, renderUnverified, SYNTHESIS_FORMATS, type SynthesisDocument, type SynthesisFormat } from '../../synthesis/index.ts';
import { CLI_ACTOR, context, type UseCaseContext } from '../../usecases/context.ts';
import { editSynthesisEditorial, generateSynthesis, markNational, verifySynthesisDocument, type EditorialChange } from '../../usecases/syntheses.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { terminalProgress } from '../output.ts';
import { plural } from '../../text/french.ts';

export const synthesizeCommand: Command = {
  name: 'synthesize',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' },
      territory: { type: 'string' },
      level: { type: 'string' },
      format: { type: 'string', default: 'html' },
      out: { type: 'string', short: 'o' },
      'quotes-per-idea': { type: 'string' },
      editorial: { type: 'string' },
    }, false);
    const slug = requireOption(values.consultation, 'consultation');
    const out = requireOption(values.out, 'out');
    const formats = parseFormats(values.format);
    const level = values.level as SynthesisLevel | undefined;
    if (level !== undefined && level !== 'departement' && level !== 'region') throw new UsageError(`niveau inconnu : ${level} (departement ou region)`);
    const perIdea = values['quotes-per-idea'] === undefined ? undefined : Number(values['quotes-per-idea']);
    if (perIdea !== undefined && !(Number.isInteger(perIdea) && perIdea >= 0 && perIdea <= 50)) throw new UsageError('--quotes-per-idea attend un entier de 0 à 50');
    const store = await Store.open(configFromEnv());
    try {
      const target = { consultation: slug, ...(level ? { level } : {}), ...(values.territory ? { territory: values.territory } : {}) };
      if (values.editorial) await applyEditorialFile(context(store, CLI_ACTOR), target, values.editorial);
      const files = await writeSynthesis(context(store, CLI_ACTOR), { ...target, ...(perIdea !== undefined ? { quotesPerIdea: perIdea } : {}), formats, out });
      for (const f of files.files) console.log(`Synthèse écrite : ${f}`);
      for (const n of files.notices) console.log(`  note : ${n}`);
    } finally {
      await store.close();
    }
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {});
    if (positionals.length !== 1) throw new UsageError('indiquez un fichier de synthèse JSON');
    const path = positionals[0]!;
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new UserError('invalid', `Lecture impossible de ${path} : ${(e as Error).message.split('\n')[0]}`);
    }
    const store = await Store.open(configFromEnv());
    try {
      let result;
      try {
        result = await verifySynthesisDocument(context(store, CLI_ACTOR), doc);
      } catch (e) {
        if (e instanceof UserError && e.code === 'invalid') throw new UserError('invalid', `${path} : ${e.message}`);
        throw e;
      }
      const format = (doc as { format?: unknown }).format;
      const what = format === COVERAGE_FORMAT ? 'Rapport de couverture' : format === FOLLOWUP_FORMAT ? 'Bilan de suivi' : 'Synthèse';
      if (result.ok) {
        console.log(`${what} vérifié${what === 'Synthèse' ? 'e' : ''} : ${result.checked.figures} chiffres recalculés et ${result.checked.quotes} citations retrouvées, aucun écart.`);
        return 0;
      }
      console.error(`${what} NON conforme : ${plural(result.failures.length, 'écart', 'écarts')}.`);
      for (const f of result.failures) console.error(`  – ${f.path} : ${f.message}`);
      return 1;
    } finally {
      await store.close();
    }
  },
};

/**
 * Applies a JSON file of editorial parts before generating (`--editorial`): { texts, headings, quotes, order,
 * actions, national: { contributions: [ids], groups: [ids] } }, each merged as the web app's editor does (audited).
 */
export async function applyEditorialFile(ctx: UseCaseContext, target: { consultation: string; level?: SynthesisLevel; territory?: string }, path: string): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UserError('invalid', `Lecture impossible de ${path} : ${(e as Error).message.split('\n')[0]}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('invalid', `${path} : un objet JSON est attendu ({ "texts": {…}, "actions": {…}, "national": {…} }).`);
  const r = raw as Record<string, unknown>;
  const obj = (k: string) => {
    const v = r[k];
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UserError('invalid', `${path} : « ${k} » doit être un objet.`);
    return v as never;
  };
  const change: EditorialChange = {};
  for (const k of ['texts', 'headings', 'quotes', 'order', 'actions'] as const) {
    const v = obj(k);
    if (v !== undefined) change[k] = v;
  }
  if (Object.keys(change).length > 0) await editSynthesisEditorial(ctx, { ...target, ...change });
  const national = obj('national') as { contributions?: unknown; groups?: unknown } | undefined;
  for (const [type, ids] of [['contribution', national?.contributions], ['group', national?.groups]] as const) {
    if (ids === undefined) continue;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw new UserError('invalid', `${path} : « national.${type}s » doit être une liste d’identifiants.`);
    for (const id of ids as string[]) await markNational(ctx, { consultation: target.consultation, type, id, national: true });
  }
}

function parseFormats(value: string | undefined): SynthesisFormat[] {
  const list = (value ?? 'html').split(',').map((s) => s.trim()).filter(Boolean);
  const all = list.includes('all') ? [...SYNTHESIS_FORMATS] : list;
  for (const f of all) {
    if (!(SYNTHESIS_FORMATS as readonly string[]).includes(f)) throw new UsageError(`format inconnu : ${f} (${SYNTHESIS_FORMATS.join(', ')} ou all)`);
  }
  return all as SynthesisFormat[];
}

/**
 * Generates the synthesis (build → verify → save, refused when a check fails) and writes it in each format. With
 * one format, `out` is the file; with several, `out` without its extension is the base name of each file.
 */
export async function writeSynthesis(ctx: UseCaseContext, o: { consultation: string; level?: SynthesisLevel; territory?: string; quotesPerIdea?: number; formats: SynthesisFormat[]; out: string }):
  Promise<{ files: string[]; notices: string[]; doc: SynthesisDocument }> {
  const needsBrowser = o.formats.some((f) => f === 'pdf');
  if (needsBrowser && !chromiumAvailable()) {
    throw new UserError('unavailable', 'Le PDF est produit avec Chromium, absent de cette machine : installez-le (apt-get install chromium) ou choisissez --format html.');
  }
  const progress = terminalProgress();
  let doc: SynthesisDocument;
  try {
    ({ doc } = await generateSynthesis(ctx, {
      consultation: o.consultation, ...(o.level ? { level: o.level } : {}), ...(o.territory ? { territory: o.territory } : {}), ...(o.quotesPerIdea !== undefined ? { quotesPerIdea: o.quotesPerIdea } : {}), requireVerified: true,
    }, progress));
  } finally {
    progress.end();
  }
  const browser = needsBrowser || (o.formats.includes('docx') && chromiumAvailable()) ? await launchBrowser() : undefined;
  const files: string[] = [];
  const notices: string[] = [...doc.notices];
  try {
    const rendered = [];
    for (const f of o.formats) rendered.push(await renderUnverified(doc, f, browser ? { browser } : {}));
    const base = o.formats.length === 1 ? undefined : join(dirname(o.out), basename(o.out, extname(o.out)));
    await mkdir(dirname(o.out), { recursive: true });
    for (const r of rendered) {
      const file = base ? `${base}.${r.extension}` : o.out;
      await writeFile(file, r.bytes);
      files.push(file);
      notices.push(...r.notices);
    }
  } finally {
    await browser?.close();
  }
  return { files, notices, doc };
}
