/**
 * Contributions from people: the public form, a workshop report typed in, moderation decisions (one or in bulk)
 * and human theme decisions. Every text is pseudonymised before it is stored; every change is audited in its
 * transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Contribution, ModerationStatus } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import { DEPARTEMENTS } from '../domain/geography.ts';
import type { College } from '../domain/meeting.ts';
import { departementOfPostcode, isDepartementCode } from '../domain/territory.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import {
  addContributionsWithOriginals, moderateContributions as writeModerations, privateTexts, replaceContributionThemes,
  type MaskedSpanJson, type ModerationChange, type NewPrivateContribution,
} from '../store/moderation.ts';
import { acceptsContributions, closedMessage, type Consultation } from '../domain/consultation.ts';
import type { UseCaseContext } from './context.ts';
import { communeIndex } from './geography-data.ts';
import { requireConsultation } from './consultations.ts';

export const FORM_SOURCE = { documentId: 'formulaire', file: 'formulaire en ligne' } as const;

// ---- public form ----

/** A consultation visible to the public (drafts are not), or not_found. */
export async function visibleConsultation(ctx: UseCaseContext, slug: string): Promise<Consultation> {
  const c = await ctx.store.getConsultation(slug);
  if (!c || c.status === 'draft') throw new UserError('not_found', `Consultation inconnue : « ${slug} »`);
  return c;
}

export interface SubmitContributionInput {
  consultation: string;
  text: string;
  theme?: string;
  college?: College;
  /**
   * 5 digits: its département is kept on the contribution, and the postcode itself apart (table
   * contribution_areas) when it is a known French postcode, for the map's counts per commune (k ≥ 5)
   */
  postcode?: string;
}

/** Writes a prepared submission: directly by default; the server batches them (src/server/form-queue.ts). */
export type SubmissionWriter = (consultation: string, item: NewPrivateContribution) => Promise<void>;

const AUDITED_SUBMISSION = { action: 'contribution.submit' };

/**
 * A contribution from the public form: pseudonymised, pending moderation, audited under the visitor's name.
 * `write` stores it (with its audit entry, in one transaction).
 */
export async function submitContribution(ctx: UseCaseContext, input: SubmitContributionInput, write?: SubmissionWriter): Promise<{ id: string; status: 'pending' }> {
  const c = await visibleConsultation(ctx, input.consultation);
  if (!acceptsContributions(c, ctx.now())) throw new UserError('conflict', closedMessage(c));
  if (input.theme !== undefined && !c.themes.some((t) => t.code === input.theme)) {
    throw new UserError('invalid', `Thème inconnu pour cette consultation : « ${input.theme} »`, 'theme');
  }
  const territory = input.postcode ? departementOfPostcode(input.postcode) : undefined;
  const clean = input.text.replace(/\r\n?/g, '\n');
  const p = pseudonymise(clean);
  const id = `formulaire:${randomBytes(9).toString('base64url')}`;
  const contribution: Contribution = {
    id, consultation: c.slug, channel: 'formulaire', text: p.text,
    themes: input.theme ? [{ theme: input.theme, provenance: { by: 'source', documentId: FORM_SOURCE.documentId, detail: 'choisi par la personne qui contribue' } }] : [],
    moderation: { status: 'pending' }, source: { ...FORM_SOURCE }, date: ctx.now().toISOString(),
    ...(input.college ? { authorCollege: input.college } : {}),
    ...(territory && (isDepartementCode(territory) || DEPARTEMENTS[territory]) ? { territory } : {}),
  };
  // the postcode, finer than the département, only when it is one (the map counts by it; nothing else is kept)
  const postcode = input.postcode && (await communeIndex()).byPostcode.has(input.postcode) ? input.postcode : undefined;
  const item: NewPrivateContribution = {
    contribution, ...(p.masked.length ? { original: clean, masked: p.masked } : {}), ...(postcode ? { postcode } : {}),
  };
  if (write) await write(c.slug, item);
  else await addContributionsWithOriginals(ctx.store, c.slug, [item], { actor: ctx.actor.name, ...AUDITED_SUBMISSION });
  return { id, status: 'pending' };
}

// workshop reports typed in: src/usecases/reports.ts

// ---- moderation ----

export type ModerationAction = 'publish' | 'reject' | 'pseudonymise';

export interface ModerationInput {
  action: ModerationAction;
  reason?: string;
  /** the moderator's own public text (masked too) */
  text?: string;
}

/** The change a moderation action makes on one contribution (pure): masks are applied on every path to publication. */
function moderationChange(ctx: UseCaseContext, current: { text: string; status: ModerationStatus }, original: string | undefined, input: ModerationInput): ModerationChange {
  const { action, reason, text } = input;
  const status: ModerationStatus = action === 'publish' ? 'published' : action === 'reject' ? 'rejected' : current.status;
  let newText: string | undefined;
  let masked: MaskedSpanJson[] | undefined;
  // a moderator's own text is masked too (already masked tokens stay as they are): no write skips the masks
  if (action === 'pseudonymise' && text !== undefined) {
    newText = pseudonymise(text).text;
  } else if (action === 'pseudonymise' || (action === 'publish' && original === undefined)) {
    // automatic masking on the text as written (never published unmasked)
    const p = pseudonymise(original ?? current.text);
    if (p.text !== current.text) { newText = p.text; masked = p.masked; }
  } else if (action === 'publish' && text !== undefined) {
    newText = pseudonymise(text).text;
  }
  return {
    status, by: ctx.actor.name, at: ctx.now().toISOString(), action: `moderation.${action}`,
    ...(reason !== undefined ? { reason } : {}), ...(newText !== undefined ? { text: newText } : {}), ...(masked ? { masked } : {}),
  };
}

/** Publishes, rejects or pseudonymises one contribution, audited. */
export async function moderateContribution(ctx: UseCaseContext, input: ModerationInput & { id: string }): Promise<{ id: string; consultation: string }> {
  const [done] = await moderateContributions(ctx, { ids: [input.id], ...input });
  return done!;
}

/**
 * The same decision on several contributions (bulk moderation), in one transaction: all are decided or none.
 * `consultation`, when given, must hold every one of them.
 */
export async function moderateContributions(ctx: UseCaseContext, input: ModerationInput & { ids: string[]; consultation?: string }): Promise<{ id: string; consultation: string }[]> {
  // a rejection says why (the queue offers a short list of reasons): the audit entry records it
  if (input.action === 'reject' && !input.reason?.trim()) throw new UserError('invalid', 'Indiquez le motif du rejet.', 'reason');
  const ids = [...new Set(input.ids)];
  const current = [];
  for (const id of ids) {
    const c = await ctx.store.getContribution(id);
    if (!c || (input.consultation !== undefined && c.consultation !== input.consultation)) throw new UserError('not_found', `Contribution inconnue : ${id}`);
    current.push(c);
  }
  const originals = await privateTexts(ctx.store, ids);
  const decisions = current.map((c) => ({
    id: c.id, change: moderationChange(ctx, { text: c.text, status: c.moderation.status }, originals.get(c.id)?.original, input),
  }));
  await writeModerations(ctx.store, decisions);
  return current.map((c) => ({ id: c.id, consultation: c.consultation }));
}

// ---- human theme decisions ----

/** Accepts a theme (a human decision, never overwritten by a model) or removes one, audited. */
export async function decideTheme(ctx: UseCaseContext, input: { id: string; theme: string; accept: boolean }) {
  const contribution = await ctx.store.getContribution(input.id);
  if (!contribution) throw new UserError('not_found', `Contribution inconnue : ${input.id}`);
  const c = await requireConsultation(ctx, contribution.consultation);
  const { theme, accept } = input;
  if (!c.themes.some((t) => t.code === theme)) throw new UserError('invalid', `Thème inconnu pour cette consultation : « ${theme} »`, 'theme');
  const others = contribution.themes.filter((t) => t.theme !== theme);
  if (!accept && others.length === contribution.themes.length) throw new UserError('not_found', `Le thème « ${theme} » n’est pas attribué à cette contribution.`);
  const next = accept ? [...others, { theme, provenance: { by: 'human' as const, reviewer: ctx.actor.name, at: ctx.now().toISOString() } }] : others;
  await replaceContributionThemes(ctx.store, contribution.id, next, { actor: ctx.actor.name, action: accept ? 'themes.accept' : 'themes.reject' });
  const after = await ctx.store.getContribution(contribution.id);
  return { themes: after?.themes ?? [] };
}
