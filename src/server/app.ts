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
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { MAX_IMPORT_BYTES } from '../ingest/types.ts';
import type { Store } from '../store/store.ts';
import { DOCS_PAGE } from './docs-page.ts';
import { errorBody, handleError } from './errors.ts';
import { FormQueue } from './form-queue.ts';
import { installSecurity, type SecurityOptions } from './security.ts';
import { stopThemeTrainings } from './theme-training.ts';
import { publicRoutes } from './routes/public.ts';
import { authRoutes } from './routes/auth.ts';
import { adminRoutes } from './routes/admin.ts';
import { importRoutes } from './routes/imports.ts';
import { groupRoutes } from './routes/groups.ts';
import { synthesisRoutes } from './routes/synthesis.ts';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppOptions {
  store: Store;
  /** public form: submissions per minute and IP (FABRIQUE_FORM_RATE_LIMIT, default 10) */
  formRateLimit?: number;
  /** login attempts per minute for one IP and e-mail (FABRIQUE_LOGIN_RATE_LIMIT, default 5) */
  loginRateLimit?: number;
  /** upload limit in bytes (FABRIQUE_UPLOAD_LIMIT_MB, default 50 Mo) */
  uploadLimitBytes?: number;
  /** other allowed origins (FABRIQUE_ALLOWED_ORIGINS, comma-separated) */
  allowedOrigins?: string[];
  secureCookies?: boolean | 'auto';
  /** trust X-Forwarded-* headers (behind a reverse proxy; FABRIQUE_TRUST_PROXY=1) */
  trustProxy?: boolean;
  /** built front end; default web/dist of the repository */
  webDist?: string;
  logger?: boolean;
}

export interface AppContext {
  store: Store;
  options: Required<Omit<AppOptions, 'store' | 'logger' | 'trustProxy'>>;
  security: SecurityOptions;
  formQueue: FormQueue;
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
  const form = envNumber('FABRIQUE_FORM_RATE_LIMIT');
  const login = envNumber('FABRIQUE_LOGIN_RATE_LIMIT');
  const origins = process.env.FABRIQUE_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    ...(form ? { formRateLimit: form } : {}),
    ...(login ? { loginRateLimit: login } : {}),
    ...(mb ? { uploadLimitBytes: Math.round(mb * 1024 * 1024) } : {}),
    ...(origins?.length ? { allowedOrigins: origins } : {}),
    ...(process.env.FABRIQUE_TRUST_PROXY === '1' ? { trustProxy: true } : {}),
  };
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    trustProxy: o.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  const security: SecurityOptions = { secureCookies: o.secureCookies ?? 'auto', allowedOrigins: o.allowedOrigins ?? [] };
  const ctx: AppContext = {
    store: o.store,
    options: {
      formRateLimit: o.formRateLimit ?? 10,
      loginRateLimit: o.loginRateLimit ?? 5,
      uploadLimitBytes: o.uploadLimitBytes ?? MAX_IMPORT_BYTES,
      allowedOrigins: o.allowedOrigins ?? [],
      secureCookies: o.secureCookies ?? 'auto',
      webDist: o.webDist ?? DEFAULT_WEB_DIST,
    },
    security,
    formQueue: new FormQueue(o.store),
  };

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Trop de tentatives : réessayez dans ${Math.ceil(context.ttl / 1000)} seconde(s).`,
    }),
  });
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
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
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
    await importRoutes(api, ctx);
    await groupRoutes(api, ctx);
    await synthesisRoutes(api, ctx);
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    api.get('/docs', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
  }, { prefix: '/api' });

  const dist = resolve(ctx.options.webDist);
  const hasWeb = existsSync(join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api') {
      return reply.code(404).send(errorBody('not_found', `Adresse inconnue : ${req.method} ${req.url.split('?')[0]}`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(404).send(errorBody('not_found', 'Adresse inconnue.'));
    if (hasWeb) {
      // a missing asset is a 404; any other path is a route of the single-page application
      if (/\.[a-z0-9]{1,8}$/i.test(req.url.split('?')[0]!)) return reply.code(404).type('text/plain; charset=utf-8').send('Fichier introuvable.');
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fabrique</title></head>
<body><h1>Fabrique</h1><p>L’application web n’est pas construite : lancez <code>npm run build:web</code> puis relancez le serveur.</p>
<p>L’API est disponible : <a href="/api/docs">/api/docs</a>.</p></body></html>`);
  });

  app.addHook('onClose', async () => { await ctx.formQueue.flush(); });
  app.addHook('onClose', async () => { await stopThemeTrainings(o.store); });
  return app;
}
