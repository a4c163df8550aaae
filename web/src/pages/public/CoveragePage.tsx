import { Fragment, type ReactNode } from 'react';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { formatDate } from '../../labels.ts';
import type { CoverageView } from '../../types.ts';

type Section = CoverageView['sections'][number];
type Block = Section['blocks'][number];
type Idea = Extract<Block, { type: 'ideas' }>['items'][number];
type Inline = Extract<Block, { type: 'paragraph' }>['content'][number];

const DOWNLOADS: [format: string, label: string][] = [['pdf', 'PDF'], ['docx', 'DOCX (traitement de texte)'], ['md', 'Markdown'], ['html', 'HTML'], ['json', 'JSON vérifiable']];

/** A verified count: its value as printed, its label for those who want to know what it counts. */
function Figure({ v, k }: { v: CoverageView; k: string }) {
  const f = v.figures[k];
  if (!f) return <span>—</span>;
  return <strong className="coverage-figure" title={f.label}>{f.text}</strong>;
}

function Inlines({ v, xs }: { v: CoverageView; xs: readonly Inline[] }) {
  return <>{xs.map((x, i) => (typeof x === 'string' ? <Fragment key={i}>{x}</Fragment> : <Figure key={i} v={v} k={x.figure} />))}</>;
}

function Quote({ v, id }: { v: CoverageView; id: string }) {
  const q = v.quotes[id];
  if (!q) return null;
  return (
    <blockquote className="coverage-quote fr-mb-2w">
      <p className="fr-mb-0">« {q.excerpt ? `${q.text} […]` : q.text} »</p>
      <p className="fr-text--xs fr-mb-0">
        {q.source}{q.repeatedBy ? ` — texte repris par ${q.repeatedBy} contributions` : ''}
      </p>
    </blockquote>
  );
}

function IdeaList({ v, items }: { v: CoverageView; items: Idea[] }) {
  return (
    <ul className="coverage-ideas">
      {items.map((it, i) => (
        <li key={i} className="fr-mb-2w">
          <span className="coverage-idea-label">{it.label}</span> — <Figure v={v} k={it.figure} /> contribution{(v.figures[it.figure]?.value ?? 0) >= 2 ? 's' : ''}
          {it.quotes.map((q) => <Quote key={q} v={v} id={q} />)}
          {it.children.length ? <IdeaList v={v} items={it.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

function BlockView({ v, b }: { v: CoverageView; b: Block }): ReactNode {
  switch (b.type) {
    case 'paragraph': return <p><Inlines v={v} xs={b.content} /></p>;
    case 'note': return <div className={`fr-callout fr-mb-3w${b.level === 'warning' ? ' fr-callout--orange-terre-battue' : ''}`}><p className="fr-callout__text fr-text--sm"><Inlines v={v} xs={b.content} /></p></div>;
    case 'table': {
      const cell = (c: (typeof b.rows)[number]['cells'][number]) => ('figure' in c ? <Figure v={v} k={c.figure} /> : c.text);
      // a table; on a phone, a card a row (DataTable), each figure under its column's name
      return (
        <DataTable className="table--wrap coverage-table" caption={b.caption} headers={b.columns}
          rows={b.rows.map((r) => [r.total ? <strong>{r.header}</strong> : r.header, ...r.cells.map(cell)])} />
      );
    }
    case 'ideas': return <>{b.intro.length ? <p className="fr-mb-1w"><Inlines v={v} xs={b.intro} /></p> : null}<IdeaList v={v} items={b.items} /></>;
    case 'quotes': return <>{b.intro.length ? <p className="fr-mb-1w"><Inlines v={v} xs={b.intro} /></p> : null}{b.quotes.map((q) => <Quote key={q} v={v} id={q} />)}</>;
  }
}

function SectionView({ v, s }: { v: CoverageView; s: Section }) {
  const H = (s.level === 1 ? 'h2' : s.level === 2 ? 'h3' : 'h4') as 'h2' | 'h3' | 'h4';
  const cls = s.level === 1 ? undefined : s.level === 2 ? 'fr-h4' : 'fr-h6';
  const id = `couv-${s.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <section aria-labelledby={id} className={s.level === 3 ? 'coverage-target fr-p-2w fr-mb-3w' : 'fr-mt-5w'}>
      <H id={id} className={cls} tabIndex={-1}>{s.title}</H>
      {s.blocks.map((b, i) => <Fragment key={i}><BlockView v={v} b={b} /></Fragment>)}
      {s.sections.map((c) => <SectionView key={c.key} v={v} s={c} />)}
    </section>
  );
}

/** « Ce que la consultation est devenue dans le schéma »: the verified coverage report, from the decided links. */
export function CoveragePage({ id }: { id: string }) {
  const url = `/plans/${encodeURIComponent(id)}/coverage`;
  const { data: v, error, loading } = useApi<CoverageView>(url);
  const crumbs = [{ label: 'Consultations', href: '/' }, { label: 'Le schéma territorial de santé', href: `/schemas/${encodeURIComponent(id)}` }];
  if (loading && !v) return <Page title="Ce que la consultation est devenue dans le schéma" crumbs={crumbs}><Loading what="Chargement du rapport de couverture" /></Page>;
  if (error || !v) return <Page title="Rapport de couverture indisponible" crumbs={crumbs}><ErrorAlert message={error ?? 'Rapport de couverture introuvable.'} /></Page>;
  const period = v.plan.period ? ` ${v.plan.period.start}-${v.plan.period.end}` : '';
  return (
    <Page
      title={`Ce que la consultation est devenue dans le schéma — ${v.plan.territoryName}${period}`}
      crumbs={crumbs}
      lead={<>Pour chaque objectif du schéma, les contributions et les idées communes qui l’ont nourri ; pour chaque thème de la consultation « {v.consultation.title} », la part des propositions reprises ; et ce qui n’est pas repris, avec la raison.</>}
    >
      <p className="fr-text--sm">
        Rapport établi le {formatDate(v.generatedAt.slice(0, 10))} à partir des liens confirmés par l’équipe ou indiqués par le schéma : {v.verification.figures} chiffres
        recalculés et {v.verification.quotes} citations retrouvées mot pour mot. Seules les contributions publiées y figurent.{' '}
        <Link href={`/consultations/${encodeURIComponent(v.consultation.slug)}`}>Voir la consultation</Link>
      </p>
      <p className="fr-text--sm fr-mb-1w">Télécharger le rapport :</p>
      <ul className="coverage-downloads fr-text--sm">
        {DOWNLOADS.map(([f, label]) => (
          <li key={f}>
            <a className="fr-link fr-link--sm fr-link--download" href={`/api${url}?format=${f}`} download>
              {label}
            </a>
          </li>
        ))}
      </ul>
      <nav aria-labelledby="couv-sommaire" className="fr-summary fr-mb-4w">
        <h2 id="couv-sommaire" className="fr-summary__title">Sommaire</h2>
        <ol className="fr-summary__list">
          {v.sections.map((s) => <li key={s.key}><a className="fr-summary__link" href={`#couv-${s.key.replace(/[^A-Za-z0-9_-]/g, '-')}`}>{s.title}</a></li>)}
        </ol>
      </nav>
      {v.sections.map((s) => <SectionView key={s.key} v={v} s={s} />)}
    </Page>
  );
}
