/** Row types of « signaler un contenu » and the news subscriptions (migration 0026_engagement), extended into schema.ts's Database. */

/** One report of a published contribution by a visitor (no account). Goes with its contribution (cascade). */
export interface ContentReportRow {
  id: string;
  contribution_id: string;
  consultation: string;
  /** one of REPORT_REASONS (src/domain/engagement.ts) */
  reason: string;
  /** the visitor's own words, for the moderators only; never public */
  details: string | null;
  created_at: string;
}

/** An e-mail address subscribed to one consultation's news: pending until confirmed (double opt-in). */
export interface MailSubscriptionRow {
  id: string;
  consultation: string;
  /** the address as given (trimmed), needed to send; deleted with the row on unsubscribing or erasure */
  email: string;
  /** sha256 of the normalised address: one subscription per address and consultation, and erasure by address */
  email_hash: string;
  /** pending | active */
  status: string;
  created_at: string;
  confirmed_at: string | null;
}

/** A one-time token sent in a message: only its sha256 is stored. Goes with its subscription (cascade). */
export interface MailTokenRow {
  token_hash: string;
  subscription_id: string;
  /** confirm | unsubscribe */
  purpose: string;
  created_at: string;
  expires_at: string;
}

/**
 * A message to send to a subscriber. Its text is written when it is sent (with fresh one-time links), so no
 * raw token is ever stored. Goes with its subscription (cascade): an unsubscribed address leaves no message.
 */
export interface MailOutboxRow {
  id: string;
  subscription_id: string;
  consultation: string;
  /** confirmation | restitution | opened | closed */
  kind: string;
  /** the masked address shown in the back office (j•••@exemple.fr) */
  to_masked: string;
  /** pending | sending | sent | failed */
  status: string;
  attempts: number;
  /** the last sending error, addresses masked */
  last_error: string | null;
  created_at: string;
  claimed_at: string | null;
  sent_at: string | null;
}

export interface EngagementTables {
  content_reports: ContentReportRow;
  mail_subscriptions: MailSubscriptionRow;
  mail_tokens: MailTokenRow;
  mail_outbox: MailOutboxRow;
}
