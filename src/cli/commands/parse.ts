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
    // a schéma territorial de santé has its own parsers and result (ParsedPlan)
    if (!/\.(csv|tsv|xlsx|xls|ods)$/i.test(path)) {
      const { readLimited } = await import('../../ingest/import-file.ts');
      const { parsePlanBytes, listPlanParsers } = await import('../../ingest/plan/index.ts');
      if (values.parser) {
        const { listParsers } = await import('../../ingest/parsers/index.ts');
        const names = [...listPlanParsers(), ...listParsers()].map((p) => p.name);
        if (!names.includes(values.parser)) throw new UsageError(`analyseur « ${values.parser} » inconnu ; analyseurs disponibles : ${names.join(', ')}`);
      }
      const plan = await parsePlanBytes(await readLimited(path), basename(path), values.parser ? { parser: values.parser } : {});
      if (plan) {
        if (values.json) { process.stdout.write(JSON.stringify(plan, null, 2) + '\n'); return; }
        const defis = plan.plan.engagements.flatMap((e) => e.defis);
        const objectives = defis.flatMap((d) => d.objectives);
        console.log(`${basename(path)} — lecteur ${plan.parser} ${plan.parserVersion} (schéma territorial de santé)`);
        console.log(`${plan.plan.engagements.length} engagements, ${defis.length} défis, ${objectives.length} objectifs opérationnels, ${objectives.reduce((n, o) => n + o.actions.length, 0)} actions, ${plan.oqos.length} lignes OQOS`);
        printWarnings(plan.warnings);
        console.log('(--json pour la structure complète)');
        return;
      }
    }
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
