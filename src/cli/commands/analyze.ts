import { UserError, USER_ERROR_CODES, type UserErrorCode } from '../../domain/errors.ts';
import { runInline } from '../../jobs/queue.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import type { AnalysisSummary } from '../../usecases/analysis.ts';
import { CLI_ACTOR } from '../../usecases/context.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { terminalProgress } from '../output.ts';
import { plural } from '../../text/french.ts';

export const analyzeCommand: Command = {
  name: 'analyze',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { consultation: { type: 'string', short: 'c' }, seed: { type: 'string' }, regroup: { type: 'boolean' }, json: { type: 'boolean' } }, false);
    const slug = requireOption(values.consultation, 'consultation');
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed attend un entier (reçu « ${values.seed} »)`);
    const store = await Store.open(configFromEnv());
    const progress = terminalProgress();
    try {
      // the same job as POST …/analyze, run here (or waited for, when a worker is already running it)
      const job = await runInline(store, {
        kind: 'analyze', actor: CLI_ACTOR,
        input: { consultation: slug, ...(seed !== undefined ? { seed } : {}), ...(values.regroup ? { regroup: true } : {}) },
      }, { onProgress: progress });
      progress.end();
      if (job.state !== 'done') {
        const code = (USER_ERROR_CODES as readonly string[]).includes(job.error?.code ?? '') ? job.error!.code as UserErrorCode : 'invalid';
        throw new UserError(code, job.error?.message ?? 'l’analyse a échoué');
      }
      const summary = job.result as AnalysisSummary;
      if (values.json) { console.log(JSON.stringify(summary, null, 2)); return; }
      printAnalysis(summary);
    } finally {
      progress.end();
      await store.close();
    }
  },
};

export function printAnalysis(s: AnalysisSummary): void {
  const how = { trained: 'modèle appris sur', 'zero-shot': 'sans exemple (d’après les thèmes) ; exemples disponibles :', none: 'rien à classer ; exemples :' } as const;
  console.log(`Analyse de « ${s.consultation} » : ${s.contributions} contributions`);
  console.log(`  thèmes : ${s.themes.predicted} à classer, ${how[s.themes.mode]} ${s.themes.trainingExamples} exemples, ${s.themes.assigned} suggestions enregistrées` +
    (s.themes.offTopic ? ` ; ${s.themes.offTopic} « hors sujet » (sans rapport avec les thèmes), laissées sans thème` : ''));
  const kinds = s.kinds.predicted === 0 ? 'toutes ont une nature donnée par leur source ou un humain'
    : s.kinds.mode === 'trained' ? `modèle appris sur ${s.kinds.trainingExamples} exemples, ${s.kinds.assigned} suggestions enregistrées`
      : s.kinds.mode === 'builtin' ? `pas assez d’exemples étiquetés pour apprendre (${s.kinds.trainingExamples}, il en faut 20 de 2 natures au moins) : ${s.kinds.assigned} suggestions du modèle intégré (constat, proposition, levier ou frein, témoignage), à vérifier`
        : `pas assez d’exemples étiquetés pour apprendre (${s.kinds.trainingExamples}, il en faut 20 de 2 natures au moins)`;
  console.log(`  natures : ${s.kinds.predicted} à classer ; ${kinds}`);
  const g = s.grouping;
  console.log(`  idées communes : ${g.groups} groupes et ${g.subIdeas} sous-idées pour ${g.grouped} contributions` +
    (g.keptHumanDecisions ? ` (${g.keptHumanDecisions} décisions humaines conservées)` : ''));
  console.log(`  doublons : ${plural(g.duplicates, 'ensemble', 'ensembles')} de textes identiques ou presque` +
    (g.campaigns.length ? ` ; ${plural(g.campaigns.length, 'campagne', 'campagnes')} de copier-coller (${campaignSizes(g.campaigns)}), regroupées avec leur texte type` : ''));
  if (g.nonAnswers) {
    const names = { empty: 'vides', nothing: '« RAS » ou « rien »', 'no-opinion': 'sans avis', filler: '« oui », « non », « idem »…', context: 'présentations (« Originaire de… »)' } as const;
    const parts = Object.entries(g.nonAnswerReasons).map(([k, n]) => `${n} ${names[k as keyof typeof names]}`);
    console.log(`  non-réponses : ${plural(g.nonAnswers, 'contribution mise de côté, comptée mais non regroupée', 'contributions mises de côté, comptées mais non regroupées')} (${parts.join(', ')})`);
  }
}

/** The sizes of the largest campaigns (at 1M there were 5,591: a line listing them all is unreadable). */
function campaignSizes(campaigns: readonly { size: number }[], shown = 10): string {
  const head = campaigns.slice(0, shown).map((c) => `${c.size} textes`).join(', ');
  return campaigns.length > shown ? `${head} et ${campaigns.length - shown} autres` : head;
}
