import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { chromiumAvailable, type SynthesisFormat } from '../../synthesis/index.ts';
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
import { analyzeConsultation } from '../../usecases/analysis.ts';
import { publishSynthesis } from '../../usecases/syntheses.ts';
import { analysisFigures } from '../../usecases/stats.ts';
import { applyEditorialFile, writeSynthesis } from './synthesize.ts';

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

      console.log('');
      printAnalysis(await analyzeConsultation(context(store, CLI_ACTOR), { consultation: consultation.slug, seed: 1 }));

      const figures = await analysisFigures(context(store, CLI_ACTOR), consultation.slug);
      console.log('\n' + await formatStats(store, figures.public, figures.withheld));

      // the demo's editorial texts and emblematic actions (invented): a restitution is published with no text left to write
      await applyEditorialFile(context(store, CLI_ACTOR), { consultation: consultation.slug }, join(DEMO_DIR, 'editorial.json'));
      const formats: SynthesisFormat[] = chromiumAvailable() ? ['html', 'pdf'] : ['html'];
      const written = await writeSynthesis(context(store, CLI_ACTOR), { consultation: consultation.slug, formats, out: join(outDir, 'restitution.html') });
      console.log('\nSynthèse de restitution (chaque chiffre et chaque citation vérifiés) :');
      for (const f of written.files) console.log(`  ${f}`);
      if (!formats.includes('pdf')) console.log('  (PDF non produit : Chromium est absent ; « apt-get install chromium » pour l’obtenir)');
      if (values.serve) {
        await publishSynthesis(context(store, { name: DEMO_ACTOR, role: 'cli' }), { consultation: consultation.slug, level: written.doc.level, territory: written.doc.territory });
        const account = await demoAccount(store);
        const server = await startServer({ port, host: '127.0.0.1', store });
        console.log(`\nDémo en ligne : ${server.url}  (API : ${server.url}api/docs)`);
        console.log(`Espace ARS : ${server.url}connexion — ${account.email} / ${account.password} (mot de passe renouvelé à chaque lancement)`);
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
  npm run -s fabrique -- --help
Fichiers importés : ${relative(process.cwd(), DEMO_DIR) || '.'}/`);
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
