import { Fragment, type ReactNode } from 'react';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { MISSING } from '../../components/BarChart.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { formatDate } from '../../labels.ts';
import { IndicatorCharts } from './TerritoryIndicators.tsx';
import type { PlanDetail, PlanSaid } from '../../types.ts';

type Objective = PlanDetail['engagements'][number]['defis'][number]['objectives'][number];
type OqosRow = PlanDetail['oqos'][number];
type OqosValue = NonNullable<OqosRow['existing']>;

/** Headers of the OQOS value columns (the parser's column names). */
const COLUMN_LABELS: Record<string, string> = {
  existant: 'Existant au 01/06/2023',
  cible: 'Cible',
  'existant:HC': 'Existant, hospitalisation complète (HC)',
  'existant:HTP': 'Existant, hospitalisation à temps partiel (HTP)',
  'existant:implantations': 'Existant : implantations',
  'existant:appareils': 'Existant : appareils',
};

const SECTION_TITLES: Record<PlanDetail['consultationItems'][number]['section'], string> = {
  enjeux: 'Les enjeux',
  defis_cts: 'Les défis identifiés par le conseil territorial de santé',
  cnr: 'Les propositions du Conseil national de la refondation (CNR) en santé',
};

const MISSING_KIND: Record<PlanDetail['missingFigures'][number]['kind'], string> = { chart: 'graphique', map: 'carte', finance: 'graphique financier' };

/** Printed text: lines starting with « - » or « • » become a list, the others paragraphs (the raw wording kept). */
export function PrintedText({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  let items: string[] = [];
  const flush = () => {
    if (items.length) blocks.push(<ul key={blocks.length}>{items.map((t, i) => <li key={i}>{t}</li>)}</ul>);
    items = [];
  };
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^[-•\u2022\uf0b7]\s*(.*)$/.exec(line);
    // a bulleted line the extraction ran together (« - A - B ; - C »): one item per dash before a capital
    if (m) items.push(...m[1]!.split(/\s+(?:;\s+)?-\s+(?=\p{Lu})/u).map((t) => t.replace(/\s*;$/, '')));
    else {
      flush();
      blocks.push(<p key={blocks.length} className="fr-mb-1w">{line}</p>);
    }
  }
  flush();
  return <>{blocks}</>;
}

/** An OQOS cell: the printed text; « - » is « non applicable » (never 0), a blank a missing figure. */
function Cell({ v }: { v: OqosValue | null | undefined }) {
  if (!v) return <span className="nc">—<span className="fr-sr-only"> (pas de colonne)</span></span>;
  if (v.kind === 'not_applicable') return <span><abbr title="non applicable">{v.raw || '-'}</abbr><span className="fr-sr-only"> non applicable</span></span>;
  if (v.kind === 'missing') return <em className="nc">{MISSING}</em>;
  return <>{v.raw}</>;
}

function ObjectiveFields({ o }: { o: Objective }) {
  const fields: [string, ReactNode][] = [];
  const text = (label: string, v: string | null) => { if (v) fields.push([label, <PrintedText text={v} />]); };
  text('Le défi à relever', o.defiARelever);
  if (o.themes.length) fields.push(['Thèmes', o.themes.join(' ; ')]);
  if (o.parcours.length) fields.push(['Parcours', o.parcours.join(' ; ')]);
  if (o.motsCles.length) fields.push(['Mots clés', o.motsCles.join(' ; ')]);
  text('Les constats', o.constats);
  text('L’objectif', o.objectif);
  if (o.resultatsAttendusItems.length) fields.push(['Les résultats attendus', <ul>{o.resultatsAttendusItems.map((r, i) => <li key={i}>{r}</li>)}</ul>]);
  else text('Les résultats attendus', o.resultatsAttendus);
  text('Chiffres-clés', o.chiffresCles);
  text('Parole de citoyen', o.paroleCitoyen);
  text('Objectif régional de rattachement', o.objectifRegional);
  return (
    <dl className="plan-fields">
      {fields.map(([label, v]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

const ITEM_KIND: Record<PlanDetail['consultationItems'][number]['section'], string> = {
  enjeux: 'Enjeu du département',
  defis_cts: 'Défi identifié par le conseil territorial de santé',
  cnr: 'Proposition du CNR en santé',
};

/**
 * « Ce que vous avez dit » under an objective or a défi: the ideas, contributions and consultation items a person
 * confirmed (or a document stated) that the plan takes up. Public text only (the API filters, and says so).
 */
function SaidBlock({ said, code, items, level, extra }: {
  said: PlanSaid[]; code: string; items: PlanDetail['consultationItems'];
  /** heading level: one below the element's */
  level: 5 | 6;
  /** room for a link of the element (its coverage page) */
  extra?: ReactNode;
}) {
  if (said.length === 0 && !extra) return null;
  const H = `h${level}` as const;
  return (
    <section aria-labelledby={`dit-${code}`} className="plan-said fr-mt-2w">
      <H id={`dit-${code}`} className="plan-said__title fr-text--md fr-mb-1w">Ce que vous avez dit</H>
      {said.length ? (
        <ul className="plan-said__list">
          {said.map((s) => (
            <li key={`${s.source.kind}:${s.source.id}`} className="fr-mb-1w">
              {s.source.kind === 'idea' ? (
                <><span className="fr-sr-only">Idée commune : </span><strong><Link href={`/idees/${encodeURIComponent(s.source.id)}`}>{s.text}</Link></strong>{s.count !== null ? <> — {s.count} {s.count > 1 ? 'contributions' : 'contribution'}</> : null}</>
              ) : s.source.kind === 'contribution' ? (
                <><span className="fr-sr-only">Contribution : </span><span className="plan-said__quote">«{'\u00a0'}{s.text}{'\u00a0'}»</span> <Link href={`/contributions/${encodeURIComponent(s.source.id)}`} className="fr-text--sm">Que devient-elle ?</Link></>
              ) : (
                <><span className="fr-text--xs plan-said__origin">{ITEM_KIND[items[Number(s.source.id)]?.section ?? 'cnr']} : </span>{s.text}</>
              )}
              {s.kind === 'partly' ? <> <span className="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">Repris en partie</span></> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {extra}
    </section>
  );
}

/** The OQOS tables: one per printed table, grouped by activity; raw text kept in every cell. */
function OqosTables({ rows }: { rows: OqosRow[] }) {
  const activities = new Map<number, { title: string; tables: Map<number, OqosRow[]> }>();
  for (const r of rows) {
    const a = activities.get(r.activityIndex) ?? { title: r.activity || 'Activité sans intitulé imprimé', tables: new Map() };
    a.tables.set(r.tableIndex, [...(a.tables.get(r.tableIndex) ?? []), r]);
    activities.set(r.activityIndex, a);
  }
  return (
    <>
      {[...activities.entries()].map(([ai, a]) => (
        <section key={ai} aria-labelledby={`oqos-${ai}`} className="fr-mb-4w">
          <h3 id={`oqos-${ai}`} className="fr-h5">{a.title}</h3>
          {[...a.tables.entries()].map(([ti, t]) => {
            const columns = [...new Set(t.flatMap((r) => r.cells.map((c) => c.column)))];
            const hasMention = t.some((r) => r.mention !== null || r.mentionNA);
            const hasZone = t.some((r) => r.zone !== null);
            return (
              <DataTable
                key={ti}
                className="table--wrap oqos-table"
                caption={`${a.title} — ${t[0]!.table}`}
                headers={['Modalité', ...(hasMention ? ['Mention'] : []), ...(hasZone ? ['Zone'] : []), ...columns.map((c) => COLUMN_LABELS[c] ?? c)]}
                rows={t.map((r) => [
                  <>{r.group ? <span className="fr-text--xs oqos-group">{r.group} — </span> : null}{r.modalite ?? '—'}{r.starred ? <span title="voir la note de l’activité dans le schéma"> *</span> : null}</>,
                  ...(hasMention ? [r.mentionNA ? <abbr title="pas de mention">NA.</abbr> : r.mention ?? '—'] : []),
                  ...(hasZone ? [r.zone ?? <em className="nc">zone non imprimée</em>] : []),
                  ...columns.map((c) => <Cell v={r.cells.find((x) => x.column === c)?.value as OqosValue | undefined} />),
                ])}
              />
            );
          })}
        </section>
      ))}
    </>
  );
}

/** « Le schéma territorial de santé »: the plan as stored, from its engagements to the OQOS and data repère. */
export function PlanPage({ id }: { id: string }) {
  const { data: p, error, loading } = useApi<PlanDetail>(`/plans/${encodeURIComponent(id)}`);
  if (loading && !p) return <Page title="Le schéma territorial de santé"><Loading what="Chargement du schéma" /></Page>;
  if (error || !p) return <Page title="Schéma introuvable" crumbs={[{ label: 'Consultations', href: '/' }]}><ErrorAlert message={error ?? 'Schéma introuvable.'} /></Page>;
  const period = p.period ? ` ${p.period.start}-${p.period.end}` : '';
  const objectives = p.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives));
  const sections = (['enjeux', 'defis_cts', 'cnr'] as const).filter((s) => p.consultationItems.some((c) => c.section === s));
  return (
    <Page
      title={`Le schéma territorial de santé — ${p.territoryName}${period}`}
      crumbs={[{ label: 'Consultations', href: '/' }, ...(p.consultation ? [{ label: 'Consultation', href: `/consultations/${p.consultation}` }] : [])]}
      lead={<>Le plan écrit par l’agence régionale de santé et le conseil territorial de santé : {p.engagements.length} engagements, {p.engagements.reduce((n, e) => n + e.defis.length, 0)} défis, {objectives.length} objectifs opérationnels.</>}
    >
      <p className="fr-text--sm">
        Texte repris du document « {p.fileName} » (importé le {formatDate(p.importedAt.slice(0, 10))}). Les codes (E1D4O6…) sont ceux du catalogue régional.
      </p>
      <ul className="plan-links">
        <li><Link href={`/schemas/${encodeURIComponent(id)}/suivi`}>Le suivi du schéma : avancement des actions et indicateurs</Link></li>
        {p.consultation ? <li><Link href={`/schemas/${encodeURIComponent(id)}/couverture`}>Ce que la consultation est devenue dans le schéma (rapport de couverture)</Link></li> : null}
      </ul>
      <nav aria-labelledby="sommaire-titre" className="fr-summary fr-mb-4w">
        <h2 id="sommaire-titre" className="fr-summary__title">Sommaire</h2>
        <ol className="fr-summary__list">
          <li><a className="fr-summary__link" href="#engagements">Engagements, défis et objectifs</a></li>
          {p.oqos.length ? <li><a className="fr-summary__link" href="#oqos">Évolution de l’offre en regard des besoins</a></li> : null}
          <li><a className="fr-summary__link" href="#data-repere">Data repère</a></li>
          {sections.length ? <li><a className="fr-summary__link" href="#consultation">La consultation dans le schéma</a></li> : null}
          {p.warnings.length ? <li><a className="fr-summary__link" href="#anomalies">Anomalies relevées à l’import</a></li> : null}
        </ol>
      </nav>

      <section aria-labelledby="engagements">
        <h2 id="engagements" tabIndex={-1}>Engagements, défis et objectifs</h2>
        {p.engagements.map((e) => (
          <section key={e.code} aria-labelledby={`el-${e.code}`} className="plan-engagement fr-mb-6w">
            <h3 id={`el-${e.code}`} className="fr-h4">Engagement <span className="plan-code">{e.code}</span> : {e.title}</h3>
            {e.defis.map((d) => (
              <section key={d.code} aria-labelledby={`el-${d.code}`} className="plan-defi fr-mb-4w">
                <h4 id={`el-${d.code}`} className="fr-h5">Défi <span className="plan-code">{d.code}</span> : {d.title}</h4>
                {d.enjeux ? <PrintedText text={d.enjeux} /> : null}
                {d.themes.length ? <p className="fr-text--sm">Thèmes : {d.themes.join(' ; ')}</p> : null}
                {d.objectifRegional ? <p className="fr-text--sm">Objectif régional de rattachement : {d.objectifRegional}</p> : null}
                <SaidBlock said={d.said} code={d.code} items={p.consultationItems} level={5} />
                {d.objectives.map((o) => (
                  <article key={o.code} aria-labelledby={`el-${o.code}`} className="plan-objective fr-p-2w fr-mb-3w">
                    <h5 id={`el-${o.code}`} className="fr-h6">Objectif <span className="plan-code">{o.code}</span> : {o.title}</h5>
                    <ObjectiveFields o={o} />
                    {o.actions.length ? (
                      <>
                        <p className="plan-practice fr-mb-1w"><strong>En pratique</strong></p>
                        <ul>
                          {o.actions.map((a, i) => <li key={i}>{a.text}</li>)}
                        </ul>
                      </>
                    ) : null}
                    <SaidBlock said={o.said} code={o.code} items={p.consultationItems} level={6} />
                  </article>
                ))}
              </section>
            ))}
          </section>
        ))}
      </section>

      {p.oqos.length ? (
        <section aria-labelledby="oqos" className="fr-mt-6w">
          <h2 id="oqos" tabIndex={-1}>Évolution de l’offre en regard des besoins</h2>
          <p>
            Objectifs quantitatifs de l’offre de soins (OQOS) : l’existant au 1<sup>er</sup> juin 2023 et la cible, tels qu’imprimés.
            « - » : non applicable (ce n’est pas zéro) ; « {MISSING} » : case vide dans le document ; « * » : voir la note de l’activité dans le schéma.
          </p>
          <OqosTables rows={p.oqos} />
        </section>
      ) : null}

      <section aria-labelledby="data-repere" className="fr-mt-6w">
        <h2 id="data-repere" tabIndex={-1}>Data repère</h2>
        <IndicatorCharts data={p.indicators} intro="Les données repères du schéma (aucune année de référence n’y est imprimée)" />
        {p.missingFigures.length ? (
          <>
            <h3 className="fr-h5">Figures non reprises</h3>
            <p>Ces graphiques et cartes du document n’ont pas pu être lus ; leurs chiffres ne sont pas repris ici plutôt que devinés :</p>
            <ul>
              {p.missingFigures.map((m, i) => <li key={i}>{m.title} ({MISSING_KIND[m.kind]})</li>)}
            </ul>
          </>
        ) : null}
      </section>

      {sections.length ? (
        <section aria-labelledby="consultation" className="fr-mt-6w">
          <h2 id="consultation" tabIndex={-1}>La consultation dans le schéma</h2>
          {p.consultation ? <p><Link href={`/consultations/${p.consultation}`}>Voir la consultation</Link></p> : null}
          {sections.map((s) => {
            const items = p.consultationItems.filter((c) => c.section === s);
            const groups = [...new Set(items.map((c) => c.group))];
            return (
              <Fragment key={s}>
                <h3 className="fr-h5">{SECTION_TITLES[s]}</h3>
                {groups.map((g) => (
                  <Fragment key={g ?? ''}>
                    {g ? <h4 className="fr-h6">{g}</h4> : null}
                    <ul>{items.filter((c) => c.group === g).map((c, i) => <li key={i}>{c.text}</li>)}</ul>
                  </Fragment>
                ))}
              </Fragment>
            );
          })}
        </section>
      ) : null}

      {p.warnings.length ? (
        <section aria-labelledby="anomalies" className="fr-mt-6w">
          <h2 id="anomalies" tabIndex={-1}>Anomalies relevées à l’import</h2>
          <p>Le document est repris tel qu’imprimé ; ces anomalies sont signalées, pas corrigées.</p>
          <ul className="fr-text--sm">
            {p.warnings.map((w, i) => <li key={i}>{w.message}{w.source?.lineStart ? ` (ligne ${w.source.lineStart})` : ''}</li>)}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
