import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { hashPassword, passwordProblem } from '../../server/password.ts';
import { assignedConsultations, createUser, listUsers, normaliseEmail, ROLES, updateUser, type Role } from '../../store/accounts.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { unlockAccount } from '../../store/rate-limits.ts';
import { UserError } from '../../domain/errors.ts';
import { assignAccount, deleteAccount, resetPassword, setAccountDisabled, unassignAccount, LINK_HOURS } from '../../usecases/accounts.ts';
import { CLI_ACTOR as CLI, context } from '../../usecases/context.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';

const ROLE_LABELS: Record<Role, string> = { admin: 'administrateur', analyst: 'analyste ARS', facilitator: 'animateur de réunions', owner: 'porteur d’action du suivi' };

/** The password: FABRIQUE_PASSWORD, else the first line of stdin (typed without echo on a terminal). Never a flag. */
async function readPassword(): Promise<string> {
  const env = process.env.FABRIQUE_PASSWORD;
  if (env) return env;
  if (process.stdin.isTTY) {
    const muted = new Writable({ write: (_c, _e, cb) => cb() });
    process.stderr.write('Mot de passe : ');
    const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    rl.close();
    process.stderr.write('\n');
    return line;
  }
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.split(/\r?\n/)[0] ?? '';
}

/** The hash of the new password, once the password policy accepts it (src/server/password.ts). */
async function checkedHash(email: string): Promise<string> {
  const password = await readPassword();
  const problem = passwordProblem(password, email);
  if (problem) throw new UserError('invalid', `${problem} (mot de passe donné par FABRIQUE_PASSWORD ou sur l’entrée standard)`);
  return hashPassword(password);
}

/** Who the audit log names for changes made from the command line. */
const CLI_ACTOR = CLI.name;

const ACTIONS = ['add', 'password', 'link', 'list', 'disable', 'enable', 'delete', 'assign', 'unassign', 'unlock'] as const;

export const userCommand: Command = {
  name: 'user',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { email: { type: 'string' }, role: { type: 'string' }, admin: { type: 'boolean' }, consultation: { type: 'string' } });
    const action = positionals[0] as (typeof ACTIONS)[number] | undefined;
    if (!action || positionals.length > 1 || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`action attendue : ${ACTIONS.join(', ')}`);
    const store = await Store.open(configFromEnv());
    try {
      if (action === 'list') {
        const users = await listUsers(store);
        if (users.length === 0) { console.log('Aucun compte. Créez-en un : fabrique user add --email … --role admin'); return; }
        const rows = [];
        for (const u of users) {
          const scope = u.role === 'facilitator' ? (await assignedConsultations(store, u.id)).join(', ') || '(aucune)' : 'toutes';
          rows.push([u.email, `${u.role} (${ROLE_LABELS[u.role]})`, u.createdAt.slice(0, 10), scope, u.disabled ? 'désactivé' : '']);
        }
        console.log(table(rows, ['adresse', 'rôle', 'créé le', 'consultations', '']));
        return;
      }
      const email = requireOption(values.email, 'email');
      // the same use cases as the administrators' page (src/usecases/accounts.ts)
      const ctx = context(store, CLI);
      switch (action) {
        case 'password': {
          const u = await updateUser(store, email, { passwordHash: await checkedHash(email) });
          console.log(`Mot de passe de ${u.email} changé ; ses sessions ouvertes sont fermées.`);
          return;
        }
        case 'link': {
          // a one-time link (valid LINK_HOURS) to pass on: its holder sets their own password in the web app
          const { user, link } = await resetPassword(ctx, { email });
          const base = (process.env.FABRIQUE_SITE_URL ?? '').replace(/\/+$/, '');
          console.log(`Lien à usage unique pour ${user.email}, valable ${LINK_HOURS} heures (jusqu’au ${link.expiresAt.slice(0, 16).replace('T', ' à ')} UTC) :`);
          console.log(`${base}${link.path}`);
          if (!base) console.log('(à préfixer par l’adresse du site, ou définissez FABRIQUE_SITE_URL)');
          return;
        }
        case 'unlock': {
          const wasLocked = await unlockAccount(store, normaliseEmail(email), CLI_ACTOR);
          console.log(wasLocked ? `Connexion à ${normaliseEmail(email)} débloquée ; ses échecs de connexion sont oubliés.` : `La connexion à ${normaliseEmail(email)} n’était pas bloquée ; ses échecs de connexion sont oubliés.`);
          return;
        }
        case 'disable': {
          const u = await setAccountDisabled(ctx, { email, disabled: true });
          console.log(`Compte ${u.email} désactivé : il ne peut plus se connecter et ses sessions sont fermées.`);
          return;
        }
        case 'enable': {
          const u = await setAccountDisabled(ctx, { email, disabled: false });
          console.log(`Compte ${u.email} réactivé.`);
          return;
        }
        case 'delete': {
          await deleteAccount(ctx, { email });
          console.log(`Compte ${normaliseEmail(email)} supprimé avec ses sessions ; le journal d’audit garde son adresse.`);
          return;
        }
        case 'assign':
        case 'unassign': {
          const slug = requireOption(values.consultation, 'consultation');
          if (action === 'assign') {
            const outcome = await assignAccount(ctx, { email, consultation: slug });
            console.log(outcome === 'assigned' ? `Le compte ${normaliseEmail(email)} est affecté à la consultation « ${slug} ».` : `Le compte ${normaliseEmail(email)} était déjà affecté à « ${slug} ».`);
          } else {
            const outcome = await unassignAccount(ctx, { email, consultation: slug });
            console.log(outcome === 'unassigned' ? `Le compte ${normaliseEmail(email)} n’est plus affecté à « ${slug} ».` : `Le compte ${normaliseEmail(email)} n’était pas affecté à « ${slug} ».`);
          }
          return;
        }
        case 'add': {
          const role = (values.admin ? 'admin' : values.role) as Role | undefined;
          if (!role) throw new UsageError('indiquez --role admin|analyst|facilitator|owner (ou --admin)');
          if (values.admin && values.role && values.role !== 'admin') throw new UsageError('--admin et --role se contredisent');
          if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`rôle inconnu : ${role} (admin, analyst, facilitator ou owner)`);
          const u = await createUser(store, { email, role, passwordHash: await checkedHash(email) });
          console.log(`Compte créé : ${u.email} — ${ROLE_LABELS[u.role]}.${u.role === 'facilitator' ? ' Affectez-le à ses consultations : fabrique user assign --email … --consultation …' : ''}`);
          return;
        }
      }
    } finally {
      await store.close();
    }
  },
};
