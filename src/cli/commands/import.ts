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
import { agree } from '../../synthesis/agree.ts';

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
    });
    if (positionals.length === 0) throw new UsageError('aucun fichier à importer');
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
const counted = (n: number, words: string) => `${n} ${agree(words, n)}`;

export function printImportResult(r: ImportResult): void {
  const what = r.outcome === 'unchanged'
    ? 'déjà importé, rien de nouveau'
    : `${r.outcome === 'replaced' ? 'réimporté (nouvelle lecture : version du lecteur ou options)' : 'importé'} : ${counted(r.contributions, 'contribution(s)')}` +
      (r.meetings ? `, ${counted(r.meetings, 'réunion(s)')}` : '') + (r.syntheses ? `, ${counted(r.syntheses, 'élément(s) de synthèse')}` : '');
  const gate = r.publication ? `publié en bloc par ${r.publication.by}` : 'contributions en attente de modération';
  console.log(`• ${r.fileName} [${r.parser}] — ${what} (${gate})`);
  if (r.outcome !== 'unchanged') printWarnings(r.warnings);
}
