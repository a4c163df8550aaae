import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Store, configFromEnv } from '../../store/index.ts';
import { SYNTHESIS_FORMATS, renderUnverified, type SynthesisDocument, type SynthesisFormat } from '../../synthesis/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { followupExport } from '../../usecases/followup-export.ts';
import { followupFunnel, followupReport } from '../../usecases/followup-report.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';
import { plural } from '../../text/french.ts';

/** « bilan.pdf » with format html → « bilan.html »: one --out names every format asked. */
function outFor(out: string, format: SynthesisFormat, several: boolean): string {
  if (!several) return out;
  const ext = extname(out);
  return `${ext ? out.slice(0, -ext.length) : out}.${format}`;
}

/**
 * `fabrique followup`: the follow-up report of a plan (verified, in one or several formats), its funnel, and the
 * spreadsheet exports of its actions, indicators and measurements.
 */
export const followupCommand: Command = {
  name: 'followup',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'report' && sub !== 'funnel' && sub !== 'export') throw new UsageError('sous-commande attendue : report, funnel ou export');
    const { values } = parseCommandArgs(rest, {
      plan: { type: 'string' }, year: { type: 'string' }, format: { type: 'string' }, out: { type: 'string', short: 'o' },
      json: { type: 'boolean' }, what: { type: 'string' }, contact: { type: 'boolean' },
    }, false);
    const plan = requireOption(values.plan, 'plan');
    const store = await Store.open(configFromEnv());
    try {
      const ctx = context(store, CLI_ACTOR);
      if (sub === 'funnel') {
        const f = await followupFunnel(ctx, { plan });
        if (values.json) return void process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
        console.log(`Parcours du schéma ${f.plan}${f.consultation ? ` (consultation « ${f.consultation} »)` : ' (sans consultation)'} :`);
        console.log(table(f.steps.map((s) => [s.label, s.count])));
        return;
      }
      if (sub === 'export') {
        const what = requireOption(values.what, 'what');
        const format = values.format ?? (values.out && extname(values.out) === '.xlsx' ? 'xlsx' : 'csv');
        const out = requireOption(values.out, 'out');
        const r = await followupExport(ctx, { plan, what, format, contact: values.contact === true });
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, r.bytes);
        console.log(`Export écrit : ${out} (${plural(r.rows, 'ligne', 'lignes')}${values.contact ? ', avec la colonne « Contact »' : ''})`);
        return;
      }
      const formats = (values.format ?? 'md').split(',').map((s) => s.trim()).filter(Boolean) as SynthesisFormat[];
      for (const f of formats) if (!(SYNTHESIS_FORMATS as readonly string[]).includes(f)) throw new UsageError(`format inconnu : ${f} (${SYNTHESIS_FORMATS.join(', ')})`);
      if (formats.length === 0) throw new UsageError(`indiquez au moins un format (${SYNTHESIS_FORMATS.join(', ')})`);
      if (!values.out && (formats.length > 1 || formats[0] === 'pdf' || formats[0] === 'docx')) throw new UsageError('--out <fichier> est nécessaire pour plusieurs formats, le PDF ou le DOCX');
      let year: number | undefined;
      if (values.year !== undefined) {
        if (!/^\d{4}$/.test(values.year.trim())) throw new UsageError(`année invalide : ${values.year} (attendu : AAAA)`);
        year = Number(values.year.trim());
      }
      const r = await followupReport(ctx, { plan, format: formats[0]!, ...(year !== undefined ? { year } : {}) });
      const checked = `${r.verification.checked.figures} chiffres recalculés, aucun écart`;
      if (!values.out) {
        process.stdout.write(r.rendered!.bytes);
        for (const n of [...r.document.notices, ...r.rendered!.notices]) console.error(`note : ${n}`);
        return;
      }
      for (const [i, format] of formats.entries()) {
        const rendered = i === 0 ? r.rendered! : await renderUnverified(r.document as unknown as SynthesisDocument, format);
        const path = outFor(values.out, format, formats.length > 1);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, rendered.bytes);
        console.log(`Bilan de suivi écrit : ${path} (${checked})`);
        for (const n of rendered.notices) console.log(`  note : ${n}`);
      }
      for (const n of r.document.notices) console.log(`  note : ${n}`);
    } finally {
      await store.close();
    }
  },
};
