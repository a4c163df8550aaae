/**
 * The Fastify application: zod-validated routes, OpenAPI document, security hooks, rate limits,
 * uploads, and the built front end (web/dist) with an SPA fallback.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ParsePool, parsePoolOptionsFromEnv } from '../ingest/parse-pool.ts';
import { MAX_IMPORT_BYTES } from '../ingest/types.ts';
import { DOCS_CSP, DOCS_PAGE } from './docs-page.ts';
import { errorBody, handleClientError, handleError, handleFrameworkError, RouteMethods } from './errors.ts';
import { FormQueue } from './form-queue.ts';
import type { AppContext, AppOptions } from './context.ts';
import { installRateLimits } from './rate-limit.ts';
import { installSecurity, type SecurityOptions } from './security.ts';
import { stopThemeTrainings } from './theme-training.ts';
import { planRoutes } from './routes/plans.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { linkRoutes } from './routes/links.ts';
import { followupRoutes } from './routes/followup.ts';
import { followupReportRoutes } from './routes/followup-report.ts';
import { publicRoutes } from './routes/public.ts';
import { authRoutes } from './routes/auth.ts';
import { adminRoutes } from './routes/admin.ts';
import { accountRoutes } from './routes/accounts.ts';
import { SET_PASSWORD_PATH } from '../usecases/accounts.ts';
import { importRoutes } from './routes/imports.ts';
import { deletionRoutes } from './routes/deletion.ts';
import { groupRoutes } from './routes/groups.ts';
import { synthesisRoutes } from './routes/synthesis.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { followupPublicRoutes } from './routes/followup-public.ts';
import { agendaMapRoutes, calendarRoutes } from './routes/agenda-map.ts';
import { siteRoutes } from './routes/site.ts';
import { searchRoutes } from './routes/search.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { isWebPagePath } from '../domain/site.ts';
import { pageItemOfPath } from '../domain/page-items.ts';
import { publicItemExists } from '../usecases/search.ts';
import { requestContext } from './use-case-context.ts';
import { mailSettingsFromEnv } from '../domain/engagement.ts';
import { engagementRoutes } from './routes/engagement.ts';
import { openJobs, serverRunsJobs } from '../jobs/queue.ts';
import { clearSuggestCache } from './suggest.ts';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Uploads above this size are imported as a job (FABRIQUE_IMPORT_JOB_MB): the request ends once the file is received. */
export const IMPORT_JOB_BYTES = 5 * 1024 * 1024;

export type { AppContext, AppOptions } from './context.ts';

/** A count from the environment (0 allowed); a clear error when it is not a whole number. */
function envCount(name: string): number | undefined {
  const v = process.env[name]?.trim();
  if (!v) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`${name} doit être un nombre entier positif ou nul (reçu : « ${v} »).`);
  return Number(v);
}

function envNumber(name: string): number | undefined {
  const v = process.env[name]?.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Options from the environment, for `fabrique serve`. */
export function optionsFromEnv(): Omit<AppOptions, 'store'> {
  const mb = envNumber('FABRIQUE_UPLOAD_LIMIT_MB');
  const jobMb = envNumber('FABRIQUE_IMPORT_JOB_MB');
  const form = envNumber('FABRIQUE_FORM_RATE_LIMIT');
  const login = envNumber('FABRIQUE_LOGIN_RATE_LIMIT');
  const parse = parsePoolOptionsFromEnv();
  const loginAccount = envNumber('FABRIQUE_LOGIN_ACCOUNT_RATE_LIMIT');
  const lockFailures = envNumber('FABRIQUE_LOGIN_LOCK_FAILURES');
  const lockMinutes = envNumber('FABRIQUE_LOGIN_LOCK_MINUTES');
  const read = envCount('FABRIQUE_READ_RATE_LIMIT');
  const hops = envCount('FABRIQUE_TRUST_PROXY');
  const origins = process.env.FABRIQUE_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    ...(form ? { formRateLimit: form } : {}),
    ...(login ? { loginRateLimit: login } : {}),
    ...(loginAccount ? { loginAccountRateLimit: loginAccount } : {}),
    ...(lockFailures ? { loginLockFailures: lockFailures } : {}),
    ...(lockMinutes ? { loginLockMinutes: lockMinutes } : {}),
    ...(read !== undefined ? { readRateLimit: read } : {}),
    ...(mb ? { uploadLimitBytes: Math.round(mb * 1024 * 1024) } : {}),
    ...(jobMb ? { importJobBytes: Math.round(jobMb * 1024 * 1024) } : {}),
    ...(origins?.length ? { allowedOrigins: origins } : {}),
    ...(Object.keys(parse).length ? { parse } : {}),
    ...(hops ? { trustProxy: hops } : {}),
    // validated here: a wrong value stops `fabrique serve` with a message naming the variable
    mail: mailSettingsFromEnv(process.env),
  };
}

/**
 * Content-Security-Policy of the web app: its own scripts only (no inline script), styles inline too
 * (DSFR components and charts set style attributes), same-origin API calls, the restitution framed
 * from the same origin, no plug-ins, not framed by other sites.
 */
export const WEB_APP_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "frame-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');
/** Other responses (JSON, files) never run anything. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * An unknown address that reads as an API one once decoded, case-folded and with slashes collapsed
 * (`/API//admin`, `/%61pi/…`) answers a JSON 404 rather than the web app. Only the shape of the 404
 * depends on this: access is decided by the matched route (src/server/security.ts).
 */
function looksLikeApi(url: string): boolean {
  let path = url.split('?')[0]!;
  for (let i = 0; i < 3 && path.includes('%'); i++) {
    try { path = decodeURIComponent(path); } catch { break; }
  }
  path = path.toLowerCase().replace(/[\\/]+/g, '/');
  return path === '/api' || path.startsWith('/api/') || path.startsWith('/api.');
}

/** The trustProxy of Fastify for `hops` trusted reverse proxies (false when none). */
export function trustedHops(hops: number | undefined): false | ((address: string, hop: number) => boolean) {
  const n = hops && hops > 0 ? Math.floor(hops) : 0;
  return n === 0 ? false : (_address, hop) => hop < n;
}

const NOT_INDEXED_PAGES: readonly string[] = [SET_PASSWORD_PATH];

/** What the request log says of a request: Fastify's default fields, with any `token` parameter of the address hidden. */
export function loggedRequest(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: redactTokens(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function redactTokens(url: string): string {
  // the password links use ?token=, the subscribers' links ?jeton=; a name written with %-escapes is read as such
  return url.replace(/([?&;])([^=&#]*)=([^&#]*)/g, (all, sep: string, name: string) => {
    let decoded = name;
    try { decoded = decodeURIComponent(name); } catch { /* left as written */ }
    return /^(token|jeton)$/i.test(decoded.trim()) ? `${sep}${name}=[masqué]` : all;
  });
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // the one-time password links carry their token in the page's query string: never in a log line
    logger: o.logger ? { serializers: { req: loggedRequest } } : false,
    // a number of hops, never `true`: trusting every hop would let a client choose its address by
    // writing X-Forwarded-For itself. Hop 0 is the socket's peer (as Fastify's own numeric form).
    trustProxy: trustedHops(o.trustProxy),
    bodyLimit: 1024 * 1024,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<ZodTypeProvider>();
  // JSON routes only: a text/plain body is a 415, not a string handed to the JSON validators
  app.removeContentTypeParser('text/plain');
  const routeMethods = new RouteMethods();
  app.addHook('onRoute', (route) => { if (route.url.startsWith('/api')) routeMethods.add(route.url, route.method); });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  const security: SecurityOptions = { secureCookies: o.secureCookies ?? 'auto', allowedOrigins: o.allowedOrigins ?? [] };
  const options: AppContext['options'] = {
    // a workshop room shares one address: the honeypot stops robots, this only stops floods
    formRateLimit: o.formRateLimit ?? 60,
    loginRateLimit: o.loginRateLimit ?? 10,
    loginAccountRateLimit: o.loginAccountRateLimit ?? 5,
    loginLockFailures: o.loginLockFailures ?? 10,
    loginLockMinutes: o.loginLockMinutes ?? 15,
    readRateLimit: o.readRateLimit ?? 600,
    uploadLimitBytes: o.uploadLimitBytes ?? MAX_IMPORT_BYTES,
    importJobBytes: o.importJobBytes ?? IMPORT_JOB_BYTES,
    allowedOrigins: o.allowedOrigins ?? [],
    secureCookies: o.secureCookies ?? 'auto',
    webDist: o.webDist ?? DEFAULT_WEB_DIST,
  };
  const lockMs = options.loginLockMinutes * 60_000;
  const ctx: AppContext = {
    store: o.store,
    options,
    mail: o.mail ?? null,
    security,
    formQueue: new FormQueue(o.store),
    parsePool: new ParsePool(o.parse),
    login: { perAddress: options.loginRateLimit, perAccount: options.loginAccountRateLimit, lockout: { failures: options.loginLockFailures, windowMs: lockMs, lockMs } },
    jobs: await openJobs(o.store, {
      run: o.runJobs ?? serverRunsJobs(o.store), role: 'serve',
      // the suggestions served by this process learn from what an analysis changed
      hooks: { onDone: (job) => { if (job.consultation) clearSuggestCache(job.consultation); } },
    }),
  };
  app.addHook('onClose', async () => { await ctx.parsePool.close(); });

  await app.register(fastifyCookie);
  installRateLimits(app, o.store, { readRateLimit: ctx.options.readRateLimit });
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.options.uploadLimitBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'API Fabrique', description: 'Démocratie sanitaire territoriale : consultations, contributions, analyse, restitutions.', version: '1.0.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fabrique_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  installSecurity(app, o.store, security);
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    // a route that serves other HTML (restitution, API docs) sets its own, stricter policy. A 304 carries none: it
    // has no content type to choose by, and a browser replaces the cached page's headers with the 304's (the API's
    // policy on a revalidated page blocked its scripts: a blank page on reload)
    if (!reply.hasHeader('content-security-policy') && reply.statusCode !== 304) {
      reply.header('content-security-policy', String(reply.getHeader('content-type') ?? '').startsWith('text/html') ? WEB_APP_CSP : API_CSP);
    }
    // browsers ignore HSTS over http; sent over https only (behind a proxy: FABRIQUE_TRUST_PROXY)
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    // JSON never carries raw markup: <, > and & (only possible inside strings) are sent as \u escapes
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('application/json') && /[<>&]/.test(payload)) {
      return payload.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
    }
    return payload;
  });

  await app.register(async (api) => {
    await publicRoutes(api, ctx);
    await authRoutes(api, ctx);
    await adminRoutes(api, ctx);
    await accountRoutes(api, ctx);
    await importRoutes(api, ctx);
    await deletionRoutes(api, ctx);
    await groupRoutes(api, ctx);
    await synthesisRoutes(api, ctx);
    await healthRoutes(api, ctx);
    await jobRoutes(api, ctx);
    await planRoutes(api, ctx);
    await coverageRoutes(api, ctx);
    await linkRoutes(api, ctx);
    await followupRoutes(api, ctx);
    await followupPublicRoutes(api, ctx);
    await followupReportRoutes(api, ctx);
    await siteRoutes(api, ctx);
    await searchRoutes(api, ctx);
    await engagementRoutes(api, ctx);
    await openDataRoutes(api, ctx);
    await agendaMapRoutes(api, ctx);
    // the calendar files: /api/agenda.ics and /api/consultations/:slug/agenda.ics
    await calendarRoutes(api, ctx);
    api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
    api.get('/docs', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).send(DOCS_PAGE));
  }, { prefix: '/api' });

  const dist = resolve(ctx.options.webDist);
  const hasWeb = existsSync(join(dist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: dist, prefix: '/', wildcard: false, index: ['index.html'],
      // the build writes .br and .gz beside each text file (web/vite.config.ts); sent when the browser accepts them
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // files under assets/ carry a content hash in their name: a new build gives new names, so they never change
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        // a shared cache must not hand the brotli file to a browser that asked for gzip
        res.setHeader('vary', 'accept-encoding');
      },
    });
  }
  app.setNotFoundHandler(async (req, reply) => {
    if (looksLikeApi(req.url)) {
      const allowed = routeMethods.allowed(req.url.split('?')[0]!);
      // 405 only when the path exists for other methods (a trailing "/" variant of a route stays a 404)
      if (allowed.length && !allowed.includes(req.method)) {
        return reply.code(405).header('allow', allowed.join(', '))
          .send(errorBody('method_not_allowed', `Méthode ${req.method} non prise en charge pour cette adresse (possible : ${allowed.join(', ')}).`));
      }
      return reply.code(404).send(errorBody('not_found', `Adresse inconnue : ${req.method} ${req.url.split('?')[0]}`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(404).send(errorBody('not_found', 'Adresse inconnue.'));
    // the page of a one-time password link is nobody's to find
    if (NOT_INDEXED_PAGES.includes(req.url.split('?')[0]!.replace(/\/+$/, ''))) reply.header('x-robots-tag', 'noindex, nofollow');
    if (hasWeb) {
      // a missing asset is a 404; any other path is a route of the single-page application
      if (/\.[a-z0-9]{1,8}$/i.test(req.url.split('?')[0]!)) return reply.code(404).type('text/plain; charset=utf-8').send('Fichier introuvable.');
      // a path no page of the web app matches gets the app (its « Page introuvable ») with a real 404, and so does
      // the page of a consultation, plan, contribution or idea that does not exist or is not public
      const path = req.url.split('?')[0]!;
      let found = isWebPagePath(path);
      const item = found ? pageItemOfPath(path) : null;
      let status = 200;
      if (item) {
        // a database that does not answer: the app, which says so on its own reads, with a 503
        try { found = await publicItemExists(requestContext(ctx, req), item); } catch { status = 503; }
      }
      return reply.code(found ? status : 404).type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fabrique</title></head>
<body><h1>Fabrique</h1><p>L’application web n’est pas construite : lancez <code>npm run build:web</code> puis relancez le serveur.</p>
<p>L’API est disponible : <a href="/api/docs">/api/docs</a>.</p></body></html>`);
  });

  app.addHook('onClose', async () => { await ctx.formQueue.flush(); });
  app.addHook('onClose', async () => { await ctx.jobs.close(); });
  app.addHook('onClose', async () => { await stopThemeTrainings(o.store); });
  return app;
}
