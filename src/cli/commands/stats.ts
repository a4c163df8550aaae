import { COLLEGE_LABELS, KIND_LABELS, territoryName, type College, type ContributionKind } from '../../domain/index.ts';
import type { ConsultationFigures } from '../../domain/consultation.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { analysisFigures, type WithheldFigures } from '../../usecases/stats.ts';
import { parseCommandArgs, requireOption, type Command } from '../args.ts';
import { table } from '../output.ts';
import { plural } from '../../text/french.ts';

export const statsCommand: Command = {
  name: 'stats',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { consultation: { type: 'string', short: 'c' }, json: { type: 'boolean' } }, false);
    const slug = requireOption(values.consultation, 'consultation');
    const store = await Store.open(configFromEnv());
    try {
      // the public figures, as every face prints them; the contributions not public apart, never added to them
      const figures = await analysisFigures(context(store, CLI_ACTOR), slug);
      if (values.json) console.log(JSON.stringify({ ...figures.public, withheld: figures.withheld }, null, 2));
      else console.log(await formatStats(store, figures.public, figures.withheld));
    } finally {
      await store.close();
    }
  },
};

const CHANNEL_LABELS: Record<string, string> = {
  atelier: 'Atelier', en_ligne: 'En ligne', formulaire: 'Formulaire', courrier: 'Courrier',
  import_tableur: 'Import de tableur', autre: 'Autre',
};

/** The public figures as French tables, with labels instead of codes and shares in percent, then what they leave out. */
export async function formatStats(store: Store, s: ConsultationFigures, withheld?: WithheldFigures): Promise<string> {
  const c = await store.requireConsultation(s.consultation);
  const meetings = new Map((await store.listMeetings(s.consultation)).map((m) => [m.id, m.title]));
  const themeLabels = new Map(c.themes.map((t) => [t.code, t.label]));
  const pct = (n: number) => (s.contributions ? `${((100 * n) / s.contributions).toFixed(0)} %` : '');
  const block = (title: string, counts: Record<string, number>, label: (k: string) => string) => {
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => [label(k), n, pct(n)]);
    return `\n${title}\n${table(rows)}`;
  };
  const lines = [
    `Consultation « ${c.title} » (${c.slug}) — ${territoryName(c.territory, c.territoryLevel)}`,
    `${s.contributions} contributions publiques (publiées par la modération ou avec leur document source), ${s.meetings} réunions, ${s.documents} documents importés`,
    ...(s.participants === null ? [] : [`${s.participants} participants aux réunions (totaux indiqués par ${plural(s.meetingsWithParticipants, 'réunion', 'réunions')} sur ${s.meetings})`]),
    block('Par thème', { ...s.byTheme, ...(s.withoutTheme ? { '(sans thème)': s.withoutTheme } : {}) },
      (k) => themeLabels.get(k) ?? k),
    block('Par nature', s.byKind, (k) => KIND_LABELS[k as ContributionKind] ?? k),
    block('Par réunion', s.byMeeting, (k) => meetings.get(k) ?? k),
    block('Par collège', s.byCollege, (k) => COLLEGE_LABELS[k as College] ?? k),
    block('Par canal', s.byChannel, (k) => CHANNEL_LABELS[k] ?? k),
  ];
  if (s.contributions > 0 && Object.values(s.byTheme).reduce((a, b) => a + b, 0) > s.contributions) {
    lines.push('\n(une contribution peut relever de plusieurs thèmes : la somme par thème dépasse le total)');
  }
  if (withheld) {
    const parts = [`${withheld.pending} à modérer`, `${plural(withheld.rejected, 'rejetée', 'rejetées')}`, ...(withheld.other ? [`${withheld.other} d’un autre statut`] : [])];
    lines.push(`\nHors chiffres publics (non comptées ci-dessus) : ${parts.join(', ')}`);
  }
  return lines.join('\n');
}
