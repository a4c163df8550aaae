/**
 * The easy-to-read summary (FALC) of a restitution (issue 16): written in the back office (title and short sections)
 * with the checks of the easy-to-read rules as warnings, published separately from the restitution by an analyst,
 * read by the public on /consultations/:slug/facile. Rules: docs/easy-read.md.
 */
import { checkEasyRead, normaliseEasyRead, type EasyReadSummary, type EasyReadWarning } from '../domain/easy-read.ts';
import { UserError } from '../domain/errors.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { getEasyRead, saveEasyReadDraft, setEasyReadPublication } from '../store/easy-read.ts';
import { latestPublishedSynthesis } from '../store/moderation.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';

export interface EasyReadEditorView {
  draft: EasyReadSummary | null;
  updatedAt: string | null;
  updatedBy: string | null;
  published: EasyReadSummary | null;
  publishedAt: string | null;
  publishedBy: string | null;
  /** the draft differs from the published copy */
  unpublishedChanges: boolean;
  warnings: EasyReadWarning[];
  /** a restitution is published (the summary can be published only then) */
  restitutionPublished: boolean;
}

async function editorView(ctx: UseCaseContext, slug: string): Promise<EasyReadEditorView> {
  const s = await getEasyRead(ctx.store, slug);
  const restitutionPublished = !!await latestPublishedSynthesis(ctx.store, slug);
  if (!s) return { draft: null, updatedAt: null, updatedBy: null, published: null, publishedAt: null, publishedBy: null, unpublishedChanges: false, warnings: [], restitutionPublished };
  return {
    ...s, unpublishedChanges: JSON.stringify(s.draft) !== JSON.stringify(s.published), warnings: checkEasyRead(s.draft), restitutionPublished,
  };
}

/** The back office's view: draft, published copy, warnings of the draft. */
export async function easyReadEditor(ctx: UseCaseContext, slug: string): Promise<EasyReadEditorView> {
  const c = await ctx.store.requireConsultation(slug);
  return editorView(ctx, c.slug);
}

/** The warnings of a text being written, without saving it (the editor checks as one types). */
export function checkEasyReadDraft(input: { title?: unknown; sections?: unknown }): EasyReadWarning[] {
  return checkEasyRead(normaliseEasyRead(input));
}

/** Saves the draft (audited); the public page keeps the published copy until the next publication. */
export async function saveEasyRead(ctx: UseCaseContext, slug: string, input: { title?: unknown; sections?: unknown }): Promise<EasyReadEditorView> {
  const c = await ctx.store.requireConsultation(slug);
  const draft = normaliseEasyRead(input);
  await saveEasyReadDraft(ctx.store, c.slug, draft, { actor: ctx.actor.name, at: ctx.now().toISOString() });
  return editorView(ctx, c.slug);
}

/** Publishes the stored draft (audited): only once the restitution it summarises is published. Warnings do not stop it. */
export async function publishEasyRead(ctx: UseCaseContext, slug: string): Promise<EasyReadEditorView> {
  const c = await ctx.store.requireConsultation(slug);
  if (!await latestPublishedSynthesis(ctx.store, c.slug)) {
    throw new UserError('conflict', 'Publiez d’abord la restitution : le résumé facile à lire la résume et renvoie vers elle.');
  }
  const done = await setEasyReadPublication(ctx.store, c.slug, true, { actor: ctx.actor.name, at: ctx.now().toISOString() });
  if (!done) throw new UserError('not_found', 'Aucun résumé facile à lire n’est encore écrit pour cette consultation : enregistrez-le d’abord.');
  return editorView(ctx, c.slug);
}

/** Withdraws the published copy (audited); the draft stays. */
export async function withdrawEasyRead(ctx: UseCaseContext, slug: string): Promise<EasyReadEditorView> {
  const c = await ctx.store.requireConsultation(slug);
  const s = await getEasyRead(ctx.store, c.slug);
  if (!s?.published) throw new UserError('not_found', 'Le résumé facile à lire n’est pas publié.');
  await setEasyReadPublication(ctx.store, c.slug, false, { actor: ctx.actor.name, at: ctx.now().toISOString() });
  return editorView(ctx, c.slug);
}

/** The published summary, for the public (drafts of consultations and unpublished summaries are not_found). */
export async function publicEasyRead(ctx: UseCaseContext, slug: string): Promise<{ consultation: { slug: string; title: string }; summary: EasyReadSummary; publishedAt: string }> {
  const c = await visibleConsultation(ctx, slug);
  const s = await getEasyRead(ctx.store, c.slug);
  if (!s?.published || !s.publishedAt) throw new UserError('not_found', 'Le résumé facile à lire de cette consultation n’est pas encore publié.');
  // it summarises the restitution: withdrawn with it (a contribution it relied on was withdrawn or changed)
  if (!(await latestPublishedSynthesis(ctx.store, c.slug))) {
    throw new UserError('not_found', 'Le résumé facile à lire est retiré avec la restitution, le temps de sa mise à jour.');
  }
  // staff write it, but the one publication rule holds: names, phone numbers and addresses are masked on the way out
  const mask = (t: string) => pseudonymise(t).text;
  const summary: EasyReadSummary = { title: mask(s.published.title), sections: s.published.sections.map((x) => ({ ...x, heading: mask(x.heading), text: mask(x.text) })) };
  return { consultation: { slug: c.slug, title: c.title }, summary, publishedAt: s.publishedAt };
}
