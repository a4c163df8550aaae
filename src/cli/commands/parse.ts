import { basename } from 'node:path';
import { parseFile } from '../../ingest/import-file.ts';
import { toParseJson } from '../../ingest/parse-json.ts';
import { CNR_SANTE_THEMES } from '../../domain/theme.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';
import { printWarnings } from '../output.ts';

export const parseCommand: Command = {
  name: 'parse',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, parser: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('indiquez un seul fichier');
    const path = positionals[0]!;
    const parsed = await parseFile(path, {
      consultation: 'parse', themes: [...CNR_SANTE_THEMES], ...(values.parser ? { parser: values.parser } : {}),
    });
    if (values.json) {
      process.stdout.write(JSON.stringify(toParseJson(parsed), null, 2) + '\n');
      return;
    }
    console.log(`${basename(path)} — lecteur ${parsed.parser} ${parsed.parserVersion}`);
    console.log(`${parsed.meetings.length} réunions, ${parsed.contributions.length} contributions, ${parsed.syntheses.length} éléments de synthèse, ${parsed.themes.length} thèmes locaux`);
    printWarnings(parsed.warnings);
    console.log('(--json pour la structure complète)');
  },
};
