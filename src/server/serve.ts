/** Starts the HTTP server (used by `fabrique serve`, the end-to-end tests and the load test). */
import type { AddressInfo } from 'node:net';
import { auditTextRetentionDays, purgeAuditTexts } from '../store/audit.ts';
import { Store, configFromEnv } from '../store/index.ts';
import { startMailSender } from '../jobs/mail-sender.ts';
import { buildApp, optionsFromEnv, type AppOptions } from './app.ts';
import { plural } from '../text/french.ts';

export interface StartOptions extends Partial<Omit<AppOptions, 'store'>> {
  port?: number;
  host?: string;
  /** an open store; by default one is opened from the environment (and closed with the server) */
  store?: Store;
  /** days the audit log keeps the texts of rejected or deleted contributions (default: FABRIQUE_AUDIT_TEXT_RETENTION_DAYS, else 90) */
  auditTextRetentionDays?: number;
  /** how often the outbox sender looks for waiting messages (default 15 s) */
  mailIntervalMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Strips expired texts from the audit log now, then once a day (the timer does not keep the process
 * alive). A failure is logged without any text and retried the next day. `stop` waits for a run in progress.
 */
export function scheduleAuditPurge(store: Store, days: number, log: (msg: string) => void = () => {}): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = purgeAuditTexts(store, { days })
      .then((n) => { if (n > 0) log(`journal d’audit : ${plural(n, 'entrée', 'entrées')} sans texte après ${days} jours`); })
      .catch((e: Error) => log(`journal d’audit : purge des textes impossible (${e.name}), nouvel essai dans 24 h`));
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return { stop: async () => { clearInterval(timer); await running; } };
}

export async function startServer(o: StartOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const ownStore = !o.store;
  const store = o.store ?? await Store.open(configFromEnv());
  const { port = 3000, host = '127.0.0.1', store: _s, auditTextRetentionDays: days, mailIntervalMs: _m, ...rest } = o;
  const retention = days ?? auditTextRetentionDays();
  const appOptions = { ...optionsFromEnv(), ...rest, store };
  const app = await buildApp(appOptions);
  await store.startReadWorkers();
  await app.listen({ port, host });
  const auditPurge = scheduleAuditPurge(store, retention, (msg) => app.log.info(msg));
  // the outbox: sent by SMTP only with the sending settings; without them nothing is ever sent (kept tidy either way)
  const mailSender = startMailSender(store, appOptions.mail ?? null, { log: (msg) => app.log.info(msg), ...(o.mailIntervalMs ? { intervalMs: o.mailIntervalMs } : {}) });
  const addr = app.server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    close: async () => {
      await auditPurge.stop();
      await mailSender.stop();
      await app.close();
      if (ownStore) await store.close();
    },
  };
}
