import { CONSULTATION_STATUSES, effectiveStatus, frenchDay, territoryName, type ConsultationStatus } from '../../domain/index.ts';
import { loadConsultationFile } from '../../ingest/consultation-file.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { createConsultation, loadConsultation, reopenConsultation } from '../../usecases/consultations.ts';
import { table } from '../output.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';

export const consultationCommand: Command = {
  name: 'consultation',
  async run(argv) {
    const [action, ...rest] = argv;
    const store = await Store.open(configFromEnv());
    try {
      if (action === 'create') await create(store, rest);
      else if (action === 'load') await load(store, rest);
      else if (action === 'list') await list(store, rest);
      else if (action === 'reopen') await reopen(store, rest);
      else throw new UsageError(`action inconnue : ${action ?? '(aucune)'} (create, load, list ou reopen)`);
    } finally {
      await store.close();
    }
  },
};

const STATUS_WORDS: Record<ConsultationStatus, string> = { draft: 'brouillon', open: 'ouverte', closed: 'close', analysed: 'analysée', published: 'publiée' };

async function create(store: Store, argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    slug: { type: 'string' }, title: { type: 'string' }, territory: { type: 'string' },
    level: { type: 'string' }, status: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
  }, false);
  const status = values.status as ConsultationStatus | undefined;
  if (status !== undefined && !(CONSULTATION_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`statut inconnu : ${status} (${CONSULTATION_STATUSES.join(', ')})`);
  }
  const { consultation: c, scope } = await createConsultation(context(store, CLI_ACTOR), {
    slug: requireOption(values.slug, 'slug'), title: requireOption(values.title, 'title'), territory: requireOption(values.territory, 'territory'),
    ...(values.level ? { level: values.level } : {}), ...(status ? { status } : {}),
    ...(values.start ? { periodStart: values.start } : {}), ...(values.end ? { periodEnd: values.end } : {}),
  });
  console.log(`Consultation « ${c.title} » (${c.slug}) créée pour ${scope.level === 'region' ? 'la région' : 'le département'} ${scope.name}, ` +
    `avec les 4 thèmes nationaux du CNR Santé ; statut : ${STATUS_WORDS[c.status]}` +
    (c.status === 'draft' ? ' (invisible du public : --status open pour l’ouvrir aux contributions)' : '') + '.');
}

async function load(store: Store, argv: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(argv, {});
  if (positionals.length !== 1) throw new UsageError('indiquez un fichier JSON de consultation');
  const file = await loadConsultationFile(positionals[0]!);
  const { created, consultation } = await loadConsultation(context(store, CLI_ACTOR), file);
  console.log(`Consultation « ${consultation.title} » ${created ? 'créée' : 'mise à jour'} (${file.meetings.length} réunions` +
    `${file.indicators ? `, ${file.indicators.length} indicateurs du territoire` : ''}).`);
}

async function list(store: Store, argv: string[]): Promise<void> {
  parseCommandArgs(argv, {}, false);
  const rows = [];
  // the status people see: an open consultation past its last day is closed
  const now = new Date();
  for (const c of await store.listConsultations()) rows.push([c.slug, c.title, territoryName(c.territory, c.territoryLevel), effectiveStatus(c, now), await store.countContributions(c.slug)]);
  console.log(rows.length ? table(rows, ['slug', 'titre', 'territoire', 'statut', 'contributions']) : 'Aucune consultation.');
}

/** Reopens a closed consultation until a new last day, as an administrator does in the back office (audited). */
async function reopen(store: Store, argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { slug: { type: 'string' }, until: { type: 'string' } }, false);
  const c = await reopenConsultation(context(store, CLI_ACTOR), { slug: requireOption(values.slug, 'slug'), until: requireOption(values.until, 'until') });
  console.log(`Consultation « ${c.title} » rouverte aux contributions jusqu’au ${frenchDay(c.reopenedUntil!)} inclus `
    + `(période publiée inchangée ; « consultation.reopen » au journal d’audit).`);
}
