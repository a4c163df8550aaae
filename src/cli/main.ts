import { UserError, type UserErrorCode } from '../domain/errors.ts';
import { JsonlError } from '../analysis/classify/jsonl.ts';
import { ImportError } from '../ingest/types.ts';
import { databaseFault } from '../store/faults.ts';
import { CliError, UsageError, type Command } from './args.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { auditCommand } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { classifyCommand, duplicatesCommand, groupCommand } from './commands/classify.ts';
import { consultationCommand } from './commands/consultation.ts';
import { demoCommand } from './commands/demo.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { parseCommand } from './commands/parse.ts';
import { statsCommand } from './commands/stats.ts';
import { synthesizeCommand, verifyCommand } from './commands/synthesize.ts';
import { serveCommand } from './commands/serve.ts';
import { userCommand } from './commands/user.ts';
import { workerCommand } from './commands/worker.ts';

const COMMANDS: Command[] = [initCommand, demoCommand, consultationCommand, importCommand, parseCommand, exportCommand, statsCommand, analyzeCommand, classifyCommand, groupCommand, duplicatesCommand, synthesizeCommand, verifyCommand, serveCommand, workerCommand, userCommand, backupCommand, restoreCommand, auditCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Fabrique — démocratie sanitaire territoriale : consulter, analyser, restituer, planifier.',
    '',
    'Usage : fabrique <commande> [options]   (depuis le dépôt : npm run -s fabrique -- <commande>)',
    '',
    'Commandes :',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration : DATABASE_URL=postgres://… (PostgreSQL) ou FABRIQUE_DB=chemin.sqlite (défaut : data/fabrique.sqlite).',
    '« fabrique <commande> --help » détaille chaque commande.',
  ].join('\n');
}

/** Exit code of each user error code (2 stays the usage error; documented in the README). */
export const USER_ERROR_EXIT: Record<UserErrorCode, number> = {
  invalid: 1, not_found: 3, conflict: 4, forbidden: 5, too_large: 6, too_complex: 6, unavailable: 7,
};

/** Runs the CLI and returns the exit code; errors become one French line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`fabrique : commande inconnue « ${name} » (voir fabrique --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`fabrique ${name} : ${e.message} (usage : ${command.usage})`);
      return 2;
    }
    if (e instanceof UserError) {
      console.error(`fabrique ${name} : ${e.message}`);
      return USER_ERROR_EXIT[e.code];
    }
    if (e instanceof ImportError || e instanceof JsonlError || e instanceof CliError) {
      console.error(`fabrique ${name} : ${e.message}`);
      return 1;
    }
    const fault = databaseFault(e);
    if (fault) {
      console.error(`fabrique ${name} : ${fault.message}`);
      return 1;
    }
    const err = e as Error;
    console.error(`fabrique ${name} : erreur inattendue : ${(err.message ?? String(e)).split('\n')[0]}`);
    if (process.env.FABRIQUE_DEBUG) console.error(err.stack);
    return 1;
  }
}
