/**
 * « Signaler un contenu » and the news subscriptions of a consultation (issue 16, point 5): the fixed list of report
 * reasons, e-mail addresses (normalised, masked for the back office and the logs), the sending settings
 * (FABRIQUE_SMTP_URL, FABRIQUE_MAIL_FROM, FABRIQUE_PUBLIC_URL) and the French messages. Pure: no I/O.
 */
import { UserError } from './errors.ts';

// ---- reports ----

export const REPORT_REASONS = ['personal-data', 'abusive', 'off-topic', 'spam', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  'personal-data': 'Elle donne des informations personnelles ou de santé sur quelqu’un',
  abusive: 'Elle est injurieuse, haineuse ou discriminatoire',
  'off-topic': 'Elle est sans rapport avec la consultation',
  spam: 'C’est de la publicité ou un envoi répété',
  other: 'Autre raison',
};

/** Short labels for the moderators' list. */
export const REPORT_REASON_SHORT: Record<ReportReason, string> = {
  'personal-data': 'Données personnelles', abusive: 'Propos injurieux', 'off-topic': 'Hors sujet', spam: 'Spam', other: 'Autre',
};

export const REPORT_DETAILS_MAX = 1000;

// ---- addresses ----

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]{2,}$/;
export const EMAIL_MAX = 254;

/** The address as stored (trimmed), or a UserError in French. */
export function checkEmail(raw: string): string {
  const v = raw.trim();
  if (!v) throw new UserError('invalid', 'Indiquez votre adresse électronique.', 'email');
  if (v.length > EMAIL_MAX || !EMAIL.test(v)) throw new UserError('invalid', 'Cette adresse électronique n’a pas la forme attendue (par exemple prenom.nom@exemple.fr).', 'email');
  return v;
}

/** The form compared (and hashed): the same address whatever its case. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** The address as the back office shows it: first letter and domain only (c•••@exemple.fr). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••@${email.slice(at + 1).toLowerCase()}`;
}

/** Any address inside a text (an SMTP error names the recipient) replaced by its masked form. */
export const maskEmailsIn = (text: string): string => text.replace(/[^\s<>()",;:@]+@[^\s<>()",;:@]+\.[A-Za-z]{2,}/g, (m) => maskEmail(m));

// ---- subscriptions ----

export const SUBSCRIPTION_STATUSES = ['pending', 'active'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** How long a confirmation link works. */
export const CONFIRM_TOKEN_HOURS = 72;
/** How long an unsubscribe link works (each message brings a fresh one). */
export const UNSUBSCRIBE_TOKEN_DAYS = 365;
/** An address never confirmed is deleted this many days after it was given. */
export const PENDING_SUBSCRIPTION_DAYS = 7;
/** Messages sent or given up are kept this many days in the outbox (the back office's record), then deleted. */
export const OUTBOX_RETENTION_DAYS = 30;
/** A message that failed this many times is given up. */
export const MAX_SEND_ATTEMPTS = 5;

export const MESSAGE_KINDS = ['confirmation', 'restitution', 'opened', 'closed'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  confirmation: 'Confirmation de l’abonnement',
  restitution: 'Restitution publiée',
  opened: 'Consultation ouverte',
  closed: 'Consultation close',
};

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = {
  pending: 'En attente', sending: 'En cours d’envoi', sent: 'Envoyé', failed: 'Abandonné',
};

// ---- settings ----

export interface MailSettings {
  /** smtp:// or smtps:// address of the relay, with its credentials if any */
  smtpUrl: string;
  /** the sender: an address, or « Nom <adresse> » */
  from: string;
  /** the site's public address, base of the links in the messages (no trailing slash) */
  publicUrl: string;
}

export const MAIL_ENV = { smtpUrl: 'FABRIQUE_SMTP_URL', from: 'FABRIQUE_MAIL_FROM', publicUrl: 'FABRIQUE_PUBLIC_URL' } as const;

function invalid(name: string, message: string): never {
  throw new UserError('invalid', `${name} : ${message}`, name);
}

/**
 * The sending settings, or null when FABRIQUE_SMTP_URL is not set: then no message is ever sent (they stay in the
 * outbox). Throws a UserError naming the variable at fault, so that a wrong value stops the server at start-up.
 */
export function mailSettingsFromEnv(env: Record<string, string | undefined>): MailSettings | null {
  const smtp = env[MAIL_ENV.smtpUrl]?.trim();
  const from = env[MAIL_ENV.from]?.trim();
  const pub = env[MAIL_ENV.publicUrl]?.trim();
  if (!smtp) {
    if (from) invalid(MAIL_ENV.from, `sans serveur d’envoi (${MAIL_ENV.smtpUrl}), aucun message ne part : indiquez les deux, ou aucun.`);
    return null;
  }
  let url: URL | undefined;
  try { url = new URL(smtp); } catch { /* below */ }
  // the value may hold a password: never echo it
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    invalid(MAIL_ENV.smtpUrl, 'une adresse smtp://hôte:port ou smtps://hôte:port (identifiants éventuels : smtp://utilisateur:mot-de-passe@hôte:587).');
  }
  if (!from) invalid(MAIL_ENV.from, `l’adresse d’expédition des messages est nécessaire avec ${MAIL_ENV.smtpUrl} (par exemple « ARS Occitanie <ne-pas-repondre@exemple.fr> »).`);
  if (/[\u0000-\u001f\u007f]/.test(from)) invalid(MAIL_ENV.from, 'une seule ligne, sans caractères de contrôle.');
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!EMAIL.test(address.trim())) invalid(MAIL_ENV.from, `une adresse électronique ou « Nom <adresse> » (reçu : « ${from} »).`);
  if (!pub) invalid(MAIL_ENV.publicUrl, `l’adresse publique du site est nécessaire avec ${MAIL_ENV.smtpUrl} : les messages y renvoient (par exemple https://concertation.exemple.fr).`);
  let site: URL | undefined;
  try { site = new URL(pub); } catch { /* below */ }
  if (!site || (site.protocol !== 'https:' && site.protocol !== 'http:') || site.search || site.hash) {
    invalid(MAIL_ENV.publicUrl, `une adresse https:// sans paramètres (reçu : « ${pub} »).`);
  }
  return { smtpUrl: smtp, from, publicUrl: pub.replace(/\/+$/, '') };
}

// ---- messages ----

export interface MessageInput {
  kind: MessageKind;
  consultation: { slug: string; title: string };
  publicUrl: string;
  /** the one-time links of this message */
  confirmToken?: string;
  unsubscribeToken: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The French message, plain text and simple HTML, each with the unsubscribe link. */
export function renderMessage(m: MessageInput): RenderedMessage {
  const page = `${m.publicUrl}/consultations/${encodeURIComponent(m.consultation.slug)}`;
  const unsubscribeUrl = `${m.publicUrl}/abonnement/desabonner?jeton=${encodeURIComponent(m.unsubscribeToken)}`;
  const title = m.consultation.title;
  let subject: string;
  let paragraphs: string[];
  let link: { label: string; url: string };
  switch (m.kind) {
    case 'confirmation': {
      if (!m.confirmToken) throw new Error('confirmation sans jeton');
      subject = `Confirmez votre abonnement : ${title}`;
      paragraphs = [
        `Vous avez demandé à recevoir les nouvelles de la consultation « ${title} » : l’ouverture ou la clôture des contributions et la publication de sa restitution.`,
        `Pour confirmer, ouvrez le lien ci-dessous dans les ${CONFIRM_TOKEN_HOURS} heures. Sans confirmation, votre adresse est effacée au bout de ${PENDING_SUBSCRIPTION_DAYS} jours et vous ne recevrez rien d’autre.`,
        'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
      ];
      link = { label: 'Confirmer mon abonnement', url: `${m.publicUrl}/abonnement/confirmer?jeton=${encodeURIComponent(m.confirmToken)}` };
      break;
    }
    case 'restitution':
      subject = `Restitution publiée : ${title}`;
      paragraphs = [`La restitution de la consultation « ${title} » est publiée : ce qui a été dit, regroupé par thème, avec les chiffres et des citations.`];
      link = { label: 'Lire la restitution', url: `${page}/restitution` };
      break;
    case 'opened':
      subject = `Consultation ouverte : ${title}`;
      paragraphs = [`La consultation « ${title} » est ouverte aux contributions : vous pouvez donner votre avis en ligne.`];
      link = { label: 'Contribuer', url: `${page}/contribuer` };
      break;
    case 'closed':
      subject = `Consultation close : ${title}`;
      paragraphs = [`La consultation « ${title} » ne reçoit plus de contributions. Sa restitution sera publiée sur le site ; vous en serez prévenu.`];
      link = { label: 'Voir la consultation', url: page };
      break;
  }
  const footer = 'Vous recevez ce message parce que cette adresse a été inscrite aux nouvelles de la consultation sur le site.';
  const text = [...paragraphs, `${link.label} : ${link.url}`, '—', footer, `Se désabonner (l’adresse est alors effacée) : ${unsubscribeUrl}`].join('\n\n') + '\n';
  const html = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>' + esc(subject) + '</title></head>'
    + '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #161616; max-width: 40em">'
    + paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')
    + `<p><a href="${esc(link.url)}" style="color: #000091">${esc(link.label)}</a></p>`
    + `<hr><p style="font-size: 14px">${esc(footer)}<br><a href="${esc(unsubscribeUrl)}" style="color: #000091">Se désabonner</a> (l’adresse est alors effacée).</p>`
    + '</body></html>';
  return { subject, text, html, unsubscribeUrl };
}
