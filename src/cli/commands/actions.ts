import { ACTION_STATUS_LABELS } from '../../domain/followup.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { assignActionAccounts, importPlanActions, listActions, updateAction, type UpdateActionInput } from '../../usecases/actions.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';
import { plural } from '../../text/french.ts';

/** A number option, or a usage error naming it; an empty value clears the field. */
function numberOption(v: string | undefined, name: string): number | null | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === '') return null;
  const n = Number(v.replace(',', '.').replace(/\s*%$/, ''));
  if (!Number.isFinite(n)) throw new UsageError(`--${name} attend un nombre (reçu « ${v} »)`);
  return n;
}
// an empty value clears the field (the use case reads a blank text as null)
const textOption = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v.trim() === '' ? null : v);

export const actionsCommand: Command = {
  name: 'actions',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'import' && sub !== 'list' && sub !== 'update') throw new UsageError('sous-commande attendue : import, list ou update');
    const { values, positionals } = parseCommandArgs(rest, {
      plan: { type: 'string' }, json: { type: 'boolean' }, objective: { type: 'string' }, 'include-displaced': { type: 'boolean' },
      status: { type: 'string' }, reason: { type: 'string' }, owner: { type: 'string' }, contact: { type: 'string' },
      progress: { type: 'string' }, start: { type: 'string' }, due: { type: 'string' }, budget: { type: 'string' },
      title: { type: 'string' }, scope: { type: 'string' }, partners: { type: 'string' }, weight: { type: 'string' }, comment: { type: 'string' },
      account: { type: 'string' },
    });
    if (sub !== 'update' && !values.plan) throw new UsageError('indiquez le plan : --plan <identifiant|département>');
    if (sub !== 'update' && positionals.length) throw new UsageError(`argument inattendu : ${positionals[0]}`);
    if (sub === 'update' && positionals.length !== 1) throw new UsageError('indiquez l’identifiant de l’action');
    const store = await Store.open(configFromEnv());
    try {
      const ctx = context(store, CLI_ACTOR);
      if (sub === 'import') {
        const r = await importPlanActions(ctx, { plan: values.plan!, includeDisplaced: values['include-displaced'] === true });
        if (values.json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
        console.log(`plan ${r.plan} : ${plural(r.created, 'action proposée créée', 'actions proposées créées')}, ${plural(r.existing, 'déjà importée', 'déjà importées')}, sous ${plural(Object.keys(r.byObjective).length, 'objectif', 'objectifs')}`);
        for (const d of r.displaced) {
          const where = d.source.lineStart ? `ligne ${d.source.lineStart}` : d.source.page ? `page ${d.source.page}` : '';
          console.log(`  ${d.placement === 'orphan' ? 'hors rubrique' : 'déplacée'} : ${d.objective}, ${where}${d.actionId ? ` (action ${d.actionId})` : ' — non importée (--include-displaced après vérification)'}`);
        }
        return;
      }
      if (sub === 'list') {
        const r = await listActions(ctx, { plan: values.plan!, ...(values.objective ? { objective: values.objective } : {}) });
        if (values.json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
        if (r.actions.length === 0) { console.log(`Aucune action de suivi pour le plan ${r.plan.id} (fabrique actions import --plan ${r.plan.id}).`); return; }
        console.log(table(r.actions.map((a) => [a.id, a.objectiveCode, ACTION_STATUS_LABELS[a.status], `${a.effectiveProgress} %`, a.owner.organisation ?? '—', a.title]),
          ['Action', 'Objectif', 'Statut', 'Avancement', 'Porteur', 'Intitulé']));
        console.log(`Avancement du plan : ${r.progress === null ? '—' : `${r.progress} %`}`);
        return;
      }
      const input: UpdateActionInput = { action: positionals[0]! };
      if (values.status !== undefined) input.status = values.status;
      if (values.reason !== undefined) input.reason = textOption(values.reason)!;
      if (values.owner !== undefined || values.contact !== undefined) {
        input.owner = { ...(values.owner !== undefined ? { organisation: textOption(values.owner)! } : {}), ...(values.contact !== undefined ? { contact: textOption(values.contact)! } : {}) };
      }
      const progress = numberOption(values.progress, 'progress');
      if (progress !== undefined) input.progress = progress;
      const budget = numberOption(values.budget, 'budget');
      if (budget !== undefined) input.budget = budget;
      const weight = numberOption(values.weight, 'weight');
      if (weight !== undefined && weight !== null) input.weight = weight;
      if (values.start !== undefined) input.startDate = textOption(values.start)!;
      if (values.due !== undefined) input.dueDate = textOption(values.due)!;
      if (values.title !== undefined) input.title = values.title;
      if (values.scope !== undefined) input.scope = values.scope;
      if (values.partners !== undefined) input.partners = values.partners.split(',').map((p) => p.trim()).filter(Boolean);
      if (values.comment !== undefined) input.comment = values.comment;
      // --account sets the accounts (porteurs d’action, animateurs) that may update the action: a comma-separated
      // list of e-mails, which replaces the previous one; an empty value removes them all
      const accounts = values.account === undefined ? undefined
        : await assignActionAccounts(ctx, { action: input.action, accounts: values.account.split(',').map((e) => e.trim()).filter(Boolean) });
      const onlyAccounts = accounts !== undefined && Object.keys(input).length === 1;
      const r = onlyAccounts ? null : await updateAction(ctx, input);
      if (values.json) { process.stdout.write(JSON.stringify({ ...(r ?? {}), ...(accounts ? { accounts: accounts.accounts } : {}) }, null, 2) + '\n'); return; }
      if (accounts) console.log(`action ${accounts.action} : ${accounts.accounts.length ? `comptes ${accounts.accounts.join(', ')}` : 'aucun compte affecté'}${accounts.changed ? '' : ' (inchangé)'}`);
      if (!r) return;
      console.log(r.changed.length ? `action ${r.action.id} : ${r.changed.join(', ')} ${r.changed.length >= 2 ? 'modifiés' : 'modifié'} — ${ACTION_STATUS_LABELS[r.action.status]}, ${r.action.progress ?? 0} %` : `action ${r.action.id} : rien à changer`);
    } finally {
      await store.close();
    }
  },
};
