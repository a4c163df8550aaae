import { CNR_SANTE_THEMES, DEPARTEMENTS, REGIONS, isValidSlug, territoryName, type Consultation, type TerritoryLevel } from '../../domain/index.ts';
import { loadConsultationFile } from '../../ingest/consultation-file.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { consultationTerritoryLevel, saveIndicators } from '../../store/indicators.ts';
import { table } from '../output.ts';
import { CliError, parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';

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

async function create(store: Store, argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    slug: { type: 'string' }, title: { type: 'string' }, territory: { type: 'string' },
    level: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
  }, false);
  const slug = requireOption(values.slug, 'slug');
  if (!isValidSlug(slug)) throw new UsageError(`identifiant invalide : « ${slug} » (minuscules, chiffres et tirets)`);
  const territory = requireOption(values.territory, 'territory').toUpperCase();
  const level = (values.level ?? (DEPARTEMENTS[territory] ? 'departement' : 'region')) as TerritoryLevel;
  if (level === 'departement' && !DEPARTEMENTS[territory]) throw new CliError(`Code de département inconnu : ${territory}`);
  if (level === 'region' && !REGIONS[territory]) throw new CliError(`Code de région inconnu : ${territory}`);
  if (level !== 'departement' && level !== 'region') throw new UsageError(`niveau inconnu : ${level}`);
  for (const d of [values.start, values.end]) if (d && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new UsageError(`date invalide : ${d} (AAAA-MM-JJ)`);
  if (await store.getConsultation(slug)) throw new CliError(`La consultation « ${slug} » existe déjà.`);
  await registerTerritory(store, territory, level);
  const c: Consultation = {
    slug, title: requireOption(values.title, 'title'), territory, territoryLevel: level, status: 'open', themes: [...CNR_SANTE_THEMES],
    ...(values.start ? { periodStart: values.start } : {}), ...(values.end ? { periodEnd: values.end } : {}),
  };
  await store.upsertConsultation(c);
  console.log(`Consultation « ${c.title} » (${slug}) créée pour ${level === 'region' ? 'la région' : 'le département'} ${territoryName(territory, level)}, avec les 4 thèmes nationaux du CNR Santé.`);
}

async function load(store: Store, argv: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(argv, {});
  if (positionals.length !== 1) throw new UsageError('indiquez un fichier JSON de consultation');
  const { consultation, meetings, indicators } = await loadConsultationFile(positionals[0]!);
  const level = consultationTerritoryLevel(consultation);
  await registerTerritory(store, consultation.territory, level);
  const created = await store.upsertConsultation(consultation);
  await store.upsertMeetings(meetings);
  if (indicators) await saveIndicators(store, consultation.territory, level, indicators);
  console.log(`Consultation « ${consultation.title} » ${created ? 'créée' : 'mise à jour'} (${meetings.length} réunions` +
    `${indicators ? `, ${indicators.length} indicateurs du territoire` : ''}).`);
}

async function list(store: Store, argv: string[]): Promise<void> {
  parseCommandArgs(argv, {}, false);
  const rows = [];
  for (const c of await store.listConsultations()) rows.push([c.slug, c.title, territoryName(c.territory, c.territoryLevel), c.status, await store.countContributions(c.slug)]);
  console.log(rows.length ? table(rows, ['slug', 'titre', 'territoire', 'statut', 'contributions']) : 'Aucune consultation.');
}

/** Records the territory (and its région) so that later steps know a région from a département with the same code. */
export async function registerTerritory(store: Store, code: string, level: TerritoryLevel): Promise<void> {
  if (level === 'departement') {
    const dep = DEPARTEMENTS[code];
    if (!dep) return;
    await store.upsertTerritory({ code: dep[1], name: REGIONS[dep[1]] ?? dep[1], level: 'region' });
    await store.upsertTerritory({ code, name: dep[0], level: 'departement', parent: dep[1] });
  } else if (REGIONS[code]) {
    await store.upsertTerritory({ code, name: REGIONS[code]!, level: 'region' });
  }
}
