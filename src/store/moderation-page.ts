/** Paginated listing of contributions (public list, moderation queue), with their theme assignments. */
import type { Provenance } from '../domain/contribution.ts';
import type { ContributionFilter, Store } from './store.ts';

/** `ids`, when given, also sets the order (e.g. full-text search results ranked by relevance). */
export type ContributionPageFilter = ContributionFilter;

export interface ContributionPageItem {
  id: string;
  text: string;
  themes: { theme: string; provenance: Provenance }[];
  kind: string | null;
  meeting: string | null;
  college: string | null;
  channel: string;
  date: string | null;
  territory: string | null;
  status: string;
  reason: string | null;
}

export async function pageContributions(store: Store, consultation: string, f: ContributionPageFilter, offset: number, limit: number):
  Promise<{ items: ContributionPageItem[]; total: number }> {
  const base = () => store.filteredContributions(consultation, f);
  const cols = ['id', 'text', 'kind', 'meeting', 'author_college', 'channel', 'date', 'territory', 'moderation_status', 'moderation_reason', 'seq'] as const;
  let rows;
  let total: number;
  if (f.ids) {
    const all = await base().select([...cols]).execute();
    const rank = new Map(f.ids.map((id, i) => [id, i]));
    all.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
    total = all.length;
    rows = all.slice(offset, offset + limit);
  } else {
    total = Number((await base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    rows = await base().select([...cols]).orderBy('contributions.seq', 'desc').offset(offset).limit(limit).execute();
  }
  const themes = new Map<string, ContributionPageItem['themes']>();
  if (rows.length) {
    const trows = await store.db.selectFrom('contribution_themes').selectAll().where('contribution_id', 'in', rows.map((r) => r.id))
      .orderBy('contribution_id').orderBy('theme').execute();
    for (const t of trows) {
      const list = themes.get(t.contribution_id) ?? [];
      list.push({ theme: t.theme, provenance: JSON.parse(t.provenance_json) as Provenance });
      themes.set(t.contribution_id, list);
    }
  }
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, text: r.text, themes: themes.get(r.id) ?? [], kind: r.kind, meeting: r.meeting, college: r.author_college, channel: r.channel,
      date: r.date, territory: r.territory, status: r.moderation_status, reason: r.moderation_reason,
    })),
  };
}
