import { openJobs } from '../../jobs/queue.ts';
import { Store, configFromEnv } from '../../store/index.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';

export const workerCommand: Command = {
  name: 'worker',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { 'stop-timeout': { type: 'string' } }, false);
    const stopTimeout = values['stop-timeout'] === undefined ? 30 : Number(values['stop-timeout']);
    if (!Number.isFinite(stopTimeout) || stopTimeout < 0) throw new UsageError(`--stop-timeout invalide : ${values['stop-timeout']}`);
    const store = await Store.open(configFromEnv());
    const log = (msg: string) => console.error(`${new Date().toISOString()} ${msg}`);
    try {
      const jobs = await openJobs(store, { run: true, role: 'worker', log });
      log(`Fabrique : ${jobs.worker} prêt (${store.dialect === 'postgres' ? 'PostgreSQL, file pg-boss' : `SQLite ${store.location}`}). SIGTERM pour arrêter.`);
      // the job loop's timers do not hold the process: this one does, until a signal
      const alive = setInterval(() => {}, 60_000);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      clearInterval(alive);
      const current = jobs.current();
      log(current ? `arrêt : la tâche ${current.kind} ${current.id} a ${stopTimeout} s pour finir, sinon elle est rendue à la file` : 'arrêt');
      await jobs.close(stopTimeout * 1000);
    } finally {
      await store.close();
    }
  },
};
