import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, extname, basename, join } from 'node:path';
import type { SynthesisLevel } from '../../domain/synthesis.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import {
  buildSynthesis, chromiumAvailable, launchBrowser, renderUnverified, saveSynthesis, SYNTHESIS_FORMATS,
  SynthesisVerificationError, verifySynthesis, assertVerified, type SynthesisDocument, type SynthesisFormat,
} from '../../synthesis/index.ts';
import { CliError, parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';

export const synthesizeCommand: Command = {
  name: 'synthesize',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' },
      territory: { type: 'string' },
      level: { type: 'string' },
      format: { type: 'string', default: 'html' },
      out: { type: 'string', short: 'o' },
    }, false);
    const slug = requireOption(values.consultation, 'consultation');
    const out = requireOption(values.out, 'out');
    const formats = parseFormats(values.format);
    const level = values.level as SynthesisLevel | undefined;
    if (level !== undefined && level !== 'departement' && level !== 'region') throw new UsageError(`niveau inconnu : ${level} (departement ou region)`);
    const store = await Store.open(configFromEnv());
    try {
      const files = await writeSynthesis(store, { consultation: slug, ...(level ? { level } : {}), ...(values.territory ? { territory: values.territory } : {}), formats, out });
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
    let doc: SynthesisDocument;
    try {
      doc = JSON.parse(await readFile(path, 'utf8')) as SynthesisDocument;
    } catch (e) {
      throw new CliError(`Lecture impossible de ${path} : ${(e as Error).message.split('\n')[0]}`);
    }
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.figures) || !Array.isArray(doc.quotes) || typeof doc.consultation !== 'string') {
      throw new CliError(`${path} n’est pas une synthèse Fabrique (format JSON de « fabrique synthesize --format json »).`);
    }
    const store = await Store.open(configFromEnv());
    try {
      await store.requireConsultation(doc.consultation);
      const result = await verifySynthesis(store, doc);
      if (result.ok) {
        console.log(`Synthèse vérifiée : ${result.checked.figures} chiffres recalculés et ${result.checked.quotes} citations retrouvées, aucun écart.`);
        return 0;
      }
      console.error(`Synthèse NON conforme : ${result.failures.length} écart(s).`);
      for (const f of result.failures) console.error(`  – ${f.path} : ${f.message}`);
      return 1;
    } finally {
      await store.close();
    }
  },
};

function parseFormats(value: string | undefined): SynthesisFormat[] {
  const list = (value ?? 'html').split(',').map((s) => s.trim()).filter(Boolean);
  const all = list.includes('all') ? [...SYNTHESIS_FORMATS] : list;
  for (const f of all) {
    if (!(SYNTHESIS_FORMATS as readonly string[]).includes(f)) throw new UsageError(`format inconnu : ${f} (${SYNTHESIS_FORMATS.join(', ')} ou all)`);
  }
  return all as SynthesisFormat[];
}

/**
 * Builds, stores, verifies and writes a synthesis. With one format, `out` is the file; with
 * several, `out` without its extension is the base name of each file. Nothing is written when a
 * check fails.
 */
export async function writeSynthesis(store: Store, o: { consultation: string; level?: SynthesisLevel; territory?: string; formats: SynthesisFormat[]; out: string }):
  Promise<{ files: string[]; notices: string[]; doc: SynthesisDocument }> {
  const consultation = await store.requireConsultation(o.consultation);
  // Région and département codes overlap ("75", "76"…): the territories table says which one is meant.
  const scope = consultation.territoryLevel ?? (await store.getTerritory(consultation.territory))?.level;
  const level: SynthesisLevel = o.level ?? (scope === 'region' ? 'region' : 'departement');
  let doc: SynthesisDocument;
  try {
    doc = await buildSynthesis(store, { consultation: o.consultation, level, ...(o.territory ? { territory: o.territory } : {}) });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  try {
    await assertVerified(store, doc);
  } catch (e) {
    if (e instanceof SynthesisVerificationError) throw new CliError(e.message);
    throw e;
  }
  const needsBrowser = o.formats.some((f) => f === 'pdf');
  if (needsBrowser && !chromiumAvailable()) {
    throw new CliError('Le PDF est produit avec Chromium, absent de cette machine : installez-le (apt-get install chromium) ou choisissez --format html.');
  }
  const browser = needsBrowser || (o.formats.includes('docx') && chromiumAvailable()) ? await launchBrowser() : undefined;
  const files: string[] = [];
  const notices: string[] = [...doc.notices];
  try {
    const rendered = [];
    for (const f of o.formats) rendered.push(await renderUnverified(doc, f, browser ? { browser } : {}));
    await saveSynthesis(store, doc);
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
