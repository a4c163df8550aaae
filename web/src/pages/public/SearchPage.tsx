/** « Rechercher dans le site » (issue 16): results grouped by kind, their counts, the matched words marked, pages. */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { count, formatDate } from '../../labels.ts';
import { usePageFocus } from '../../components/page-focus.ts';
import type { SearchHit, SiteSearchResult } from '../../types.ts';

type Kind = SearchHit['kind'];
const KINDS: Kind[] = ['consultation', 'plan', 'idea', 'contribution'];
const KIND_TITLES: Record<Kind, string> = {
  consultation: 'Consultations',
  plan: 'Défis et objectifs des schémas territoriaux de santé',
  idea: 'Idées communes des restitutions',
  contribution: 'Contributions publiées',
};
const KIND_COUNTS: Record<Kind, [string, string]> = {
  consultation: ['consultation', 'consultations'],
  plan: ['défi ou objectif', 'défis ou objectifs'],
  idea: ['idée commune', 'idées communes'],
  contribution: ['contribution', 'contributions'],
};

/** A text with its matched words in <mark>. */
export function Marked({ text, marks }: { text: string; marks: [number, number][] }) {
  const out: ReactNode[] = [];
  let at = 0;
  for (const [a, b] of marks) {
    if (a < at) continue;
    if (a > at) out.push(text.slice(at, a));
    out.push(<mark key={a}>{text.slice(a, b)}</mark>);
    at = b;
  }
  out.push(text.slice(at));
  return <>{out}</>;
}

export function SearchPage() {
  const { path, query } = useLocation();
  const q = query.get('q')?.trim() ?? '';
  const kindParam = query.get('type');
  const kind = KINDS.includes(kindParam as Kind) ? (kindParam as Kind) : null;
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const api = new URLSearchParams({ q, page: String(page), ...(kind ? { kind } : {}) });
  const res = useApi<SiteSearchResult>(q ? `/search?${api}` : null);
  const status = useRef<HTMLParagraphElement>(null);
  usePageFocus(status, `${q}|${kind}|${page}`, !res.loading);

  const href = (n: number, k: Kind | null = kind) => {
    const p = new URLSearchParams({ q });
    if (k) p.set('type', k);
    if (n > 1) p.set('page', String(n));
    return `${path}?${p}`;
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    const v = text.trim();
    navigate(v ? `${path}?${new URLSearchParams({ q: v })}` : path);
  }
  const d = res.data;
  const pages = d ? Math.max(1, Math.ceil(d.total / d.pageSize)) : 1;
  const groups = KINDS.map((k) => [k, d?.items.filter((h) => h.kind === k) ?? []] as const).filter(([, items]) => items.length > 0);

  return (
    <Page title={q ? `Recherche : ${q}` : 'Rechercher dans le site'}>
      <form onSubmit={submit} role="search" aria-label="Rechercher dans le site" className="fr-mb-4w">
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-8">
            <Input label="Mots à chercher" hintText="Dans les consultations, les schémas territoriaux de santé, les idées communes et les contributions publiées. Exemple : médecin traitant"
              nativeInputProps={{ type: 'search', name: 'q', value: text, onChange: (e) => setText(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Button type="submit" iconId="fr-icon-search-line" className="fr-mb-3w">Rechercher</Button>
          </div>
        </div>
      </form>
      {!q ? <p>Écrivez un ou plusieurs mots : la recherche trouve aussi leurs formes voisines (« installer » trouve « installation »), sans tenir compte des accents.</p> : null}
      <ErrorAlert message={res.error} />
      {q ? (
        <p ref={status} tabIndex={-1} role="status" aria-live="polite" className="fr-text--lg search-status">
          {res.loading || !d ? 'Recherche en cours…' : `${count(d.total, 'résultat', 'résultats')}${kind ? ` parmi les ${KIND_TITLES[kind].toLowerCase()}` : ''}${pages > 1 ? ` — page ${page} sur ${pages}` : ''}`}
        </p>
      ) : null}
      {res.loading && !d ? <Loading /> : null}
      {d && (d.total > 0 || kind) ? (
        <nav aria-label="Résultats par sorte" className="fr-mb-3w">
          <ul className="fr-tags-group">
            <li><Link className="fr-tag" href={href(1, null)} aria-current={kind === null ? 'true' : undefined}>Tout ({d.counts.consultation + d.counts.plan + d.counts.idea + d.counts.contribution})</Link></li>
            {KINDS.filter((k) => d.counts[k] > 0).map((k) => (
              <li key={k}>
                <Link className="fr-tag" href={href(1, k)} aria-current={kind === k ? 'true' : undefined}>{count(d.counts[k], ...KIND_COUNTS[k])}</Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {d && d.total === 0 ? <p>Aucun résultat : essayez un autre mot, ou moins de mots (chaque mot doit se trouver dans le résultat).</p> : null}
      {groups.map(([k, items]) => (
        <section key={k} className="fr-mb-4w" aria-labelledby={`resultats-${k}`}>
          <h2 id={`resultats-${k}`} className="fr-h4">{KIND_TITLES[k]} <span className="fr-text--md">({count(d!.counts[k], ...KIND_COUNTS[k])})</span></h2>
          <ul className="search-results">
            {items.map((h) => (
              <li key={`${h.kind}-${h.id}`} className="search-result fr-mb-2w fr-p-2w">
                <p className="fr-text--md fr-mb-1v search-result__title">
                  <Link href={h.href}>{h.kind === 'contribution' ? `Contribution à « ${h.title.text} »` : <Marked {...h.title} />}</Link>
                </p>
                {h.excerpt ? <p className="fr-text--sm fr-mb-1v"><Marked {...h.excerpt} /></p> : null}
                {h.context || h.date || h.contributions !== null ? (
                  <p className="fr-text--xs fr-mb-0 search-result__meta">
                    {[h.context, h.date ? formatDate(h.date) : null, h.contributions !== null ? count(h.contributions, 'contribution publiée', 'contributions publiées') : null].filter(Boolean).join(' · ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {d && pages > 1 ? (
        <Pagination key={`${q}-${kind}-${page}`} count={pages} defaultPage={page} showFirstLast getPageLinkProps={(n) => ({ href: href(n) })} />
      ) : null}
    </Page>
  );
}
