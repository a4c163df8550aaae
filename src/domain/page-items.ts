/**
 * The item a public page of the web app shows, read from its path (pure): the server answers a real 404 when the
 * item does not exist or is not public (src/usecases/search.ts `publicItemExists`, src/server/app.ts).
 */

export type PageItemKind = 'consultation' | 'plan' | 'contribution' | 'idea';
export interface PageItem { kind: PageItemKind; id: string }

/**
 * `/consultations/<slug>(/…)`, `/schemas/<id>(/…)`, `/contributions/<id>`, `/idees/<id>`: the item named, decoded as
 * the client router decodes it (web/src/router.tsx `match`); null for any other path or one that does not decode.
 */
export function pageItemOfPath(path: string): PageItem | null {
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (s.length < 2) return null;
  let id: string;
  try { id = decodeURIComponent(s[1]!); } catch { return null; }
  if (s[0] === 'consultations') return { kind: 'consultation', id };
  if (s[0] === 'schemas') return { kind: 'plan', id };
  if (s[0] === 'contributions' && s.length === 2) return { kind: 'contribution', id };
  if (s[0] === 'idees' && s.length === 2) return { kind: 'idea', id };
  return null;
}
