/**
 * What the application and its routes share: the options of buildApp and the per-app context handed to
 * every route plugin. Apart from app.ts so that routes need not import the module that registers them.
 */
import type { MailSettings } from '../domain/engagement.ts';
import type { ParsePool, ParsePoolOptions } from '../ingest/parse-pool.ts';
import type { JobService } from '../jobs/queue.ts';
import type { Store } from '../store/store.ts';
import type { FormQueue } from './form-queue.ts';
import type { LoginThrottleOptions } from './login-throttle.ts';
import type { SecurityOptions } from './security.ts';

export interface AppOptions {
  store: Store;
  /** public form: submissions per minute and IP (FABRIQUE_FORM_RATE_LIMIT, default 60) */
  formRateLimit?: number;
  /** login attempts per minute from one address, all e-mails together (FABRIQUE_LOGIN_RATE_LIMIT, default 10) */
  loginRateLimit?: number;
  /** login attempts per minute on one account, all addresses together (FABRIQUE_LOGIN_ACCOUNT_RATE_LIMIT, default 5) */
  loginAccountRateLimit?: number;
  /** failed logins that lock an account (FABRIQUE_LOGIN_LOCK_FAILURES, default 10)… */
  loginLockFailures?: number;
  /** …within this many minutes, and how long the lock lasts (FABRIQUE_LOGIN_LOCK_MINUTES, default 15) */
  loginLockMinutes?: number;
  /** GET requests per minute and address on the public API routes; 0 = none (FABRIQUE_READ_RATE_LIMIT, default 600) */
  readRateLimit?: number;
  /** upload limit in bytes (FABRIQUE_UPLOAD_LIMIT_MB, default 50 Mo) */
  uploadLimitBytes?: number;
  /** uploads larger than this many bytes are imported as a job, answered 202 (FABRIQUE_IMPORT_JOB_MB, default 5 Mo) */
  importJobBytes?: number;
  /** parsing of uploads in worker threads: memory ceiling, time limit (FABRIQUE_PARSE_*) */
  parse?: Partial<ParsePoolOptions>;
  /** other allowed origins (FABRIQUE_ALLOWED_ORIGINS, comma-separated) */
  allowedOrigins?: string[];
  secureCookies?: boolean | 'auto';
  /**
   * number of reverse proxies in front of the server whose X-Forwarded-* headers are trusted
   * (FABRIQUE_TRUST_PROXY, default 0): the client address is the one that many hops from the socket
   */
  trustProxy?: number;
  /** built front end; default web/dist of the repository */
  webDist?: string;
  logger?: boolean;
  /** run queued jobs (analysis…) in this process; default: yes on SQLite, FABRIQUE_SERVE_JOBS on PostgreSQL */
  runJobs?: boolean;
  /** sending of the outbox by SMTP (FABRIQUE_SMTP_URL, FABRIQUE_MAIL_FROM, FABRIQUE_PUBLIC_URL); null or absent: nothing is ever sent */
  mail?: MailSettings | null;
}

export interface AppContext {
  store: Store;
  options: Required<Omit<AppOptions, 'store' | 'logger' | 'trustProxy' | 'parse' | 'runJobs' | 'mail'>>;
  /** the sending settings, or null: messages then stay in the outbox */
  mail: MailSettings | null;
  security: SecurityOptions;
  formQueue: FormQueue;
  /** parses uploaded files off the event loop */
  parsePool: ParsePool;
  login: LoginThrottleOptions;
  /** long work (analysis, synthesis, imports) queued as jobs, run here or by `fabrique worker` */
  jobs: JobService;
}
