/** Starts the HTTP server (used by `fabrique serve`, the end-to-end tests and the load test). */
import type { AddressInfo } from 'node:net';
import { Store, configFromEnv } from '../store/index.ts';
import { buildApp, optionsFromEnv, type AppOptions } from './app.ts';

export interface StartOptions extends Partial<Omit<AppOptions, 'store'>> {
  port?: number;
  host?: string;
  /** an open store; by default one is opened from the environment (and closed with the server) */
  store?: Store;
}

export async function startServer(o: StartOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const ownStore = !o.store;
  const store = o.store ?? await Store.open(configFromEnv());
  const { port = 3000, host = '127.0.0.1', store: _s, ...rest } = o;
  const app = await buildApp({ ...optionsFromEnv(), ...rest, store });
  await app.listen({ port, host });
  const addr = app.server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    close: async () => {
      await app.close();
      if (ownStore) await store.close();
    },
  };
}
