import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: shown with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command's code; its summary and usage live in the command table (src/cli/main.ts), loaded without it. */
export interface Command {
  name: string;
  run(argv: string[]): Promise<number | void>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with French errors and a --help flag on every command. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e as Error).message
      .replace(/^Unknown option '([^']+)'.*$/s, 'option inconnue : $1')
      .replace(/^Option '([^']+)' argument missing.*$/s, 'valeur manquante pour $1')
      .replace(/^Unexpected argument '([^']+)'.*$/s, 'argument inattendu : $1');
    throw new UsageError(msg);
  }
}

/** "text=Ma colonne,theme=Thème" → { text: 'Ma colonne', theme: 'Thème' } */
export function parseMapOption(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--map attend « rôle=colonne[,rôle=colonne…] », reçu « ${part} »`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function requireOption(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`l’option --${name} est obligatoire`);
  return value;
}

/** A failure the user can act on, reported as one French line (exit code 1). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
