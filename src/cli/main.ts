import { UserError, type UserErrorCode } from '../domain/errors.ts';
import { ImportError } from '../ingest/types.ts';
import { StoreError } from '../store/errors.ts';
import { CliError, UsageError, type Command } from './args.ts';

/**
 * Every command, named and described here so that `fabrique --help` and `fabrique x --help` load no
 * command module: each module is imported only when its command runs (loading them all took seconds).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  usage: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'crée la base de données (ou la met à jour) et affiche où elle se trouve',
    usage: 'fabrique init',
    load: async () => (await import('./commands/init.ts')).initCommand,
  },
  {
    name: 'demo',
    summary: 'charge la consultation de démonstration (slug « demo ») et son schéma territorial de santé, l’analyse, prend quelques décisions de démonstration sur les liens et écrit sa synthèse de restitution et son rapport de couverture',
    usage: 'fabrique demo [--out dossier] [--serve [--port 3000]]',
    load: async () => (await import('./commands/demo.ts')).demoCommand,
  },
  {
    name: 'consultation',
    summary: 'crée, charge, liste ou rouvre les consultations',
    usage: [
      'fabrique consultation create --slug <slug> --title "<titre>" --territory <code> [--level departement|region] [--status draft|open|…] [--start AAAA-MM-JJ] [--end AAAA-MM-JJ]',
      '       fabrique consultation load <consultation.json>   (format : docs/format-tabular.md)',
      '       fabrique consultation list',
      '       fabrique consultation reopen --slug <slug> --until AAAA-MM-JJ   (rouvre une consultation close, période passée)',
    ].join('\n'),
    load: async () => (await import('./commands/consultation.ts')).consultationCommand,
  },
  {
    name: 'import',
    summary: 'importe des fichiers (CSV, XLSX, comptes-rendus TXT/MD/PDF/DOCX) dans une consultation, ou restaure une archive de consultation',
    usage: 'fabrique import <fichier…> --consultation <slug> [--meeting <id>] [--map texte=Colonne,theme=Thème] [--themes \"2=1,3=4\"] [--sheet Feuille] [--parser nom] [--publish --by <nom>] [--force] [--json]\n' +
      '       (--themes : rattache les valeurs de la colonne de thème aux thèmes de la consultation, valeur=code ; --force : importe même un document qui cite des départements hors du territoire de la consultation)\n' +
      '       fabrique import archive.zip [--force] [--json]   (archive de « fabrique export consultation », reconnue à son contenu)\n' +
      '       fabrique import <sts.txt|sts.md> --consultation <slug> | --plan [--parser sts-texte|sts-markdown] [--json]   (schéma territorial de santé, reconnu à son contenu ; --plan : sans consultation, ou PDF/DOCX)',
    load: async () => (await import('./commands/import.ts')).importCommand,
  },
  {
    name: 'plan',
    summary: 'affiche un schéma territorial de santé importé (engagements, défis, objectifs, OQOS, data repère) ou liste les plans',
    usage: 'fabrique plan show <identifiant|département> [--consultation <slug>] [--json]\n       fabrique plan list [--territory <département>] [--json]',
    load: async () => (await import('./commands/plan.ts')).planCommand,
  },
  {
    name: 'actions',
    summary: 'actions de suivi du schéma territorial de santé : importe les « En pratique » comme actions proposées, les liste, les met à jour (format : docs/format-followup.md)',
    usage: 'fabrique actions import --plan <identifiant|département> [--include-displaced] [--json]\n'
      + '       fabrique actions list --plan <identifiant|département> [--objective <code>] [--json]\n'
      + '       fabrique actions update <action> [--status proposée|engagée|en_cours|réalisée|abandonnée --reason <motif>] [--owner <organisation>] [--contact <personne>]\n'
      + '                               [--progress 0-100] [--start AAAA-MM-JJ] [--due AAAA-MM-JJ] [--budget <euros>] [--partners CPTS,PMI] [--scope territorial|national] [--comment <texte public>] [--account <e-mail>,…] [--json]',
    load: async () => (await import('./commands/actions.ts')).actionsCommand,
  },
  {
    name: 'indicator',
    summary: 'indicateurs de suivi du schéma territorial de santé : cibles OQOS suivies, indicateurs ajoutés, mesures et avancement',
    usage: 'fabrique indicator oqos --plan <identifiant> [--json]   (un indicateur par ligne OQOS avec existant et cible ; sans doublon)\n'
      + '       fabrique indicator add --plan <identifiant> --label <libellé> [--unit <unité>] [--objective <code>] --baseline <n> --baseline-source <source> [--baseline-date AAAA[-MM-JJ]] (--target <n> | --target-min <n> --target-max <n> | --direction hausse|baisse) [--due AAAA[-MM-JJ]] [--json]\n'
      + '       fabrique indicator measure <id> --value <n> --date AAAA-MM-JJ [--source <source>] [--json]\n'
      + '       fabrique indicator list --plan <identifiant> [--json]',
    load: async () => (await import('./commands/indicator.ts')).indicatorCommand,
  },
  {
    name: 'link',
    summary: 'suggère les objectifs du schéma territorial de santé qui reprennent chaque proposition, idée ou élément de consultation du plan (JSON Lines)',
    usage: 'fabrique link --plan <identifiant> [--consultation <slug>] [--sources contribution,idea,planItem] [--top N] [--out liens.jsonl]   (enregistre les suggestions, garde les décisions)\n'
      + '       fabrique link --in textes.jsonl --plan <fichier du schéma | identifiant> [--top N] [--out liens.jsonl]   (textes libres {"id","text"} ; sans base de données avec un fichier)\n'
      + '       (format : docs/format-links.md ; sans --out, sur la sortie standard)',
    load: async () => (await import('./commands/link.ts')).linkCommand,
  },
  {
    name: 'delete',
    summary: 'supprime une contribution, un document importé (ses réunions et contributions) ou une consultation entière, avec ce qui en dérive',
    usage: 'fabrique delete contribution|document|consultation <identifiant> [--yes] [--json]',
    load: async () => (await import('./commands/delete.ts')).deleteCommand,
  },
  {
    name: 'erase',
    summary: 'efface une contribution à la demande de la personne (RGPD) : son texte disparaît de partout, le journal garde l’effacement sans le texte',
    usage: 'fabrique erase contribution <identifiant> [--yes] [--json]',
    load: async () => (await import('./commands/delete.ts')).eraseCommand,
  },
  {
    name: 'parse',
    summary: 'lit un document (compte-rendu d’atelier, synthèse, tableur) et affiche sa structure, sans base de données',
    usage: 'fabrique parse <fichier> [--json] [--parser nom]',
    load: async () => (await import('./commands/parse.ts')).parseCommand,
  },
  {
    name: 'export',
    summary: 'exporte les contributions (texte pseudonymisé) en JSON Lines ou CSV, ou une consultation entière en archive ZIP réimportable',
    usage: 'fabrique export contributions [--format jsonl|csv] [--consultation <slug>] [--theme N] [--with-originals] [--out fichier]\n' +
      '       fabrique export consultation --consultation <slug> --format archive --out archive.zip [--force]',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  {
    name: 'stats',
    summary: 'chiffres publics d’une consultation (contributions publiées) par thème, nature, réunion, collège et canal ; à part, celles à modérer ou rejetées',
    usage: 'fabrique stats --consultation <slug> [--json]',
    load: async () => (await import('./commands/stats.ts')).statsCommand,
  },
  {
    name: 'analyze',
    summary: 'analyse une consultation enregistrée : thèmes et natures suggérés, idées communes, doublons',
    usage: 'fabrique analyze --consultation <slug> [--seed N] [--regroup] [--json]',
    load: async () => (await import('./commands/analyze.ts')).analyzeCommand,
  },
  {
    name: 'classify',
    summary: 'classe des textes par thème (JSON Lines) : appris sur des exemples étiquetés, ou sans exemple à partir des thèmes',
    usage: 'fabrique classify [--train etiquetes.jsonl] --in textes.jsonl --out predictions.jsonl [--model modele.json] [--seed N]',
    load: async () => (await import('./commands/classify.ts')).classifyCommand,
  },
  {
    name: 'group',
    summary: 'regroupe des textes (JSON Lines) en idées communes à deux niveaux, avec libellés, comptes et citations',
    usage: 'fabrique group --in textes.jsonl --out groupes.json [--seed N] [--model modele.json]',
    load: async () => (await import('./commands/classify.ts')).groupCommand,
  },
  {
    name: 'duplicates',
    summary: 'repère les doublons et les campagnes de copier-coller dans des textes (JSON Lines)',
    usage: 'fabrique duplicates --in textes.jsonl [--out doublons.json] [--threshold 0.6] [--campaign-min 5]',
    load: async () => (await import('./commands/classify.ts')).duplicatesCommand,
  },
  {
    name: 'synthesize',
    summary: 'écrit la synthèse de restitution (département ou région) après avoir vérifié chaque chiffre et chaque citation',
    usage: 'fabrique synthesize --consultation <slug> [--territory <code>] [--level departement|region] [--quotes-per-idea 3] --format html|pdf|docx|md|json[,…] --out <fichier> [--editorial <textes.json>]',
    load: async () => (await import('./commands/synthesize.ts')).synthesizeCommand,
  },
  {
    name: 'coverage',
    summary: 'rapport de couverture d’un schéma : ce que la consultation y est devenu, par objectif et par thème, et ce qui n’est pas repris (liens décidés, chaque chiffre vérifié)',
    usage: 'fabrique coverage --plan <identifiant|département> [--consultation <slug>] [--format md|html|json|pdf|docx] [--out <fichier>]',
    load: async () => (await import('./commands/coverage.ts')).coverageCommand,
  },
  {
    name: 'followup',
    summary: 'suivi du schéma territorial de santé : bilan annuel vérifié (« Bilan de suivi du schéma territorial de santé »), parcours des propositions jusqu’aux actions, exports tableur (formats : docs/format-followup-report.md, docs/format-followup-exports.md)',
    usage: 'fabrique followup report --plan <identifiant|département> [--year AAAA] [--format html,pdf,docx,md,json] [--out <fichier>]   (plusieurs formats : un fichier par format, extension remplacée)\n'
      + '       fabrique followup funnel --plan <identifiant|département> [--json]\n'
      + '       fabrique followup export --plan <identifiant|département> --what actions|indicators|measurements [--format csv|xlsx] --out <fichier> [--contact]   (--contact : colonne de la personne à contacter, actions)',
    load: async () => (await import('./commands/followup.ts')).followupCommand,
  },
  {
    name: 'verify',
    summary: 'revérifie une synthèse, un rapport de couverture ou un bilan de suivi JSON contre les données : chaque chiffre recalculé, chaque citation retrouvée mot pour mot',
    usage: 'fabrique verify <synthese.json|couverture.json|bilan-suivi.json>',
    load: async () => (await import('./commands/synthesize.ts')).verifyCommand,
  },
  {
    name: 'serve',
    summary: 'démarre l’application web et son API (http://127.0.0.1:3000 par défaut)',
    usage: 'fabrique serve [--port 3000] [--host 127.0.0.1]',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
  {
    name: 'worker',
    summary: 'exécute les tâches en file (analyses, synthèses, imports) jusqu’à SIGTERM ; sur PostgreSQL, autant de processus que voulu',
    usage: 'fabrique worker [--stop-timeout secondes]',
    load: async () => (await import('./commands/worker.ts')).workerCommand,
  },
  {
    name: 'user',
    summary: 'gère les comptes de l’application web : ajout, mot de passe, liste, désactivation, suppression, affectation des animateurs, déblocage',
    usage: 'fabrique user add --email <adresse> --role admin|analyst|facilitator|owner [--admin] | user password --email <adresse> | user list'
      + ' | user disable|enable|delete|unlock --email <adresse> | user assign|unassign --email <adresse> --consultation <slug>'
      + '  (mot de passe : FABRIQUE_PASSWORD ou entrée standard ; au moins 12 caractères, pas un mot de passe courant)',
    load: async () => (await import('./commands/user.ts')).userCommand,
  },
  {
    name: 'backup',
    summary: 'sauvegarde cohérente de la base SQLite, même pendant que le serveur écrit (PostgreSQL : indique la commande pg_dump)',
    usage: 'fabrique backup --out fichier.sqlite [--force]',
    load: async () => (await import('./commands/backup.ts')).backupCommand,
  },
  {
    name: 'restore',
    summary: 'remplace la base SQLite par une sauvegarde de « fabrique backup » (serveur arrêté), puis la met à jour',
    usage: 'fabrique restore fichier.sqlite [--force]',
    load: async () => (await import('./commands/backup.ts')).restoreCommand,
  },
  {
    name: 'audit',
    summary: 'journal d’audit : retire les textes des contributions rejetées ou supprimées au-delà de la durée de conservation',
    usage: 'fabrique audit purge [--days N]  (défaut : FABRIQUE_AUDIT_TEXT_RETENTION_DAYS, sinon 90)',
    load: async () => (await import('./commands/audit.ts')).auditCommand,
  },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Fabrique — démocratie sanitaire territoriale : consulter, analyser, restituer, planifier.',
    '',
    'Usage : fabrique <commande> [options]   (depuis le dépôt : npm run -s fabrique -- <commande>)',
    '',
    'Commandes :',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration : DATABASE_URL=postgres://… (PostgreSQL) ou FABRIQUE_DB=chemin.sqlite (défaut : data/fabrique.sqlite).',
    '« fabrique <commande> --help » détaille chaque commande.',
  ].join('\n');
}

/** Exit code of each user error code (2 stays the usage error; documented in the README). */
export const USER_ERROR_EXIT: Record<UserErrorCode, number> = {
  invalid: 1, not_found: 3, conflict: 4, forbidden: 5, too_large: 6, too_complex: 6, unavailable: 7,
};

/** Runs the CLI and returns the exit code; errors become one French line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`fabrique : commande inconnue « ${name} » (voir fabrique --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${entry.usage}\n\n${entry.summary}`);
    return 0;
  }
  try {
    const command = await entry.load();
    return (await command.run(rest)) ?? 0;
  } catch (e) {
    return await report(entry, e);
  }
}

/** One French line on stderr for a failed command, and its exit code. */
async function report(entry: CommandEntry, e: unknown): Promise<number> {
  const name = entry.name;
  if (e instanceof UsageError) {
    console.error(`fabrique ${name} : ${e.message} (usage : ${entry.usage})`);
    return 2;
  }
  if (e instanceof UserError) {
    console.error(`fabrique ${name} : ${e.message}`);
    return USER_ERROR_EXIT[e.code];
  }
  // Loaded here, not above: these modules pull in the classifier and the SQLite driver (the command
  // that failed has loaded them already, so this costs nothing then).
  const [{ JsonlError }, { databaseFault }] = await Promise.all([import('../analysis/classify/jsonl.ts'), import('../store/faults.ts')]);
  if (e instanceof ImportError || e instanceof StoreError || e instanceof JsonlError || e instanceof CliError) {
    console.error(`fabrique ${name} : ${e.message}`);
    return 1;
  }
  const fault = databaseFault(e);
  if (fault) {
    console.error(`fabrique ${name} : ${fault.message}`);
    return 1;
  }
  const err = e as Error;
  console.error(`fabrique ${name} : erreur inattendue : ${(err.message ?? String(e)).split('\n')[0]}`);
  if (process.env.FABRIQUE_DEBUG) console.error(err.stack);
  return 1;
}
