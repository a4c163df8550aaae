import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Store, configFromEnv } from '../../store/index.ts';
import { SYNTHESIS_FORMATS, type SynthesisFormat } from '../../synthesis/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { coverageReport } from '../../usecases/coverage.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';

/** `fabrique coverage`: the coverage report of a plan, verified, printed (md, html, json) or written (--out, any format). */
export const coverageCommand: Command = {
  name: 'coverage',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      consultation: { type: 'string', short: 'c' },
      plan: { type: 'string' },
      format: { type: 'string', default: 'md' },
      out: { type: 'string', short: 'o' },
    }, false);
    const plan = requireOption(values.plan, 'plan');
    const format = values.format as SynthesisFormat;
    if (!(SYNTHESIS_FORMATS as readonly string[]).includes(format)) throw new UsageError(`format inconnu : ${format} (${SYNTHESIS_FORMATS.join(', ')})`);
    if ((format === 'pdf' || format === 'docx') && !values.out) throw new UsageError(`--out <fichier> est nécessaire pour le format ${format}`);
    const store = await Store.open(configFromEnv());
    try {
      const r = await coverageReport(context(store, CLI_ACTOR), { plan, format, ...(values.consultation ? { consultation: values.consultation } : {}) });
      const rendered = r.rendered!;
      if (values.out) {
        await mkdir(dirname(values.out), { recursive: true });
        await writeFile(values.out, rendered.bytes);
        console.log(`Rapport de couverture écrit : ${values.out} (${r.verification.checked.figures} chiffres recalculés et ${r.verification.checked.quotes} citations retrouvées, aucun écart)`);
        for (const n of [...r.document.notices, ...rendered.notices]) console.log(`  note : ${n}`);
      } else {
        process.stdout.write(rendered.bytes);
        for (const n of [...r.document.notices, ...rendered.notices]) console.error(`note : ${n}`);
      }
    } finally {
      await store.close();
    }
  },
};
