/** Client of the Fabrique API (`/api`): JSON, CSRF header on every non-GET request, typed errors. */

/** One thing to fix that the server listed (e.g. a publication refused): where, and what, in French. */
export interface ApiProblem { section: string; message: string }

export class ApiError extends Error {
  /** `field`: the input the error is about (e.g. `force`: the import asks for confirmation) */
  constructor(readonly status: number, readonly code: string, message: string, readonly problems: ApiProblem[] = [], readonly field?: string) {
    super(message);
  }
}

/**
 * What the person reads when the server gave no message of its own (a proxy's page, a cut connection): what
 * happened and what to do, for each status (test/error-messages.test.ts).
 */
export function statusMessage(status: number): string {
  if (status === 0) {
    return typeof navigator !== 'undefined' && navigator.onLine === false
      ? 'Vous semblez hors connexion : vérifiez votre accès à Internet, puis réessayez.'
      : 'Le serveur ne répond pas : vérifiez votre connexion à Internet, puis réessayez dans quelques instants.';
  }
  switch (status) {
    case 400: return 'La demande n’a pas pu être lue : vérifiez ce que vous avez saisi, puis réessayez.';
    case 401: return 'Connexion requise : connectez-vous, puis réessayez.';
    case 403: return 'Action non autorisée pour votre rôle : demandez à un administrateur si vous en avez besoin.';
    case 404: return 'Ce que vous cherchez n’existe pas ou plus : vérifiez l’adresse, ou repartez de la page d’accueil.';
    case 405: case 415: return 'Cette demande n’est pas prise en charge : rechargez la page, puis réessayez.';
    case 409: return 'La demande est en conflit avec une modification récente : rechargez la page pour voir l’état actuel, puis réessayez.';
    case 413: return 'Le fichier ou le texte envoyé est trop volumineux : envoyez-en un plus petit.';
    case 422: return 'Le contenu envoyé est trop complexe pour être traité : découpez-le en plusieurs parties.';
    case 429: return 'Trop de demandes en peu de temps : patientez une minute, puis réessayez.';
    case 502: case 503: case 504: return 'Le service est momentanément indisponible : réessayez dans quelques minutes.';
    case 507: return 'Le serveur manque de place pour enregistrer : prévenez l’administrateur du site.';
    default:
      return status >= 500
        ? 'Erreur du serveur : l’opération n’a pas abouti. Réessayez dans quelques minutes ; si le problème persiste, prévenez l’administrateur du site.'
        : 'La demande n’a pas abouti : rechargez la page, puis réessayez.';
  }
}

/** `fetch` with a French error when the network fails (the browser's own is « Failed to fetch »). */
async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError(0, 'network', statusMessage(0));
  }
}

let csrfToken: string | undefined;

/**
 * Forgets the CSRF token: the server binds it to the session, so it changes at login and logout
 * (the next change request fetches the new one).
 */
export function forgetCsrf(): void {
  csrfToken = undefined;
}

async function csrf(refresh = false): Promise<string> {
  if (csrfToken && !refresh) return csrfToken;
  const res = await send('/api/csrf', { credentials: 'same-origin' });
  if (!res.ok) throw await toError(res);
  const body = (await res.json()) as { token: string };
  csrfToken = body.token;
  return csrfToken;
}

async function toError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = '';
  let problems: ApiProblem[] = [];
  let field: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; field?: string }; problems?: ApiProblem[] };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    if (Array.isArray(body.problems)) problems = body.problems;
    field = body.error?.field;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, code, message || statusMessage(res.status), problems, field);
}

export async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') {
    headers['x-csrf-token'] = await csrf();
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const res = await send(`/api${path}`, init);
  if (!res.ok) {
    const err = await toError(res);
    if (!retried && method !== 'GET' && res.status === 403 && /csrf/i.test(err.code)) {
      await csrf(true);
      return request<T>(method, path, body, true);
    }
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {});
export const del = <T>(path: string) => request<T>('DELETE', path);

/**
 * Uploads a file with progress (XMLHttpRequest: fetch has no upload progress). The status comes with the body:
 * a route may answer a large file with 202 and a job instead of its result.
 */
export async function upload<T>(path: string, file: File, onProgress: (fraction: number) => void, fields: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const token = await csrf();
  return new Promise<{ status: number; body: T }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('x-csrf-token', token);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve({ status: xhr.status, body: body as T });
      } else {
        const e = (body as { error?: { code?: string; message?: string; field?: string } })?.error;
        reject(new ApiError(xhr.status, e?.code ?? `http_${xhr.status}`, e?.message ?? statusMessage(xhr.status), [], e?.field));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', statusMessage(0)));
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  // a failed fetch or an unreadable answer: the browser's message is English and says nothing to do
  if (e instanceof TypeError || e instanceof SyntaxError) return statusMessage(0);
  if (e instanceof Error) return e.message;
  return String(e);
}

/* Traceability (issue 14): the review of the links between what people said and a plan's objectives. */
type Links = import('./types.ts').PlanLink;
const linksPath = (plan: string) => `/admin/plans/${encodeURIComponent(plan)}/links`;
/** GET path of one kind of sources with their candidates and decisions (for useApi). */
export const planLinksPath = (plan: string, kind: import('./types.ts').LinkSourceKind) => `${linksPath(plan)}?kind=${encodeURIComponent(kind)}`;
/** Computes and stores the suggestions (decided links are kept). */
export const suggestPlanLinks = (plan: string, sources?: import('./types.ts').LinkSourceKind[]) =>
  post<{ suggested: number }>(`${linksPath(plan)}/suggest`, sources ? { sources } : {});
export interface LinkDecisionBody {
  source: import('./types.ts').LinkSourceRef;
  target?: string | null;
  decision: import('./types.ts').LinkDecision;
  kind?: 'taken_up' | 'partly';
  note?: string | null;
}
export const decidePlanLink = (plan: string, body: LinkDecisionBody) => post<Links>(`${linksPath(plan)}/decisions`, body);
/** Undoes the last decision taken on a link; `link` null: nothing is left of it (it was only a decision). */
export const undoPlanLink = (plan: string, link: string) => post<{ link: Links | null }>(`${linksPath(plan)}/${encodeURIComponent(link)}/undo`);
