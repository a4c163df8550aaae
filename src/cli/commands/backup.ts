import { backupSqlite, POSTGRES_EXIT_CODE, postgresBackupGuidance, postgresRestoreGuidance, restoreSqlite, type DatabaseReport } from '../../store/backup.ts';
import { Store, configFromEnv, DEFAULT_SQLITE_PATH } from '../../store/index.ts';
import { CliError, parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';

function printCounts(report: DatabaseReport): void {
  const rows = Object.entries(report.counts).filter(([, n]) => n > 0);
  console.log(table(rows.length ? rows : [['(aucune ligne)', 0]], ['table', 'lignes']));
}

export const backupCommand: Command = {
  name: 'backup',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string', short: 'o' }, force: { type: 'boolean' } }, false);
    const out = requireOption(values.out, 'out');
    const config = configFromEnv();
    if (config.databaseUrl) {
      console.error(postgresBackupGuidance());
      return POSTGRES_EXIT_CODE;
    }
    if (config.sqlitePath === ':memory:') throw new CliError('Une base en mémoire ne se sauvegarde pas : définissez FABRIQUE_DB.');
    const store = await Store.open(config);
    try {
      const report = await backupSqlite(store, out, { force: values.force ?? false });
      console.log(`Sauvegarde vérifiée (intégrité : ok) : ${report.path} (${(report.sizeBytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 0 })} Kio, ` +
        `schéma ${report.migrations.at(-1) ?? '?'})`);
      printCounts(report);
    } finally {
      await store.close();
    }
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { force: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('indiquez un seul fichier de sauvegarde');
    const config = configFromEnv();
    if (config.databaseUrl) {
      console.error(postgresRestoreGuidance());
      return POSTGRES_EXIT_CODE;
    }
    const target = config.sqlitePath ?? DEFAULT_SQLITE_PATH;
    if (target === ':memory:') throw new CliError('Impossible de restaurer dans une base en mémoire : définissez FABRIQUE_DB.');
    const report = await restoreSqlite(positionals[0]!, target, { force: values.force ?? false });
    console.log(`Base ${report.replaced ? 'remplacée' : 'créée'} depuis ${positionals[0]} : ${report.path}` +
      (report.migrated.length ? ` (mise à jour : ${report.migrated.join(', ')})` : ' (déjà à jour)'));
    printCounts(report);
  },
};
