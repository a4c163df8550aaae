/**
 * `fabrique delete contribution|document|consultation <id>` and `fabrique erase contribution <id>`: the use cases
 * of src/usecases/deletion.ts, which the back office's buttons call too. Nothing is removed without a
 * confirmation: --yes, or « oui » typed at the prompt of a terminal.
 */
import { createInterface } from 'node:readline/promises';
import type { DeletionCounts } from '../../store/deletion.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { deleteConsultation, deleteContribution, deleteDocument } from '../../usecases/deletion.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';
import { plural } from '../../text/french.ts';

const KINDS = ['contribution', 'document', 'consultation'] as const;

async function confirmed(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new UsageError(`${question} Ajoutez --yes pour confirmer (aucune question posée hors d’un terminal).`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(o|oui|y|yes)$/i.test((await rl.question(`${question} Confirmer ? (oui/non) `)).trim());
  } finally {
    rl.close();
  }
}

/** One French line of what went, for the counts that are not zero. */
export function describeCounts(c: DeletionCounts): string {
  const parts: [number, string, string][] = [
    [c.contributions, 'contribution', 'contributions'], [c.meetings, 'réunion', 'réunions'], [c.documents, 'document', 'documents'],
    [c.sourceFiles, 'fichier d’origine', 'fichiers d’origine'],
    [c.ideaGroupsRemoved, 'idée commune vidée retirée', 'idées communes vidées retirées'], [c.ideaGroupsChanged, 'idée commune sans cette citation', 'idées communes sans cette citation'],
    [c.draftsRewritten, 'brouillon de synthèse réécrit', 'brouillons de synthèse réécrits'],
    [c.restitutionsStale, 'restitution publiée retirée du site (à republier)', 'restitutions publiées retirées du site (à republier)'],
    [c.restitutionsRewritten, 'restitution publiée réécrite', 'restitutions publiées réécrites'],
    [c.auditEntriesRewritten, 'entrée du journal sans le texte', 'entrées du journal sans le texte'], [c.jobsRewritten, 'tâche sans le texte', 'tâches sans le texte'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many)).join(', ') || 'rien d’autre';
}

function command(name: 'delete' | 'erase'): Command {
  return {
    name,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, { yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' } });
      const [kind, id, ...extra] = positionals;
      const kinds: readonly string[] = name === 'erase' ? ['contribution'] : KINDS;
      if (!kind || !kinds.includes(kind)) throw new UsageError(`attendu : ${kinds.join('|')} <identifiant>`);
      if (!id || extra.length) throw new UsageError(`un seul identifiant attendu après « ${kind} »`);
      const store = await Store.open(configFromEnv());
      try {
        const ctx = context(store, CLI_ACTOR);
        let result: { counts: DeletionCounts };
        let line: string;
        if (kind === 'contribution') {
          const c = await store.getContribution(id);
          const question = name === 'erase'
            ? `Effacer la contribution ${id} (demande de la personne) : son texte disparaîtra de partout, y compris du journal, des synthèses et du fichier d’origine de son document.`
            : `Supprimer la contribution ${id}${c ? ` (consultation « ${c.consultation} »)` : ''} ?`;
          if (c && !(await confirmed(question, values.yes ?? false))) { console.log('Rien n’a été supprimé.'); return 0; }
          const r = await deleteContribution(ctx, { id, mode: name === 'erase' ? 'erase' : 'delete' });
          result = r;
          line = `Contribution ${r.contribution} ${name === 'erase' ? 'effacée' : 'supprimée'} (consultation « ${r.consultation} »)`;
        } else if (kind === 'document') {
          const d = await store.getDocument(id);
          if (d && !(await confirmed(`Supprimer le document « ${d.fileName} » de « ${d.consultation} », ses réunions et ses contributions ?`, values.yes ?? false))) {
            console.log('Rien n’a été supprimé.'); return 0;
          }
          const r = await deleteDocument(ctx, { documentId: id });
          result = r;
          line = `Document « ${r.fileName} » supprimé de « ${r.consultation} »`;
        } else {
          const c = await store.getConsultation(id);
          if (c && !(await confirmed(`Supprimer la consultation « ${c.slug} » (${c.title}) et tout ce qu’elle contient ?`, values.yes ?? false))) {
            console.log('Rien n’a été supprimé.'); return 0;
          }
          const r = await deleteConsultation(ctx, { slug: id });
          result = r;
          line = `Consultation « ${r.consultation} » supprimée (journal d’audit conservé sans les textes)`;
        }
        if (values.json) console.log(JSON.stringify(result, null, 2));
        else console.log(`${line} : ${describeCounts(result.counts)}.`);
        return 0;
      } finally {
        await store.close();
      }
    },
  };
}

export const deleteCommand = command('delete');
export const eraseCommand = command('erase');
