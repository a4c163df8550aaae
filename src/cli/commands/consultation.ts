import { CONSULTATION_STATUSES, territoryName, type ConsultationStatus } from '../../domain/index.ts';
import { loadConsultationFile } from '../../ingest/consultation-file.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { createConsultation, loadConsultation } from '../../usecases/consultations.ts';
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
      else throw new UsageError(`action inconnue : ${action ?? '(aucune)'} (create, load ou list)`);
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
  for (const c of await store.listConsultations()) rows.push([c.slug, c.title, territoryName(c.territory, c.territoryLevel), c.status, await store.countContributions(c.slug)]);
  console.log(rows.length ? table(rows, ['slug', 'titre', 'territoire', 'statut', 'contributions']) : 'Aucune consultation.');
}
