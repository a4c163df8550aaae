import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../server/password.ts';
import { createUser, listUsers, normaliseEmail, ROLES, updateUser, type Role } from '../../store/accounts.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { unlockAccount } from '../../store/rate-limits.ts';
import { CliError, parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';
import { table } from '../output.ts';

const ROLE_LABELS: Record<Role, string> = { admin: 'administrateur', analyst: 'analyste ARS', facilitator: 'animateur de réunions' };

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

async function checkedHash(): Promise<string> {
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CliError(`Mot de passe trop court : au moins ${MIN_PASSWORD_LENGTH} caractères (donné par FABRIQUE_PASSWORD ou sur l’entrée standard).`);
  }
  return hashPassword(password);
}

export const userCommand: Command = {
  name: 'user',
  summary: 'gère les comptes de l’application web : ajout, changement de mot de passe, liste, déblocage',
  usage: 'fabrique user add --email <adresse> --role admin|analyst|facilitator [--admin] | fabrique user password --email <adresse> | fabrique user list | fabrique user unlock --email <adresse>  (mot de passe : FABRIQUE_PASSWORD ou entrée standard)',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { email: { type: 'string' }, role: { type: 'string' }, admin: { type: 'boolean' } });
    const action = positionals[0];
    if (!action || positionals.length > 1 || !['add', 'password', 'list', 'unlock'].includes(action)) throw new UsageError('action attendue : add, password, list ou unlock');
    const store = await Store.open(configFromEnv());
    try {
      if (action === 'list') {
        const users = await listUsers(store);
        if (users.length === 0) { console.log('Aucun compte. Créez-en un : fabrique user add --email … --role admin'); return; }
        console.log(table(users.map((u) => [u.email, `${u.role} (${ROLE_LABELS[u.role]})`, u.createdAt.slice(0, 10), u.disabled ? 'désactivé' : '']), ['adresse', 'rôle', 'créé le', '']));
        return;
      }
      const email = requireOption(values.email, 'email');
      if (action === 'unlock') {
        const wasLocked = await unlockAccount(store, normaliseEmail(email), 'cli');
        console.log(wasLocked ? `Connexion à ${normaliseEmail(email)} débloquée ; ses échecs de connexion sont oubliés.` : `La connexion à ${normaliseEmail(email)} n’était pas bloquée ; ses échecs de connexion sont oubliés.`);
        return;
      }
      if (action === 'password') {
        const u = await updateUser(store, email, { passwordHash: await checkedHash() });
        console.log(`Mot de passe de ${u.email} changé ; ses sessions ouvertes sont fermées.`);
        return;
      }
      const role = (values.admin ? 'admin' : values.role) as Role | undefined;
      if (!role) throw new UsageError('indiquez --role admin|analyst|facilitator (ou --admin)');
      if (values.admin && values.role && values.role !== 'admin') throw new UsageError('--admin et --role se contredisent');
      if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`rôle inconnu : ${role} (admin, analyst ou facilitator)`);
      const u = await createUser(store, { email, role, passwordHash: await checkedHash() });
      console.log(`Compte créé : ${u.email} — ${ROLE_LABELS[u.role]}.`);
    } finally {
      await store.close();
    }
  },
};
