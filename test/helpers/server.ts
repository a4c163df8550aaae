/** Test helpers for the HTTP server: an app on an in-memory store, users of each role, a cookie-keeping client. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/password.ts';
import { assignConsultation, createUser, type Role } from '../../src/store/accounts.ts';
import { CNR_SANTE_THEMES } from '../../src/domain/theme.ts';
import { Store } from '../../src/store/index.ts';

export const PASSWORD = 'mot-de-passe-de-test-42';
export const USERS: Record<Role, string> = { admin: 'admin@ars.test', analyst: 'analyste@ars.test', facilitator: 'animation@ars.test', owner: 'porteur@ars.test' };

export interface TestServer { app: FastifyInstance; store: Store; close: () => Promise<void> }

let hashed: Promise<string> | undefined;

export async function testServer(options: Partial<Omit<AppOptions, 'store'>> = {}, store?: Store): Promise<TestServer> {
  const s = store ?? await Store.open({ sqlitePath: ':memory:' });
  hashed ??= hashPassword(PASSWORD);
  const hash = await hashed;
  for (const [role, email] of Object.entries(USERS)) await createUser(s, { email, role: role as Role, passwordHash: hash });
  await s.upsertTerritory({ code: '76', name: 'Occitanie', level: 'region' });
  await s.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement', parent: '76' });
  // a consultation past its end date refuses contributions: this one stays open for as long as the tests run
  // (closing, refusing and reopening are tested with consultations of their own, test/consultation-dates.test.ts)
  await s.upsertConsultation({
    slug: 'essai', title: 'Consultation d’essai', territory: '12', status: 'open', periodStart: '2026-01-01', periodEnd: '2099-12-31',
    themes: CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] })),
  });
  // facilitators only reach the consultations they are assigned to
  await assignConsultation(s, USERS.facilitator, 'essai', 'test');
  const app = await buildApp({ store: s, ...options });
  await app.ready();
  return { app, store: s, close: async () => { await app.close(); await s.close(); } };
}

/** A browser-like client: keeps cookies, sends the CSRF token and the server's own Origin. */
export class Client {
  cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly app: FastifyInstance, readonly ip = '127.0.0.1') {}

  static async create(app: FastifyInstance, ip?: string): Promise<Client> {
    const c = new Client(app, ip);
    const res = await c.get('/api/csrf');
    c.csrf = (res.json() as { token: string }).token;
    return c;
  }

  async login(role: Role): Promise<this> {
    const res = await this.post('/api/auth/login', { email: USERS[role], password: PASSWORD });
    if (res.statusCode !== 200) throw new Error(`connexion ${role} : ${res.statusCode} ${res.body}`);
    await this.refreshCsrf();
    return this;
  }

  /** The CSRF token is bound to the session: fetch it again after login or logout, as the web app does. */
  async refreshCsrf(): Promise<string> {
    this.csrf = ((await this.get('/api/csrf')).json() as { token: string }).token;
    return this.csrf;
  }

  async request(o: Omit<InjectOptions, 'method'> & { method: string; url: string }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(o.headers as Record<string, string> | undefined) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (o.method !== 'GET' && this.csrf && headers['x-csrf-token'] === undefined) headers['x-csrf-token'] = this.csrf;
    if (o.method !== 'GET' && headers.origin === undefined) headers.origin = 'http://localhost:80';
    const res = await this.app.inject({ ...o, method: o.method as 'GET', headers, remoteAddress: this.ip });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string, headers?: Record<string, string>) { return this.request({ method: 'GET', url, ...(headers ? { headers } : {}) }); }
  post(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request({ method: 'POST', url, ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}), ...(headers ? { headers } : {}) });
  }
  put(url: string, payload?: unknown) { return this.request({ method: 'PUT', url, payload: payload as InjectOptions['payload'] }); }
  patch(url: string, payload?: unknown) { return this.request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }); }
}

/** Polls a job (GET /api/admin/jobs/:id) until it is done or failed; returns its last view. */
export async function waitForJob(c: Client, id: string, timeoutMs = 60_000): Promise<{ state: string; result?: any; error: { code: string; message: string } | null; progress: { done: number; total: number }; step: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.get(`/api/admin/jobs/${id}`);
    if (res.statusCode !== 200) throw new Error(`tâche ${id} : ${res.statusCode} ${res.body}`);
    const job = res.json();
    if (job.state === 'done' || job.state === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`tâche ${id} toujours ${job.state} après ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
