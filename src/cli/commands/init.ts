import { Store, configFromEnv } from '../../store/index.ts';
import { parseCommandArgs, type Command } from '../args.ts';

export const initCommand: Command = {
  name: 'init',
  async run(argv) {
    parseCommandArgs(argv, {}, false);
    const store = await Store.open(configFromEnv());
    try {
      const applied = await store.migrate();
      console.log(`Base ${store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} prête : ${store.location}` +
        (applied.length ? ` (migrations appliquées : ${applied.join(', ')})` : ''));
    } finally {
      await store.close();
    }
  },
};
