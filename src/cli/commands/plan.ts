import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { getPlan, listPlans } from '../../usecases/plan.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';
import { plural } from '../../text/french.ts';

export const planCommand: Command = {
  name: 'plan',
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' }, consultation: { type: 'string', short: 'c' }, territory: { type: 'string' } });
    if (sub !== 'show' && sub !== 'list') throw new UsageError('sous-commande attendue : show ou list');
    const store = await Store.open(configFromEnv());
    try {
      const ctx = context(store, CLI_ACTOR);
      if (sub === 'list') {
        if (positionals.length) throw new UsageError(`argument inattendu : ${positionals[0]}`);
        const plans = await listPlans(ctx, { ...(values.territory ? { territory: values.territory } : {}), ...(values.consultation ? { consultation: values.consultation } : {}) });
        if (values.json) { console.log(JSON.stringify(plans, null, 2)); return; }
        if (plans.length === 0) { console.log('Aucun schéma territorial de santé importé.'); return; }
        console.log(table(plans.map((p) => [p.id, `${p.territoryName} (${p.territory})`, p.period ? `${p.period.start}-${p.period.end}` : '—', p.consultation ?? '—', p.fileName]),
          ['Plan', 'Département', 'Période', 'Consultation', 'Fichier']));
        return;
      }
      if (positionals.length !== 1) throw new UsageError('indiquez un identifiant de plan ou un département');
      const plan = await getPlan(ctx, positionals[0]!, values.consultation ? { consultation: values.consultation } : {});
      if (values.json) { process.stdout.write(JSON.stringify(plan, null, 2) + '\n'); return; }
      console.log(`${plan.title} — ${plan.territoryName} (${plan.territory})${plan.period ? `, ${plan.period.start}-${plan.period.end}` : ''} — plan ${plan.id}${plan.consultation ? `, consultation « ${plan.consultation} »` : ''}`);
      for (const e of plan.engagements) {
        console.log(`${e.code}  ${e.title}`);
        for (const d of e.defis) {
          console.log(`  ${d.code}  ${d.title}`);
          for (const o of d.objectives) {
            const local = o.catalogueTitle !== null && o.catalogueTitle !== o.title ? ' (intitulé local)' : '';
            console.log(`    ${o.code}  ${o.title}${local} — ${plural(o.actions.length, 'action', 'actions')}`);
          }
        }
      }
      console.log(`${plan.oqos.length} lignes OQOS, ${plan.consultationItems.length} éléments de consultation, ${plan.missingFigures.length} figures perdues, ${plan.warnings.length} avertissements`);
      console.log('(--json pour le plan complet)');
    } finally {
      await store.close();
    }
  },
};
