/**
 * The sender of the outbox (issue 16): started by the server. Without sending settings (FABRIQUE_SMTP_URL…) it
 * never sends anything: messages stay in the outbox, which the back office shows. With them, it hands the waiting
 * messages to the SMTP relay with nodemailer, every `intervalMs`. Either way it deletes, once an hour, what is kept
 * no longer (addresses never confirmed, expired links, old messages). No address is ever logged.
 */
import nodemailer from 'nodemailer';
import type { MailSettings } from '../domain/engagement.ts';
import type { Store } from '../store/store.ts';
import { context, type Actor } from '../usecases/context.ts';
import { purgeSubscriptions, sendWaitingMessages, type MailTransport } from '../usecases/engagement.ts';

export const MAIL_SENDER_ACTOR: Actor = { name: 'envoi des messages', role: 'cli' };

/** An SMTP transport from the settings: one connection per round, closed after it. */
export function smtpTransport(settings: MailSettings): { send: MailTransport; close: () => void } {
  const transporter = nodemailer.createTransport(settings.smtpUrl);
  return {
    send: async (m) => {
      await transporter.sendMail({
        from: settings.from, to: m.to, subject: m.subject, text: m.text, html: m.html,
        headers: { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transporter.close(),
  };
}

export interface MailSender {
  /** one round now: send what waits (when configured), then purge if due; resolves when done */
  runNow: () => Promise<{ sent: number; failed: number }>;
  stop: () => Promise<void>;
}

export function startMailSender(store: Store, settings: MailSettings | null, o: { intervalMs?: number; log?: (msg: string) => void; now?: () => Date } = {}): MailSender {
  const log = o.log ?? (() => {});
  const ctx = context(store, MAIL_SENDER_ACTOR, o.now ?? (() => new Date()));
  let lastPurge = 0;
  let running: Promise<{ sent: number; failed: number }> | null = null;
  let stopped = false;
  const round = async () => {
    let sent = 0;
    let failed = 0;
    if (settings) {
      const smtp = smtpTransport(settings);
      try {
        // batches until nothing waits (a failed message waits for the next round)
        for (;;) {
          const r = await sendWaitingMessages(ctx, { publicUrl: settings.publicUrl, transport: smtp.send });
          sent += r.sent; failed += r.failed;
          if (r.sent + r.failed === 0 || r.failed > 0 || stopped) break;
        }
      } finally {
        smtp.close();
      }
      if (sent || failed) log(`messages : ${sent} envoyé${sent > 1 ? 's' : ''}, ${failed} en échec`);
    }
    if (Date.now() - lastPurge > 3_600_000) {
      lastPurge = Date.now();
      const p = await purgeSubscriptions(ctx);
      if (p.subscriptions || p.messages) log(`abonnements : adresses jamais confirmées effacées : ${p.subscriptions} ; messages anciens effacés : ${p.messages}`);
    }
    return { sent, failed };
  };
  const runNow = () => {
    running ??= round().catch((e: Error) => { log(`messages : tour d’envoi interrompu (${e.name})`); return { sent: 0, failed: 0 }; })
      .finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => { void runNow(); }, o.intervalMs ?? 15_000);
  timer.unref();
  void runNow();
  return {
    runNow,
    stop: async () => { stopped = true; clearInterval(timer); await running; },
  };
}
