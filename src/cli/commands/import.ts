import type { ParsedDocument } from '../../ingest/types.ts';
import { parseFile } from '../../ingest/import-file.ts';
import { Store, configFromEnv, type ImportResult } from '../../store/index.ts';
import { CliError, parseCommandArgs, parseMapOption, requireOption, UsageError, type Command } from '../args.ts';
import { printWarnings } from '../output.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'importe des fichiers (CSV, XLSX, comptes-rendus TXT/MD/PDF/DOCX) dans une consultation',
  usage: 'fabrique import <fichier…> --consultation <slug> [--meeting <id>] [--map texte=Colonne,theme=Thème] [--sheet Feuille] [--parser nom] [--publish --by <nom>] [--json]',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' },
      map: { type: 'string' },
      sheet: { type: 'string' },
      parser: { type: 'string' },
      meeting: { type: 'string' },
      json: { type: 'boolean' },
      publish: { type: 'boolean' },
      by: { type: 'string' },
    });
    const slug = requireOption(values.consultation, 'consultation');
    if (positionals.length === 0) throw new UsageError('aucun fichier à importer');
    // Imported contributions await moderation; publishing a document as a whole is a named person's decision.
    if (values.publish && !values.by?.trim()) throw new UsageError('--publish demande --by <nom> : la personne qui publie le document en bloc (enregistrée)');
    if (values.by !== undefined && !values.publish) throw new UsageError('--by ne sert qu’avec --publish');
    const store = await Store.open(configFromEnv());
    try {
      const results = await importFiles(store, slug, positionals, {
        ...(values.map ? { map: parseMapOption(values.map)! } : {}),
        ...(values.sheet ? { sheet: values.sheet } : {}),
        ...(values.parser ? { parser: values.parser } : {}),
        ...(values.meeting ? { meeting: values.meeting } : {}),
        ...(values.publish ? { publishBy: values.by!.trim() } : {}),
      });
      if (values.json) console.log(JSON.stringify(results, null, 2));
      else for (const r of results) printImportResult(r);
    } finally {
      await store.close();
    }
  },
};

/**
 * Parses every file first, then stores them: a file that cannot be read or parsed stops the
 * command before anything is written. Each document is stored in its own transaction.
 */
export async function importFiles(store: Store, slug: string, paths: string[],
  opts: { map?: Record<string, string>; sheet?: string; parser?: string; meeting?: string; publishBy?: string } = {}): Promise<ImportResult[]> {
  const consultation = await store.requireConsultation(slug);
  const { meeting, publishBy, ...parseOpts } = opts;
  if (meeting && !(await store.listMeetings(slug)).some((m) => m.id === meeting)) {
    throw new CliError(`Réunion inconnue dans « ${slug} » : ${meeting}`);
  }
  const parsed: ParsedDocument[] = [];
  for (const path of paths) {
    const doc = await parseFile(path, { consultation: slug, themes: consultation.themes, ...parseOpts });
    // Contributions that the file does not place in a meeting belong to the one named (e.g. the online consultation).
    if (meeting) for (const c of doc.contributions) c.meeting ??= meeting;
    parsed.push(doc);
  }
  const results: ImportResult[] = [];
  for (const doc of parsed) results.push(await store.importParsed(slug, doc, publishBy ? { publishBy } : {}));
  return results;
}

export function printImportResult(r: ImportResult): void {
  const what = r.outcome === 'unchanged'
    ? 'déjà importé, rien de nouveau'
    : `${r.outcome === 'replaced' ? 'réimporté (nouvelle version du lecteur)' : 'importé'} : ${r.contributions} contributions` +
      (r.meetings ? `, ${r.meetings} réunions` : '') + (r.syntheses ? `, ${r.syntheses} éléments de synthèse` : '');
  const gate = r.publication ? `publié en bloc par ${r.publication.by}` : 'contributions en attente de modération';
  console.log(`• ${r.fileName} [${r.parser}] — ${what} (${gate})`);
  if (r.outcome !== 'unchanged') printWarnings(r.warnings);
}
