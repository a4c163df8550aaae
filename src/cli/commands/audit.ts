import { auditTextRetentionDays, purgeAuditTexts } from '../../store/audit.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CliError, parseCommandArgs, UsageError, type Command } from '../args.ts';

export const auditCommand: Command = {
  name: 'audit',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { days: { type: 'string' } });
    if (positionals.length !== 1 || positionals[0] !== 'purge') throw new UsageError('action attendue : purge');
    let days: number;
    if (values.days !== undefined) {
      days = Number(values.days);
      if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days attend un nombre entier de jours (reçu « ${values.days} »)`);
    } else {
      try { days = auditTextRetentionDays(); } catch (e) { throw new CliError((e as Error).message); }
    }
    const store = await Store.open(configFromEnv());
    try {
      const n = await purgeAuditTexts(store, { days });
      console.log(n === 0
        ? `Rien à retirer : aucune entrée de plus de ${days} jours ne garde le texte d’une contribution rejetée ou supprimée.`
        : `${n} entrée${n > 1 ? 's' : ''} du journal d’audit sans texte désormais (contributions rejetées ou supprimées depuis plus de ${days} jours).`);
    } finally {
      await store.close();
    }
  },
};
