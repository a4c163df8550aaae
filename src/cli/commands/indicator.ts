import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { addIndicator, addMeasurement, listIndicators, oqosIndicators, type AddIndicatorInput } from '../../usecases/followup-indicators.ts';
import { targetLabel } from '../../domain/followup-indicators.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';
import { plural } from '../../text/french.ts';

/** « 12,5 » or « 12.5 »; anything else is NaN, which the use case refuses in French. */
function number(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim().replace(/[\u00a0\u202f ]/g, '').replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

export const indicatorCommand: Command = {
  name: 'indicator',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'add' && sub !== 'measure' && sub !== 'list' && sub !== 'oqos') throw new UsageError('sous-commande attendue : add, measure, list ou oqos');
    const { values, positionals } = parseCommandArgs(rest, {
      json: { type: 'boolean' }, plan: { type: 'string' }, label: { type: 'string' }, unit: { type: 'string' }, objective: { type: 'string' },
      baseline: { type: 'string' }, 'baseline-date': { type: 'string' }, 'baseline-source': { type: 'string' },
      target: { type: 'string' }, 'target-min': { type: 'string' }, 'target-max': { type: 'string' }, direction: { type: 'string' },
      due: { type: 'string' }, value: { type: 'string' }, date: { type: 'string' }, source: { type: 'string' },
    });
    if (sub === 'measure' ? positionals.length !== 1 : positionals.length !== 0) {
      throw new UsageError(sub === 'measure' ? 'indiquez l’identifiant de l’indicateur : fabrique indicator measure <id> --value … --date …' : `argument inattendu : ${positionals[0]}`);
    }
    const store = await Store.open(configFromEnv());
    try {
      const ctx = context(store, CLI_ACTOR);
      const out = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
      if (sub === 'oqos') {
        const r = await oqosIndicators(ctx, { plan: requireOption(values.plan, 'plan') });
        if (values.json) return void out(r);
        console.log(`${plural(r.created, 'indicateur créé', 'indicateurs créés')} depuis les OQOS du plan ${r.planId}${r.alreadyThere ? `, ${plural(r.alreadyThere, 'déjà présent', 'déjà présents')}` : ''} (${plural(r.rows, 'ligne lue', 'lignes lues')}).`);
        if (r.skipped.total) {
          console.log(`${plural(r.skipped.total, 'ligne écartée', 'lignes écartées')} :`);
          for (const s of r.skipped.reasons) console.log(`  ${s.count} — ${s.label}`);
        }
        return;
      }
      if (sub === 'list') {
        const r = await listIndicators(ctx, { plan: requireOption(values.plan, 'plan') });
        if (values.json) return void out(r);
        if (r.indicators.length === 0) { console.log(`Aucun indicateur de suivi pour le plan ${r.planId} (fabrique indicator oqos --plan ${r.planId} suit ses OQOS).`); return; }
        console.log(table(r.indicators.map((i) => [i.id, i.label.slice(0, 60), `${i.baseline.value}`, targetLabel(i.target, i.unit), i.progress.latest ? `${i.progress.latest.value} (${i.progress.latest.date})` : '—', i.progress.label]),
          ['Indicateur', 'Libellé', 'Départ', 'Cible', 'Dernière mesure', 'Avancement']));
        return;
      }
      if (sub === 'measure') {
        const m = await addMeasurement(ctx, {
          indicator: positionals[0]!, value: number(requireOption(values.value, 'value'))!, date: requireOption(values.date, 'date'),
          ...(values.source !== undefined ? { source: values.source } : {}),
        });
        if (values.json) return void out(m);
        console.log(`Mesure ${m.value} du ${m.date} enregistrée pour l’indicateur ${m.indicatorId}.`);
        return;
      }
      const targets = [values.target !== undefined, values['target-min'] !== undefined || values['target-max'] !== undefined, values.direction !== undefined].filter(Boolean).length;
      if (targets !== 1) throw new UsageError('indiquez une cible et une seule : --target <valeur>, --target-min <n> --target-max <n>, ou --direction hausse|baisse');
      const target: AddIndicatorInput['target'] = values.direction !== undefined ? { direction: values.direction }
        : values.target !== undefined ? { value: number(values.target)! }
        : { min: number(requireOption(values['target-min'], 'target-min'))!, max: number(requireOption(values['target-max'], 'target-max'))! };
      const ind = await addIndicator(ctx, {
        plan: requireOption(values.plan, 'plan'), label: requireOption(values.label, 'label'),
        ...(values.unit !== undefined ? { unit: values.unit } : {}), ...(values.objective !== undefined ? { objective: values.objective } : {}),
        baseline: { value: number(requireOption(values.baseline, 'baseline'))!, date: values['baseline-date'] ?? null, source: requireOption(values['baseline-source'], 'baseline-source') },
        target, ...(values.due !== undefined ? { dueDate: values.due } : {}),
      });
      if (values.json) return void out(ind);
      console.log(`Indicateur ${ind.id} créé : ${ind.label} (départ ${ind.baseline.value}, cible ${targetLabel(ind.target, ind.unit)}${ind.dueDate ? `, échéance ${ind.dueDate}` : ''}).`);
    } finally {
      await store.close();
    }
  },
};
