import { runClassify } from '../../analysis/classify/jsonl.ts';
import { runDuplicates } from '../../analysis/duplicates/index.ts';
import { runGroup } from '../../analysis/grouping/index.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { plural } from '../../text/french.ts';

export const classifyCommand: Command = {
  name: 'classify',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      train: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
    }, false);
    const seed = parseSeed(values.seed);
    const summary = runClassify({
      trainPath: values.train,
      inPath: requireOption(values.in, 'in'),
      outPath: requireOption(values.out, 'out'),
      ...(values.model ? { modelOutPath: values.model } : {}),
      ...(seed !== undefined ? { classifier: { seed } } : {}),
    });
    console.error(summary.mode === 'trained'
      ? `${summary.inputRows} textes classés par un modèle appris sur ${summary.trainingRows} exemples (étiquettes : ${summary.labels.join(', ')})`
      : `${summary.inputRows} textes classés sans exemple, d’après les thèmes (${summary.labels.join(', ')})`);
  },
};

export const groupCommand: Command = {
  name: 'group',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { in: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' } }, false);
    const seed = parseSeed(values.seed);
    const s = runGroup({
      inPath: requireOption(values.in, 'in'), outPath: requireOption(values.out, 'out'),
      ...(seed !== undefined ? { seed } : {}), ...(values.model ? { modelOutPath: values.model } : {}),
    });
    console.error(`${s.items} textes regroupés en ${s.groups} idées communes et ${s.subIdeas} sous-idées${s.byTheme ? ' (par thème)' : ''}, graine ${s.seed}`);
  },
};

export const duplicatesCommand: Command = {
  name: 'duplicates',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      in: { type: 'string' }, out: { type: 'string' }, threshold: { type: 'string' }, 'campaign-min': { type: 'string' },
    }, false);
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) throw new UsageError('--threshold attend un nombre entre 0 et 1');
    const campaignMin = values['campaign-min'] === undefined ? undefined : Number(values['campaign-min']);
    if (campaignMin !== undefined && !(Number.isInteger(campaignMin) && campaignMin >= 2)) throw new UsageError('--campaign-min attend un entier ≥ 2');
    const r = runDuplicates({
      inPath: requireOption(values.in, 'in'), ...(values.out ? { outPath: values.out } : {}),
      ...(threshold !== undefined ? { threshold } : {}), ...(campaignMin !== undefined ? { campaignMinSize: campaignMin } : {}),
    });
    console.error(`${r.stats.items} textes : ${plural(r.duplicates.length, 'ensemble', 'ensembles')} de doublons, ${plural(r.campaigns.length, 'campagne', 'campagnes')}`);
  },
};

function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--seed attend un entier (reçu « ${value} »)`);
  return n;
}
