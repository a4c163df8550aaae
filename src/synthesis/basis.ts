/**
 * What a draft was built from, and what changed since: the synthesis page says « 3 contributions publiées et
 * 1 retirée depuis la génération du brouillon » instead of listing every figure that no longer verifies.
 */
import type { Contribution } from '../domain/contribution.ts';
import type { Store } from '../store/store.ts';
import { loadSynthesisData, queryContributions, type SynthesisData } from './data.ts';
import { PROPOSAL_KINDS, type ContributionQuery, type LinkedObjective, type SynthesisBasis, type SynthesisDocument } from './model.ts';

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0).toString(36);
}

function fingerprint(data: SynthesisData, c: Contribution): string {
  return hash(JSON.stringify([c.text, c.kind ?? null, c.category ?? null, c.themes.map((t) => t.theme).sort(), c.meeting ?? null,
    data.deptOf(c) ?? null, c.authorCollege ?? null]));
}

export function scopeOf(doc: Pick<SynthesisDocument, 'level' | 'territory'>): ContributionQuery {
  return doc.level === 'departement' ? { territory: doc.territory } : { region: doc.territory };
}

function isProposal(c: Contribution): boolean {
  return c.kind !== undefined && PROPOSAL_KINDS.includes(c.kind);
}

export function synthesisBasis(data: SynthesisData, scope: ContributionQuery): SynthesisBasis {
  const contributions: Record<string, string> = {};
  const inScope = queryContributions(data, scope);
  for (const c of inScope) contributions[c.id] = fingerprint(data, c);
  // the groups' shape apart from their members, and each contribution's groups: a contribution withdrawn
  // leaves its group without being a change of the groups
  const groups = hash(JSON.stringify(data.groups.map((g) => [g.id, g.parent, g.label, g.theme ?? null])));
  const of = new Map<string, string[]>();
  for (const g of data.groups) for (const m of g.members) of.set(m.contribution, [...(of.get(m.contribution) ?? []), g.id]);
  const memberships: Record<string, string> = {};
  for (const c of inScope) { const list = of.get(c.id); if (list) memberships[c.id] = hash(list.sort().join('\n')); }
  // only proposals count in a national section: a constat marked with its idea changes nothing the document says
  const national = inScope.filter((c) => data.nationalMarked.has(c.id) && isProposal(c)).map((c) => c.id).sort();
  // the ideas' decided links to the plans (issue 14): a decision taken or undone changes what the document says
  const entries = (m: Map<string, LinkedObjective[]>, tag: string) => [...m.entries()].map(([id, list]) => [`${tag}:${id}`, list.map((o) => [o.plan, o.code, o.kind, o.title])] as const);
  const scoped = new Map([...data.linked.byContribution].filter(([id]) => contributions[id] !== undefined));
  const linked = [...entries(data.linked.byIdea, 'idea'), ...entries(scoped, 'contribution')].sort((a, b) => a[0].localeCompare(b[0]));
  return { contributions, groups, memberships, national, ...(linked.length > 0 ? { links: hash(JSON.stringify(linked)) } : {}) };
}

export interface DataChanges {
  /** public now, not when the draft was generated */
  published: number;
  /** public then, no longer (rejected, unpublished, erased) */
  withdrawn: number;
  /** public then and now, but their text, theme, kind, category, meeting or national mark changed */
  changed: number;
  /** idea groups changed (renamed, merged, split, moved, regrouped) */
  groups: boolean;
  /** proposals marked or unmarked « niveau national » (kept before and after): what the national sections count */
  national: number;
  /** the ideas' decided links to the plans changed (a link confirmed, rejected, undone, or its element renamed) */
  links: boolean;
  /** French sentence, empty when nothing changed */
  summary: string;
}

/** What changed in the data of the document's scope since it was built. */
export async function dataChangesSince(store: Store, doc: SynthesisDocument): Promise<DataChanges> {
  const data = await loadSynthesisData(store, doc.consultation);
  const now = synthesisBasis(data, scopeOf(doc));
  // documents of before issue 11 have no basis: the contributions of their total figure stand for it
  const then = doc.basis ?? {
    contributions: Object.fromEntries((doc.figures.find((f) => f.key === 'total')?.contributions ?? []).map((id) => [id, now.contributions[id] ?? ''])),
    groups: now.groups,
  };
  let published = 0, withdrawn = 0, changed = 0;
  for (const [id, fp] of Object.entries(now.contributions)) {
    const before = then.contributions[id];
    if (before === undefined) published++;
    else if (before !== fp) changed++;
  }
  for (const id of Object.keys(then.contributions)) if (now.contributions[id] === undefined) withdrawn++;
  const moved = (id: string) => then.contributions[id] !== undefined && (then.memberships?.[id] ?? '') !== (now.memberships?.[id] ?? '');
  const wasNational = new Set(then.national ?? []);
  const isNational = new Set(now.national ?? []);
  // proposals only, also for drafts whose basis listed every marked contribution
  const national = Object.keys(now.contributions).filter((id) => {
    const c = data.byId.get(id);
    return then.contributions[id] !== undefined && c !== undefined && isProposal(c) && wasNational.has(id) !== isNational.has(id);
  }).length;
  const groups = then.groups !== now.groups || (then.memberships !== undefined && Object.keys(now.contributions).some(moved));
  // « 3 contributions publiées, 1 retirée et 2 modifiées » : the noun once, with the first count
  const counts = ([[published, 'publiée'], [withdrawn, 'retirée'], [changed, 'modifiée']] as const).filter(([n]) => n > 0);
  const parts = counts.map(([n, adj], i) => {
    const agreed = n > 1 ? `${adj}s` : adj;
    return i === 0 ? `${n.toLocaleString('fr-FR')} ${n > 1 ? 'contributions' : 'contribution'} ${agreed}` : `${n.toLocaleString('fr-FR')} ${agreed}`;
  });
  if (national) parts.push(`${national.toLocaleString('fr-FR')} ${national > 1 ? 'propositions marquées ou démarquées' : 'proposition marquée ou démarquée'} « niveau national »`);
  if (groups) parts.push(parts.length ? 'des idées communes modifiées' : 'Idées communes modifiées');
  // a draft of before issue 14 with no link, none now either: no change
  const links = (then.links ?? '') !== (now.links ?? '');
  if (links) parts.push(parts.length ? 'des liens au schéma territorial de santé modifiés' : 'Liens au schéma territorial de santé modifiés');
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}` : parts[0] ?? '';
  const summary = list ? `${list} depuis la génération du brouillon.` : '';
  return { published, withdrawn, changed, groups, national, links, summary };
}
