import { startServer } from '../../server/serve.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';

export const serveCommand: Command = {
  name: 'serve',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = values.port === undefined ? Number(process.env.PORT ?? 3000) : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port invalide : ${values.port}`);
    const server = await startServer({ port, host: values.host ?? process.env.HOST ?? '127.0.0.1', logger: true });
    console.error(`Fabrique : ${server.url} (API : ${server.url}api/docs). Ctrl+C pour arrêter.`);
    await new Promise<void>((resolve) => {
      const stop = () => { void server.close().then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
