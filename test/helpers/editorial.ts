import assert from 'node:assert/strict';
import type { Client } from './server.ts';

/**
 * Writes a short invented text in every editorial block still to write (the draft's placeholders), as an analyst
 * does before publishing: publication is refused while one is left (issue 11).
 */
export async function fillEditorialTexts(c: Client, slug: string): Promise<void> {
  const draft = await c.get(`/api/admin/consultations/${encodeURIComponent(slug)}/synthesis/draft`);
  assert.equal(draft.statusCode, 200, draft.body);
  const keys = (draft.json().problems as { code: string; path?: string }[]).filter((p) => p.code === 'placeholder').map((p) => p.path!);
  if (keys.length === 0) return;
  const res = await c.put(`/api/admin/consultations/${encodeURIComponent(slug)}/synthesis/editorial`,
    { texts: Object.fromEntries(keys.map((k) => [k, `Texte de test pour la rubrique (${k}).`])) });
  assert.equal(res.statusCode, 200, res.body);
}
