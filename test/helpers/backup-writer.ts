/**
 * A stand-in for a running server, for the backup test: opens the SQLite database given as argument,
 * keeps every write in the WAL (no automatic checkpoint) and adds one contribution at a time,
 * printing each id once its transaction is committed, until stdin closes.
 */
import { Store } from '../../src/store/index.ts';

const store = await Store.open({ sqlitePath: process.argv[2]! });
store.sqlite!.pragma('wal_autocheckpoint = 0');
let open = true;
process.stdin.on('end', () => { open = false; }).resume();
for (let n = 0; open; n++) {
  const id = `essai:serveur:${n}`;
  await store.addContributions('essai', [{
    id, consultation: 'essai', channel: 'formulaire', text: `Contribution fictive ${n} envoyée pendant la sauvegarde`, themes: [],
    moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire' },
  }]);
  process.stdout.write(`${id}\n`);
  await new Promise((r) => setTimeout(r, 1));
}
await store.close();
