import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { DEPARTEMENTS, REGIONS } from '../../domain/geography.ts';
import { loadConsultationFile } from '../../ingest/consultation-file.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { parseCommandArgs, type Command } from '../args.ts';
import { importFiles, printImportResult } from './import.ts';
import { formatStats } from './stats.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../../demo/', import.meta.url));

/**
 * Files of the demo consultation that `fabrique demo` imports, in a stable order: the online and
 * paper contributions (CSV, XLSX), then one rendering of each workshop report of `ateliers/` — the
 * PDF, as reports usually arrive; its .md source and .docx rendering hold the same content and are
 * not imported (they would count every contribution twice more).
 */
export async function demoFiles(dir = DEMO_DIR): Promise<string[]> {
  const entries = await readdir(dir);
  const tables = entries.filter((f) => /\.(csv|xlsx)$/i.test(f)).sort().map((f) => join(dir, f));
  const reportsDir = join(dir, 'ateliers');
  const reports = entries.includes('ateliers')
    ? (await readdir(reportsDir)).filter((f) => /\.pdf$/i.test(f)).sort().map((f) => join(reportsDir, f))
    : [];
  return [...tables, ...reports];
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'charge la consultation de démonstration (slug « demo ») et affiche son bilan',
  usage: 'fabrique demo',
  async run(argv) {
    parseCommandArgs(argv, {}, false);
    const store = await Store.open(configFromEnv());
    try {
      console.log(`Base ${store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} : ${store.location}`);
      const { consultation, meetings } = await loadConsultationFile(join(DEMO_DIR, 'consultation.json'));
      const dep = DEPARTEMENTS[consultation.territory];
      if (dep) {
        await store.upsertTerritory({ code: dep[1], name: REGIONS[dep[1]] ?? dep[1], level: 'region' });
        await store.upsertTerritory({ code: consultation.territory, name: dep[0], level: 'departement', parent: dep[1] });
      }
      const created = await store.upsertConsultation(consultation);
      await store.upsertMeetings(meetings);
      console.log(`Consultation « ${consultation.title} » ${created ? 'créée' : 'déjà présente'} (${meetings.length} réunions déclarées).`);
      const files = await demoFiles();
      console.log(`\nImport des ${files.length} fichiers de démonstration :`);
      for (const r of await importFiles(store, consultation.slug, files)) printImportResult(r);
      console.log('\n' + await formatStats(store, await store.stats(consultation.slug)));
      console.log(`\nPour aller plus loin :
  npm run -s fabrique -- stats --consultation demo
  npm run -s fabrique -- export contributions --format jsonl --consultation demo > contributions.jsonl
  npm run -s fabrique -- --help
Fichiers importés : ${relative(process.cwd(), DEMO_DIR) || '.'}/`);
    } finally {
      await store.close();
    }
  },
};
