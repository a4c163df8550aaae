import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isConsultationArchive } from '../../store/archive.ts';
import { readLimited } from '../../ingest/import-file.ts';
import { parseThemeMapOption } from '../../ingest/tabular/themes.ts';
import { Store, configFromEnv, type ImportResult } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { importFiles, restoreArchive } from '../../usecases/imports.ts';
import { parseCommandArgs, parseMapOption, requireOption, UsageError, type Command } from '../args.ts';
import { printWarnings } from '../output.ts';
import { plural } from '../../text/french.ts';

export const importCommand: Command = {
  name: 'import',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' },
      map: { type: 'string' },
      themes: { type: 'string' },
      sheet: { type: 'string' },
      parser: { type: 'string' },
      meeting: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      publish: { type: 'boolean' },
      by: { type: 'string' },
      plan: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('aucun fichier à importer');
    // a schéma territorial de santé (recognised by the plan parsers, or said with --plan) has its own import
    const plans = values.plan ? positionals : await detectPlans(positionals);
    if (plans.length > 0) {
      if (plans.length !== positionals.length) throw new UsageError('un schéma territorial de santé s’importe seul, sans autre fichier');
      if (!values.plan && !values.consultation) throw new UsageError(`« ${basename(plans[0]!)} » est un schéma territorial de santé : indiquez la consultation à laquelle il répond (--consultation <slug>) ou --plan pour l’importer sans consultation`);
      for (const [name, given] of [['map', values.map], ['sheet', values.sheet], ['meeting', values.meeting], ['publish', values.publish], ['force', values.force]] as const) {
        if (given !== undefined) throw new UsageError(`--${name} ne s’applique pas à un schéma territorial de santé`);
      }
      return importPlanPaths(plans, { ...(values.consultation ? { consultation: values.consultation } : {}), ...(values.parser ? { parser: values.parser } : {}), json: values.json ?? false });
    }
    // Imported contributions await moderation; publishing a document as a whole is a named person's decision.
    if (values.publish && !values.by?.trim()) throw new UsageError('--publish demande --by <nom> : la personne qui publie le document en bloc (enregistrée)');
    if (values.by !== undefined && !values.publish) throw new UsageError('--by ne sert qu’avec --publish');
    const archives = await readArchives(positionals);
    if (archives.length > 0) {
      if (archives.length !== positionals.length) throw new UsageError('une archive de consultation s’importe seule, sans autre fichier');
      return importArchives(archives, { ...(values.consultation ? { consultation: values.consultation } : {}), force: values.force ?? false, json: values.json ?? false });
    }
    const slug = requireOption(values.consultation, 'consultation');
    const store = await Store.open(configFromEnv());
    try {
      const results = await importPaths(store, slug, positionals, {
        ...(values.map ? { map: parseMapOption(values.map)! } : {}),
        ...(values.sheet ? { sheet: values.sheet } : {}),
        ...(values.themes !== undefined ? { themeMap: parseThemeMapOption(values.themes) ?? {} } : {}),
        ...(values.parser ? { parser: values.parser } : {}),
        ...(values.meeting ? { meeting: values.meeting } : {}),
        ...(values.publish ? { publishBy: values.by!.trim() } : {}),
        ...(values.force ? { force: true } : {}),
      });
      if (values.json) console.log(JSON.stringify(results, null, 2));
      else for (const r of results) printImportResult(r);
    } finally {
      await store.close();
    }
  },
};

/** Reads the files (within the size limit) and imports them with the use case the back office's upload calls too. */
export async function importPaths(store: Store, slug: string, paths: string[],
  opts: { map?: Record<string, string>; sheet?: string; themeMap?: Record<string, string>; parser?: string; meeting?: string; publishBy?: string; force?: boolean } = {}): Promise<ImportResult[]> {
  const files = [];
  for (const path of paths) files.push({ name: basename(path), bytes: await readLimited(path) });
  return importFiles(context(store, CLI_ACTOR), { consultation: slug, files, ...opts });
}

/**
 * The text files among `paths` a plan parser recognises (their detection, not a full parse). A PDF or DOCX
 * plan is read through its reader only when said with --plan: extracting it just to detect it costs seconds.
 */
async function detectPlans(paths: string[]): Promise<string[]> {
  const { listPlanParsers } = await import('../../ingest/plan/index.ts');
  const { decodeText } = await import('../../ingest/readers/text.ts');
  const out: string[] = [];
  for (const path of paths) {
    if (!/\.(txt|md|markdown)$/i.test(path)) continue;
    let text: string;
    try { text = decodeText(await readLimited(path)).text; } catch { continue; } // unreadable: the ordinary import reports it in French
    if (listPlanParsers().some((p) => p.detect(text, basename(path)) >= 0.5)) out.push(path);
  }
  return out;
}

async function importPlanPaths(paths: string[], opts: { consultation?: string; parser?: string; json: boolean }): Promise<void> {
  const { importPlan } = await import('../../usecases/plan.ts');
  const store = await Store.open(configFromEnv());
  try {
    for (const path of paths) {
      const r = await importPlan(context(store, CLI_ACTOR), {
        bytes: await readLimited(path), fileName: basename(path), ...(opts.consultation ? { consultation: opts.consultation } : {}), ...(opts.parser ? { parser: opts.parser } : {}),
      });
      if (opts.json) { console.log(JSON.stringify(r, null, 2)); continue; }
      const c = r.counts;
      const target = r.consultation ? `consultation « ${r.consultation} »` : 'sans consultation';
      const what = r.outcome === 'unchanged' ? 'déjà importé, rien de nouveau'
        : `${r.outcome === 'replaced' ? 'importé, remplace la version précédente' : 'importé'} : ${plural(c.engagements, 'engagement', 'engagements')}, ${plural(c.defis, 'défi', 'défis')}, `
          + `${plural(c.objectives, 'objectif opérationnel', 'objectifs opérationnels')}, ${plural(c.actions, 'action', 'actions')} « En pratique », ${plural(c.oqos, 'ligne', 'lignes')} OQOS, `
          + `${plural(c.indicators, 'indicateur', 'indicateurs')} (data repère), ${plural(c.consultationItems, 'élément', 'éléments')} de consultation, ${plural(c.missingFigures, 'figure perdue', 'figures perdues')}`;
      console.log(`• ${r.fileName} [${r.parser}] — schéma territorial de santé ${r.territoryName} (${r.territory}${r.period ? `, ${r.period.start}-${r.period.end}` : ''}), ${target} — ${what}`);
      console.log(`  plan ${r.planId} ; ${plural(c.warnings, 'avertissement', 'avertissements')}${r.outcome === 'unchanged' ? '' : ' (fabrique parse <fichier> pour les lire)'}`);
    }
  } finally {
    await store.close();
  }
}

/** The files among `paths` that are consultation archives (by content: a ZIP with a Fabrique manifest). */
async function readArchives(paths: string[]): Promise<{ path: string; bytes: Uint8Array }[]> {
  const out: { path: string; bytes: Uint8Array }[] = [];
  for (const path of paths) {
    let head: Buffer;
    try {
      const handle = await open(path, 'r');
      try { head = Buffer.alloc(4); await handle.read(head, 0, 4, 0); } finally { await handle.close(); }
    } catch {
      continue; // unreadable: the ordinary import reports it in French
    }
    if (!head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) continue;
    const bytes = await readFile(path);
    if (isConsultationArchive(bytes)) out.push({ path, bytes });
  }
  return out;
}

async function importArchives(archives: { path: string; bytes: Uint8Array }[], opts: { consultation?: string; force: boolean; json: boolean }): Promise<void> {
  const store = await Store.open(configFromEnv());
  try {
    for (const a of archives) {
      const r = await restoreArchive(context(store, CLI_ACTOR), {
        bytes: a.bytes, fileName: basename(a.path), force: opts.force, ...(opts.consultation ? { consultation: opts.consultation } : {}),
      });
      if (opts.json) { console.log(JSON.stringify({ file: a.path, consultation: r.consultation, replaced: r.replaced, counts: r.counts }, null, 2)); continue; }
      const c = r.counts;
      console.log(`• ${basename(a.path)} [archive de consultation, format ${r.manifest.formatVersion}, Fabrique ${r.manifest.appVersion}] — consultation « ${r.consultation} » ${r.replaced ? 'remplacée' : 'restaurée'} : ` +
        `${c.contributions ?? 0} contributions, ${c.meetings ?? 0} réunions, ${c.source_documents ?? 0} documents (${c.source_files ?? 0} fichiers d’origine), ` +
        `${c.idea_groups ?? 0} idées communes, ${c.syntheses ?? 0} synthèses, ${c.published_syntheses ?? 0} restitutions publiées, ${c.audit_log ?? 0} entrées du journal`);
    }
  } finally {
    await store.close();
  }
}

/** « 1 réunion », « 3 réunions » */
export function printImportResult(r: ImportResult): void {
  const what = r.outcome === 'unchanged'
    ? 'déjà importé, rien de nouveau'
    : `${r.outcome === 'replaced' ? 'réimporté (nouvelle lecture : version du lecteur ou options)' : 'importé'} : ${plural(r.contributions, 'contribution', 'contributions')}` +
      (r.meetings ? `, ${plural(r.meetings, 'réunion', 'réunions')}` : '') + (r.syntheses ? `, ${plural(r.syntheses, 'élément de synthèse', 'éléments de synthèse')}` : '');
  const gate = r.publication ? `publié en bloc par ${r.publication.by}` : 'contributions en attente de modération';
  console.log(`• ${r.fileName} [${r.parser}] — ${what} (${gate})`);
  if (r.outcome !== 'unchanged') printWarnings(r.warnings);
}
