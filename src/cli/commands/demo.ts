import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { chromiumAvailable, renderUnverified, type SynthesisDocument, type SynthesisFormat } from '../../synthesis/index.ts';
import { LINK_THRESHOLD } from '../../analysis/link/index.ts';
import type { LinkSourceRef, LinkSuggestion } from '../../domain/links.ts';
import { OTHERS_LABEL } from '../../analysis/grouping/model.ts';
import { getPlan, importPlan } from '../../usecases/plan.ts';
import { decideLink, decidedLinks, listLinks, suggestPlanLinks } from '../../usecases/links.ts';
import { coverageReport } from '../../usecases/coverage.ts';
import { importPlanActions, listActions, updateAction } from '../../usecases/actions.ts';
import { addIndicator, addMeasurement, listIndicators, oqosIndicators } from '../../usecases/followup-indicators.ts';
import type { FollowupIndicator } from '../../domain/followup-indicators.ts';
import { loadConsultationFile } from '../../ingest/consultation-file.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem } from '../../server/password.ts';
import { startServer } from '../../server/serve.ts';
import { createUser, findUserByEmail, updateUser } from '../../store/accounts.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';
import { importPaths, printImportResult } from './import.ts';
import { printAnalysis } from './analyze.ts';
import { CLI_ACTOR, context } from '../../usecases/context.ts';
import { loadConsultation, reopenConsultation } from '../../usecases/consultations.ts';
import { effectiveStatus, frenchDay, parisDay } from '../../domain/consultation.ts';
import { formatStats } from './stats.ts';
import { demoAgendaAndMap } from './demo-map.ts';
import { analyzeConsultation } from '../../usecases/analysis.ts';
import { publishSynthesis } from '../../usecases/syntheses.ts';
import { analysisFigures } from '../../usecases/stats.ts';
import { applyEditorialFile, writeSynthesis } from './synthesize.ts';
import { easyReadEditor, publishEasyRead, saveEasyRead } from '../../usecases/easy-read.ts';
import { plural } from '../../text/french.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../../demo/', import.meta.url));

/**
 * Files of the demo consultation that `fabrique demo` imports, in a stable order: the online and
 * paper contributions (CSV, XLSX), then one rendering of each workshop report of `ateliers/` — the
 * PDF, as reports usually arrive; its .md source and .docx rendering hold the same content and are
 * not imported (they would count every contribution twice more).
 */
export async function demoFiles(dir = DEMO_DIR): Promise<string[]> {
  const entries = await readdir(dir);
  const tables = entries.filter((f) => /\.(csv|xlsx)$/i.test(f)).sort().map((f) => join(dir, f));
  const reportsDir = join(dir, 'ateliers');
  const reports = entries.includes('ateliers')
    ? (await readdir(reportsDir)).filter((f) => /\.pdf$/i.test(f)).sort().map((f) => join(reportsDir, f))
    : [];
  return [...tables, ...reports];
}

export const DEMO_OUT_DIR = 'out/demo';

/** The named actor that publishes the demo's documents and restitution (recorded on them and in the audit log). */
export const DEMO_ACTOR = 'fabrique demo';

/**
 * The demo's easy-to-read summary of its restitution (demo/facile.json, written by the team to the easy-to-read rules):
 * saved as the draft, and published once the restitution is (`publish`), in the demo's name. Run again, it changes
 * nothing already there.
 */
export async function demoEasyRead(store: Store, slug: string, options: { publish: boolean }): Promise<void> {
  const ctx = context(store, { name: DEMO_ACTOR, role: 'cli' });
  const text = JSON.parse(await readFile(join(DEMO_DIR, 'facile.json'), 'utf8')) as { title: string; sections: { heading: string; text: string }[] };
  let view = await easyReadEditor(ctx, slug);
  if (!view.draft) view = await saveEasyRead(ctx, slug, text);
  if (options.publish && view.restitutionPublished && !view.published) {
    await publishEasyRead(ctx, slug);
    console.log(`Résumé facile à lire publié : /consultations/${slug}/facile`);
  }
}

export const demoCommand: Command = {
  name: 'demo',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' }, serve: { type: 'boolean' }, port: { type: 'string' } }, false);
    const port = values.port === undefined ? Number(process.env.PORT ?? 3000) : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port invalide : ${values.port}`);
    const outDir = values.out ?? DEMO_OUT_DIR;
    const store = await Store.open(configFromEnv());
    try {
      console.log(`Base ${store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} : ${store.location}`);
      const file = await loadConsultationFile(join(DEMO_DIR, 'consultation.json'));
      const { meetings, indicators } = file;
      const { created, consultation } = await loadConsultation(context(store, CLI_ACTOR), file);
      console.log(`Consultation « ${consultation.title} » ${created ? 'créée' : 'déjà présente'} (${meetings.length} réunions déclarées` +
        `${indicators ? `, ${indicators.length} indicateurs du territoire` : ''}).`);
      await reopenDemo(store, consultation.slug);

      const files = await demoFiles();
      console.log(`\nImport des ${files.length} fichiers de démonstration :`);
      // The online form's export belongs to the online consultation meeting; paper forms and reports do not.
      const online = meetings.find((m) => m.kind === 'consultation_en_ligne');
      const [csv, others] = [files.filter((f) => f.endsWith('.csv')), files.filter((f) => !f.endsWith('.csv'))];
      // The demo's documents are fictional and written by the team: the demo publishes them as a whole, in its own name (recorded).
      const results = [
        ...await importPaths(store, consultation.slug, csv, { publishBy: DEMO_ACTOR, ...(online ? { meeting: online.id } : {}) }),
        ...await importPaths(store, consultation.slug, others, { publishBy: DEMO_ACTOR }),
      ];
      for (const r of results) printImportResult(r);
      // upcoming meetings for the agenda and form contributions with a postcode for the map (analysed with the rest)
      await demoAgendaAndMap(store, consultation.slug, { name: DEMO_ACTOR, role: 'cli' });

      console.log('');
      printAnalysis(await analyzeConsultation(context(store, CLI_ACTOR), { consultation: consultation.slug, seed: 1 }));

      const figures = await analysisFigures(context(store, CLI_ACTOR), consultation.slug);
      console.log('\n' + await formatStats(store, figures.public, figures.withheld));

      // the demo's schéma territorial de santé, linked to what the consultation said, before the restitution shows it
      const plan = await demoPlan(store, consultation.slug);
      await demoFollowup(store, plan.planId);
      const coverageFiles = await writeDemoCoverage(store, consultation.slug, plan.planId, outDir);

      // the demo's editorial texts and emblematic actions (invented): a restitution is published with no text left to write
      await applyEditorialFile(context(store, CLI_ACTOR), { consultation: consultation.slug }, join(DEMO_DIR, 'editorial.json'));
      const formats: SynthesisFormat[] = chromiumAvailable() ? ['html', 'pdf'] : ['html'];
      const written = await writeSynthesis(context(store, CLI_ACTOR), { consultation: consultation.slug, formats, out: join(outDir, 'restitution.html') });
      console.log('\nSynthèse de restitution (chaque chiffre et chaque citation vérifiés) :');
      for (const f of written.files) console.log(`  ${f}`);
      if (!formats.includes('pdf')) console.log('  (PDF non produit : Chromium est absent ; « apt-get install chromium » pour l’obtenir)');
      console.log('Rapport de couverture du schéma (chaque chiffre vérifié) :');
      for (const f of coverageFiles) console.log(`  ${f}`);
      await demoEasyRead(store, consultation.slug, { publish: false });
      if (values.serve) {
        await publishSynthesis(context(store, { name: DEMO_ACTOR, role: 'cli' }), { consultation: consultation.slug, level: written.doc.level, territory: written.doc.territory });
        await demoEasyRead(store, consultation.slug, { publish: true });
        const account = await demoAccount(store);
        const server = await startServer({ port, host: '127.0.0.1', store });
        console.log(`\nDémo en ligne : ${server.url}  (API : ${server.url}api/docs)`);
        console.log(`Espace ARS : ${server.url}connexion — ${account.email} / ${account.password} (mot de passe renouvelé à chaque lancement)`);
        printPlanUrls(server.url, plan.planId);
        console.log('Ctrl+C pour arrêter.');
        await new Promise<void>((resolve) => {
          const stop = () => { void server.close().then(resolve); };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return;
      }
      console.log(`\nPour aller plus loin :
  npm run -s fabrique -- stats --consultation demo
  npm run -s fabrique -- export contributions --format jsonl --consultation demo > contributions.jsonl
  npm run -s fabrique -- synthesize --consultation demo --format docx --out ${join(outDir, 'restitution.docx')}
  npm run -s fabrique -- coverage --plan ${plan.planId}
  npm run -s fabrique -- --help
Avec « npm run -s fabrique -- serve » (après « npm run build:web ») :`);
      printPlanUrls('http://127.0.0.1:3000/', plan.planId);
      console.log(`Fichiers importés : ${relative(process.cwd(), DEMO_DIR) || '.'}/`);
    } finally {
      await store.close();
    }
  },
};

/** How long `fabrique demo` reopens its consultation, past its 2022 period, for the citizen journey. */
export const DEMO_REOPEN_DAYS = 90;

/**
 * The demo's period (autumn 2022) is over: to let people try the public form, the demo reopens it as an
 * administrator would (the same use case, audited under the demo's name) and says so.
 */
async function reopenDemo(store: Store, slug: string): Promise<void> {
  const now = new Date();
  const stored = await store.getConsultation(slug);
  if (!stored || effectiveStatus(stored, now) !== 'closed') return;
  const until = parisDay(new Date(now.getTime() + DEMO_REOPEN_DAYS * 86_400_000));
  await reopenConsultation(context(store, { name: DEMO_ACTOR, role: 'cli' }, () => now), { slug, until });
  console.log(`La période de la consultation est passée (fin : ${stored.periodEnd ? frenchDay(stored.periodEnd) : 'non communiquée'}) : la démo la rouvre aux contributions `
    + `jusqu’au ${frenchDay(until)}, comme le ferait un administrateur (« consultation.reopen » au journal d’audit, au nom de « ${DEMO_ACTOR} »).`);
}

export const DEMO_ACCOUNT_EMAIL = 'analyste@demo.fabrique.invalid';

/**
 * The demo's back-office account (administrator of the local demo). Its password is drawn anew at
 * every start and printed, so no fixed password ever exists.
 */
async function demoAccount(store: Store): Promise<{ email: string; password: string }> {
  let password: string;
  do password = randomBytes(9).toString('base64url'); while (passwordProblem(password)); // 12 random characters, held to the policy
  const passwordHash = await hashPassword(password);
  if (await findUserByEmail(store, DEMO_ACCOUNT_EMAIL)) await updateUser(store, DEMO_ACCOUNT_EMAIL, { passwordHash, role: 'admin' });
  else await createUser(store, { email: DEMO_ACCOUNT_EMAIL, role: 'admin', passwordHash });
  return { email: DEMO_ACCOUNT_EMAIL, password };
}

/** The demo's schéma territorial de santé (fictitious, written by the team), imported for the demo consultation. */
export const DEMO_PLAN_FILE = 'sts-aveyron-demo.md';

/**
 * A suggestion the demo confirms must clear the model's threshold by this factor: the demo takes only decisions a
 * reviewer would hardly dispute, and leaves the rest to review.
 */
export const DEMO_CLEAR_FACTOR = 1.25;

/** The plan's CNR proposals the demo marks itself: the start of the item's text, and the decision. */
const DEMO_MARKS: { starts: string; decision: 'national' | 'not_taken_up'; note: string }[] = [
  { starts: 'Ouvrir un centre de santé départemental', decision: 'not_taken_up',
    note: 'Un centre de santé départemental de médecins salariés relève d’une décision du Conseil départemental ; le schéma n’en prévoit pas.' },
  { starts: 'Rembourser intégralement le trajet', decision: 'national',
    note: 'Le remboursement des transports relève de l’Assurance maladie, au niveau national.' },
];

/** An idea the demo marks itself (by its label, as the analysis of the demo with seed 1 names it; absent, nothing is marked). */
const DEMO_IDEA_MARKS: { label: string; decision: 'national' | 'not_taken_up'; note: string }[] = [
  { label: 'Médecins salariés', decision: 'not_taken_up', note: DEMO_MARKS[0]!.note },
];

export interface DemoDecision {
  source: LinkSourceRef;
  label: string;
  decision: 'confirm' | 'national' | 'not_taken_up';
  target?: string;
  score?: number;
  note?: string;
}

/**
 * The decisions the demo takes on its plan: the two CNR proposals and the idea it marks (not taken up, national), then the top
 * candidate of every other CNR proposal and of each idea (top-level groups, largest first) when it clears the threshold clearly. Pure and
 * deterministic (the suggestions are), so a second run plans the same decisions.
 */
export function demoDecisions(suggestions: readonly LinkSuggestion[], items: readonly { text: string }[], ideas: readonly { id: string; label: string; size: number }[]): DemoDecision[] {
  const out: DemoDecision[] = [];
  const best = new Map(suggestions.map((s) => [`${s.source.kind}\u0000${s.source.id}`, s.candidates[0]]));
  const clear = (kind: LinkSourceRef['kind'], id: string) => {
    const c = best.get(`${kind}\u0000${id}`);
    return c && c.score >= DEMO_CLEAR_FACTOR * LINK_THRESHOLD ? c : undefined;
  };
  items.forEach((it, i) => {
    const source: LinkSourceRef = { kind: 'planItem', id: String(i) };
    const mark = DEMO_MARKS.find((m) => it.text.startsWith(m.starts));
    if (mark) { out.push({ source, label: it.text, decision: mark.decision, note: mark.note }); return; }
    const c = clear('planItem', source.id);
    if (c) out.push({ source, label: it.text, decision: 'confirm', target: c.target, score: c.score });
  });
  const largest = [...ideas].sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
  for (const g of largest) {
    const mark = DEMO_IDEA_MARKS.find((m) => m.label === g.label);
    if (mark) { out.push({ source: { kind: 'idea', id: g.id }, label: g.label, decision: mark.decision, note: mark.note }); continue; }
    const c = clear('idea', g.id);
    if (c) out.push({ source: { kind: 'idea', id: g.id }, label: g.label, decision: 'confirm', target: c.target, score: c.score });
  }
  return out;
}

/**
 * Imports the demo's plan for its consultation, suggests the links and takes the demo's decisions (audited under
 * the demo's name). Again on the same database: the import is unchanged, the suggestions are recomputed (decided
 * links kept) and a source already decided, by the demo or by someone in the back office, is left as it is.
 */
export async function demoPlan(store: Store, slug: string, log: (line: string) => void = (l) => console.log(l)): Promise<{ planId: string; taken: DemoDecision[]; kept: number }> {
  const ctx = context(store, { name: DEMO_ACTOR, role: 'cli' });
  const bytes = await readFile(join(DEMO_DIR, DEMO_PLAN_FILE));
  const imported = await importPlan(ctx, { bytes, fileName: DEMO_PLAN_FILE, consultation: slug });
  const k = imported.counts;
  log(`\nSchéma territorial de santé de démonstration (${imported.territoryName}${imported.period ? ` ${imported.period.start}-${imported.period.end}` : ''}, ${DEMO_PLAN_FILE}) : `
    + `${imported.outcome === 'unchanged' ? 'déjà importé' : 'importé'} — ${k.engagements} engagements, ${k.defis} défis, ${k.objectives} objectifs, `
    + `${k.consultationItems} propositions du CNR, ${k.oqos} lignes OQOS (plan ${imported.planId}).`);
  const suggestions = await suggestPlanLinks(ctx, { plan: imported.planId, consultation: slug });
  const plan = imported.planId;
  const stored = await getPlan(ctx, plan);
  const all = await store.listIdeaGroups(slug);
  const groups = all.filter((g) => g.parent === null && g.label !== OTHERS_LABEL);
  const size = (id: string): number => all.filter((g) => g.id === id || g.parent === id).reduce((n, g) => n + g.members.length, 0);
  const planned = demoDecisions(suggestions, stored.consultationItems, groups.map((g) => ({ id: g.id, label: g.label, size: size(g.id) })));
  const decided = new Set((await listLinks(ctx, { plan, statuses: ['confirmed', 'rejected', 'stated'] })).map((l) => `${l.source.kind}\u0000${l.source.id}`));
  const taken: DemoDecision[] = [];
  let kept = 0;
  for (const d of planned) {
    if (decided.has(`${d.source.kind}\u0000${d.source.id}`)) { kept++; continue; }
    await decideLink(ctx, { plan, source: d.source, decision: d.decision, ...(d.target ? { target: d.target } : {}), ...(d.note ? { note: d.note } : {}) });
    taken.push(d);
  }
  const bySource = (kind: LinkSourceRef['kind']) => suggestions.filter((s) => s.source.kind === kind);
  log(`Suggestions de liens (modèle lexical, seuil ${LINK_THRESHOLD}) : ${bySource('planItem').length} propositions du CNR, ${bySource('idea').length} idées communes, `
    + `${bySource('contribution').length} propositions de la consultation ; « aucun objectif ne convient » pour ${suggestions.filter((s) => s.nothingFits).length} d’entre elles.`);
  log(`Décisions de démonstration (prises par « ${DEMO_ACTOR} », pas par un analyste : le meilleur objectif quand son score dépasse nettement le seuil, `
    + `et trois sources marquées non reprises ou nationales ; le reste attend la relecture au back-office) :`);
  const what = (d: DemoDecision) => d.decision === 'confirm' ? `→ ${d.target} (score ${d.score!.toFixed(2)})` : d.decision === 'national' ? '→ niveau national' : '→ non reprise';
  for (const d of taken) log(`  ${d.source.kind === 'planItem' ? 'proposition du CNR' : 'idée commune'} « ${d.label} » ${what(d)}`);
  if (kept > 0) log(`  ${plural(kept, 'source déjà décidée', 'sources déjà décidées')} lors d’un lancement précédent ou au back-office : ${kept >= 2 ? 'laissées telles quelles' : 'laissée telle quelle'}.`);
  return { planId: plan, taken, kept };
}

/**
 * The follow-up of the demo's plan: its « En pratique » items as proposed actions, its OQOS targets as indicators,
 * and, the first time only, a few invented states (audited under the demo's name) so that the public follow-up
 * and the CTS dashboard show something: an action under a linked objective under way, another done, one OQOS
 * measurement. The owner organisations are fictional; no contact person is invented.
 */
export async function demoFollowup(store: Store, planId: string, log: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const ctx = context(store, { name: DEMO_ACTOR, role: 'cli' });
  const imported = await importPlanActions(ctx, { plan: planId });
  const oqos = await oqosIndicators(ctx, { plan: planId });
  const n = (k: number, one: string, many: string) => `${k} ${k > 1 ? many : one}`;
  log(`Suivi du schéma : ${n(imported.created, 'action proposée créée', 'actions proposées créées')} (${imported.existing} déjà là), `
    + `${n(oqos.created, 'indicateur OQOS créé', 'indicateurs OQOS créés')} (${oqos.alreadyThere} déjà là).`);
  if (imported.created === 0) return;
  // objectives that take up what the consultation said (its ideas and contributions), as the funnel counts them
  const linked = new Set((await decidedLinks(ctx, { plan: planId, publicOnly: true }))
    .flatMap((l) => (l.target && l.source.kind !== 'planItem' && (l.kind === 'taken_up' || l.kind === 'partly') ? [l.target] : [])));
  const actions = (await listActions(ctx, { plan: planId })).actions.filter((a) => a.parentId === null);
  const underLinked = actions.filter((a) => linked.has(a.objectiveCode));
  const [first, second] = underLinked.length >= 2 ? underLinked : actions;
  if (first) {
    await updateAction(ctx, { action: first.id, owner: { organisation: 'CPTS de démonstration du Nord-Aveyron' }, status: 'engagee', startDate: '2024-03-01', dueDate: '2026-06-30' });
    await updateAction(ctx, { action: first.id, status: 'en_cours', progress: 40, comment: 'Démonstration : premières permanences organisées, la moitié des communes reste à couvrir.' });
  }
  if (second) {
    await updateAction(ctx, { action: second.id, owner: { organisation: 'Conseil départemental (démonstration)' }, status: 'engagee', startDate: '2024-01-15', dueDate: '2025-12-31' });
    await updateAction(ctx, { action: second.id, status: 'en_cours', progress: 80 });
    await updateAction(ctx, { action: second.id, status: 'realisee', comment: 'Démonstration : action terminée.' });
  }
  const rising = (i: FollowupIndicator) => i.target.kind === 'value' && i.target.value > i.baseline.value;
  // a plan without an OQOS target to follow gets one indicator written by hand, as an analyst would
  const indicator: FollowupIndicator = (await listIndicators(ctx, { plan: planId })).indicators.find(rising) ?? await addIndicator(ctx, {
    plan: planId, label: 'Maisons de santé pluriprofessionnelles en fonctionnement', unit: 'maisons de santé', objective: first?.objectiveCode ?? null,
    baseline: { value: 4, date: '2023', source: 'Démonstration : chiffre inventé' }, target: { value: 7 },
  });
  await addMeasurement(ctx, { indicator: indicator.id, value: indicator.baseline.value + 1, date: '2025-06-30', source: 'Démonstration : autorisation fictive' });
  log(`Démonstration du suivi : ${n([first, second].filter(Boolean).length, 'action mise à jour', 'actions mises à jour')} (« en cours », « réalisée »), une mesure de l’indicateur « ${indicator.label} ».`);
}

/** The coverage report of the demo's plan, verified, written next to the restitution (Markdown, HTML, PDF with Chromium). */
export async function writeDemoCoverage(store: Store, slug: string, planId: string, outDir: string, opts: { pdf?: boolean } = {}): Promise<string[]> {
  const report = await coverageReport(context(store, CLI_ACTOR), { plan: planId, consultation: slug, format: 'md' });
  const formats: SynthesisFormat[] = (opts.pdf ?? true) && chromiumAvailable() ? ['html', 'pdf'] : ['html'];
  const rendered = [report.rendered!];
  // verified once above: the other renderings are of the same document
  for (const f of formats) rendered.push(await renderUnverified(report.document as SynthesisDocument, f));
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const r of rendered) {
    const file = join(outDir, `couverture.${r.extension}`);
    await writeFile(file, r.bytes);
    files.push(file);
  }
  return files;
}

function printPlanUrls(base: string, planId: string): void {
  const id = encodeURIComponent(planId);
  console.log(`Schéma territorial de santé (« Ce que vous avez dit » sous chaque objectif) : ${base}schemas/${id}`);
  console.log(`Rapport de couverture : ${base}schemas/${id}/couverture`);
  console.log(`Relecture des liens au back-office (compte ci-dessus) : ${base}admin/schemas/${id}/liens`);
  console.log(`Suivi public du schéma (« Que sont devenues vos propositions ? ») : ${base}schemas/${id}/suivi`);
  console.log(`Tableau de bord du CTS au back-office : ${base}admin/schemas/${id}/suivi`);
}
