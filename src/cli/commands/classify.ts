import { runClassify } from '../../analysis/classify/jsonl.ts';
import { parseCommandArgs, requireOption, type Command } from '../args.ts';

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'classe des textes par thème (JSON Lines) : appris sur des exemples étiquetés, ou sans exemple à partir des thèmes',
  usage: 'fabrique classify [--train etiquetes.jsonl] --in textes.jsonl --out predictions.jsonl [--model modele.json] [--seed N]',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      train: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
    }, false);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    const summary = runClassify({
      trainPath: values.train,
      inPath: requireOption(values.in, 'in'),
      outPath: requireOption(values.out, 'out'),
      ...(values.model ? { modelOutPath: values.model } : {}),
      ...(seed !== undefined && Number.isFinite(seed) ? { classifier: { seed } } : {}),
    });
    console.error(summary.mode === 'trained'
      ? `${summary.inputRows} textes classés par un modèle appris sur ${summary.trainingRows} exemples (étiquettes : ${summary.labels.join(', ')})`
      : `${summary.inputRows} textes classés sans exemple, d’après les thèmes (${summary.labels.join(', ')})`);
  },
};
