/** What the easy-to-read summary's routes take and send (src/server/routes/open-data.ts); the web app infers its types from them. */
import { z } from 'zod';
import { EASY_READ_LIMITS } from '../../domain/easy-read.ts';

const EasyReadSummary = z.object({ title: z.string(), sections: z.array(z.object({ heading: z.string(), text: z.string() })) });
export const EasyReadInput = z.object({
  title: z.string().max(EASY_READ_LIMITS.title * 2),
  sections: z.array(z.object({ heading: z.string().max(EASY_READ_LIMITS.heading * 2), text: z.string().max(EASY_READ_LIMITS.text * 2) })).max(EASY_READ_LIMITS.sections * 2),
});
export const Warning = z.object({
  rule: z.string(), excerpt: z.string(), message: z.string(),
  where: z.object({ part: z.enum(['title', 'heading', 'text']), section: z.number().optional() }),
});
export const EasyReadEditorView = z.object({
  draft: EasyReadSummary.nullable(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable(),
  published: EasyReadSummary.nullable(), publishedAt: z.string().nullable(), publishedBy: z.string().nullable(),
  unpublishedChanges: z.boolean(), warnings: z.array(Warning), restitutionPublished: z.boolean(),
});
export const PublicEasyRead = z.object({
  consultation: z.object({ slug: z.string(), title: z.string() }), summary: EasyReadSummary, publishedAt: z.string(),
});

