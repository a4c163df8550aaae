/**
 * The site's legal settings (mentions légales, accessibility declaration, personal data contact) and the
 * list of the web app's page routes, read by the server (real 404s) and by the web app (web/src/App.tsx).
 * Pure: the settings are parsed from an environment record handed in by the caller.
 */
import { UserError } from './errors.ts';

// ---- page routes of the web app ----

/**
 * Every page path pattern of the web app (`:name` matches one non-empty segment). web/src/App.tsx routes
 * exactly these (test/site-legal.test.ts compares both lists): the server answers 404 for any other path.
 */
export const WEB_PAGE_ROUTES = [
  '/',
  '/consultations',
  '/consultations/:slug',
  '/consultations/:slug/contribuer',
  '/consultations/:slug/contribuer/merci',
  '/consultations/:slug/contributions',
  '/consultations/:slug/restitution',
  '/consultations/:slug/chiffres',
  '/consultations/:slug/facile',
  '/donnees',
  '/schemas/:id',
  '/schemas/:id/couverture',
  '/schemas/:id/suivi',
  '/contributions/:id',
  '/idees/:id',
  '/connexion',
  '/connexion/nouveau-mot-de-passe',
  '/admin',
  '/admin/consultations/nouvelle',
  '/admin/consultations/:slug',
  '/admin/consultations/:slug/reunions/:id/compte-rendu',
  '/admin/consultations/:slug/import',
  '/admin/consultations/:slug/moderation',
  '/admin/consultations/:slug/analyse',
  '/admin/consultations/:slug/synthese',
  '/admin/schemas',
  '/admin/schemas/:id',
  '/admin/schemas/:id/liens',
  '/admin/consultations/:slug/rouvrir',
  '/admin/suivi',
  '/admin/schemas/:id/suivi',
  '/admin/actions/:id',
  '/admin/comptes',
  '/accessibilite',
  '/mentions-legales',
  '/donnees-personnelles',
  '/gestion-des-cookies',
  '/plan-du-site',
  '/recherche',
  '/agenda',
  '/consultations/:slug/carte',
  '/abonnement/confirmer',
  '/abonnement/desabonner',
  '/admin/messages',
] as const;

/** Whether a page path (no query string) is one the web app renders, by the same rule as web/src/router.tsx `match`. */
export function isWebPagePath(path: string): boolean {
  // the client router ignores trailing slashes and compares literal segments as they are in the address
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  return WEB_PAGE_ROUTES.some((pattern) => {
    const p = pattern.split('/').filter(Boolean);
    if (p.length !== s.length) return false;
    return p.every((seg, i) => {
      const val = s[i]!;
      if (!seg.startsWith(':')) return seg === val;
      // a parameter the client could not decode would throw there: not a page
      try { decodeURIComponent(val); return true; } catch { return false; }
    });
  });
}

// ---- legal settings ----

/** RGAA 4.1 status: « totalement conforme » at 100 %, « partiellement » from 50 %, « non conforme » below or without audit. */
export type RgaaStatus = 'non-conforme' | 'partiellement-conforme' | 'totalement-conforme';

export const RGAA_STATUS_LABELS: Record<RgaaStatus, string> = {
  'non-conforme': 'non conforme',
  'partiellement-conforme': 'partiellement conforme',
  'totalement-conforme': 'totalement conforme',
};

export interface RgaaAudit {
  /** YYYY-MM-DD */
  date: string;
  /** share of the applicable RGAA criteria met, in percent (0 to 100) */
  rate: number;
  /** who carried the audit out, when given */
  auditor: string | null;
}

export interface SiteSettings {
  /** éditeur: the organisation that publishes the site (e.g. the regional health agency) */
  publisher: string | null;
  publisherAddress: string | null;
  /** directeur ou directrice de la publication */
  director: string | null;
  /** hébergeur: name, address and telephone, as one text */
  host: string | null;
  /** contact of the site (accessibility feedback, questions): an e-mail address or an https address */
  contact: string | null;
  /** contact of the data protection officer (rights of the persons): an e-mail address or an https address */
  dpo: string | null;
  /** the last RGAA audit, or null: the site is then « non conforme » */
  audit: RgaaAudit | null;
  /** YYYY-MM-DD: when the accessibility declaration was established */
  declarationDate: string | null;
  /** days the audit log keeps the text of a rejected or deleted contribution (FABRIQUE_AUDIT_TEXT_RETENTION_DAYS) */
  auditTextRetentionDays: number;
  /** hours a back-office session lasts */
  sessionHours: number;
  /** minutes an account stays locked after too many failed logins (FABRIQUE_LOGIN_LOCK_MINUTES) */
  loginLockMinutes: number;
}

/** The environment variables of the settings, and the field each fills (documented in README and docs/site-legal.md). */
export const SITE_ENV = {
  publisher: 'FABRIQUE_SITE_PUBLISHER',
  publisherAddress: 'FABRIQUE_SITE_PUBLISHER_ADDRESS',
  director: 'FABRIQUE_SITE_DIRECTOR',
  host: 'FABRIQUE_SITE_HOST',
  contact: 'FABRIQUE_SITE_CONTACT',
  dpo: 'FABRIQUE_SITE_DPO',
  auditDate: 'FABRIQUE_SITE_RGAA_AUDIT_DATE',
  auditRate: 'FABRIQUE_SITE_RGAA_AUDIT_RATE',
  auditor: 'FABRIQUE_SITE_RGAA_AUDITOR',
  declarationDate: 'FABRIQUE_SITE_RGAA_DECLARATION_DATE',
} as const;

const MAX_TEXT = 300;

function invalid(name: string, message: string): never {
  throw new UserError('invalid', `${name} : ${message}`, name);
}

function text(env: Record<string, string | undefined>, name: string): string | null {
  const v = env[name]?.trim();
  if (!v) return null;
  // one line shown as is on a public page: no control characters, no markup
  if (/[\u0000-\u001f\u007f<>]/.test(v)) invalid(name, 'une seule ligne de texte, sans caractères de contrôle ni « < » « > ».');
  if (v.length > MAX_TEXT) invalid(name, `au plus ${MAX_TEXT} caractères (reçu : ${v.length}).`);
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a contact is an e-mail address (else it is an https address). */
export const isEmailContact = (contact: string): boolean => EMAIL.test(contact);

function contact(env: Record<string, string | undefined>, name: string): string | null {
  const v = text(env, name);
  if (v === null || EMAIL.test(v)) return v;
  let url: URL | undefined;
  try { url = new URL(v); } catch { /* reported below */ }
  if (!url || url.protocol !== 'https:') invalid(name, `une adresse électronique (contact@exemple.fr) ou une adresse https:// (reçu : « ${v} »).`);
  return v;
}

function day(env: Record<string, string | undefined>, name: string): string | null {
  const v = env[name]?.trim();
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(`${v}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) invalid(name, `une date AAAA-MM-JJ, par exemple 2026-03-31 (reçu : « ${v} »).`);
  return v;
}

/** The RGAA status an audit gives (none: « non conforme »). */
export function rgaaStatus(audit: RgaaAudit | null): RgaaStatus {
  if (!audit) return 'non-conforme';
  if (audit.rate >= 100) return 'totalement-conforme';
  return audit.rate >= 50 ? 'partiellement-conforme' : 'non-conforme';
}

/**
 * Reads and validates the settings; throws a UserError in French naming the variable at fault. The status is
 * never configured by itself: it follows from the audit's rate, so that no conformity is claimed without one.
 */
export function siteSettingsFromEnv(env: Record<string, string | undefined>, known: Pick<SiteSettings, 'auditTextRetentionDays' | 'sessionHours' | 'loginLockMinutes'>): SiteSettings {
  const auditDate = day(env, SITE_ENV.auditDate);
  const rawRate = env[SITE_ENV.auditRate]?.trim();
  let rate: number | null = null;
  if (rawRate) {
    const n = Number(rawRate.replace(',', '.').replace(/\s*%$/, ''));
    if (!Number.isFinite(n) || n < 0 || n > 100) invalid(SITE_ENV.auditRate, `un pourcentage entre 0 et 100, par exemple 72,5 (reçu : « ${rawRate} »).`);
    rate = n;
  }
  if ((auditDate === null) !== (rate === null)) {
    invalid(auditDate === null ? SITE_ENV.auditDate : SITE_ENV.auditRate,
      `un audit se déclare avec sa date (${SITE_ENV.auditDate}) et son taux de conformité (${SITE_ENV.auditRate}), ensemble.`);
  }
  const auditor = text(env, SITE_ENV.auditor);
  if (auditor !== null && auditDate === null) invalid(SITE_ENV.auditor, `sans audit déclaré (${SITE_ENV.auditDate}, ${SITE_ENV.auditRate}), il n’y a pas d’auditeur à nommer.`);
  const declarationDate = day(env, SITE_ENV.declarationDate);
  if (declarationDate !== null && auditDate !== null && declarationDate < auditDate) {
    invalid(SITE_ENV.declarationDate, `la déclaration (${declarationDate}) ne peut précéder l’audit sur lequel elle repose (${auditDate}).`);
  }
  return {
    publisher: text(env, SITE_ENV.publisher),
    publisherAddress: text(env, SITE_ENV.publisherAddress),
    director: text(env, SITE_ENV.director),
    host: text(env, SITE_ENV.host),
    contact: contact(env, SITE_ENV.contact),
    dpo: contact(env, SITE_ENV.dpo),
    audit: auditDate !== null && rate !== null ? { date: auditDate, rate, auditor } : null,
    declarationDate: declarationDate ?? auditDate,
    auditTextRetentionDays: known.auditTextRetentionDays,
    sessionHours: known.sessionHours,
    loginLockMinutes: known.loginLockMinutes,
  };
}

/** What `GET /api/site` answers: the settings and the status they give. */
export interface PublicSite extends SiteSettings {
  rgaaStatus: RgaaStatus;
  /** the licence of the software (package.json `license`) */
  licence: string;
}

export const SOFTWARE_LICENCE = 'EUPL-1.2';

export function publicSite(s: SiteSettings): PublicSite {
  return { ...s, rgaaStatus: rgaaStatus(s.audit), licence: SOFTWARE_LICENCE };
}
