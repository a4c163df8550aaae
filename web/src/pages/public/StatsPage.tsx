import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { BarChart, type Bar } from '../../components/BarChart.tsx';
import { ConsultationNav } from './ConsultationPage.tsx';
import { TerritoryIndicators } from './TerritoryIndicators.tsx';
import { useApi } from '../../hooks.ts';
import { CHANNEL_LABELS, collegeLabel, kindLabel, nf } from '../../labels.ts';
import type { ConsultationDetail, Stats } from '../../types.ts';

function bars(rec: Record<string, number> | undefined, label: (k: string) => string): Bar[] {
  return Object.entries(rec ?? {})
    .map(([k, v]) => ({ label: label(k), value: v }))
    .sort((a, b) => b.value - a.value);
}

export function StatsPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const stats = useApi<Stats>(`/consultations/${encodeURIComponent(slug)}/stats`);
  const c = cons.data;
  const s = stats.data;
  const unknown = (k: string) => k === '' || k.startsWith('(non') || k === 'null' || k === 'none' || k === 'undefined';
  const theme = (k: string) => (unknown(k) ? 'Sans thème' : c?.themes.find((t) => t.code === k)?.label ?? k);
  const meeting = (k: string) => (unknown(k) ? 'Hors réunion (en ligne, courrier…)' : c?.meetings.find((m) => m.id === k)?.title ?? k);
  return (
    <Page title={c ? `En chiffres : ${c.title}` : 'En chiffres'} crumbs={[{ label: 'Consultations', href: '/' }, { label: c?.title ?? slug, href: `/consultations/${slug}` }]}>
      <ConsultationNav slug={slug} current="/chiffres" open={c?.status === 'open'} />
      {stats.loading ? <Loading what="Chargement des chiffres" /> : null}
      <ErrorAlert message={stats.error} />
      {s ? (
        <>
          <ul className="kpis fr-grid-row fr-grid-row--gutters fr-mb-4w">
            <li className="fr-col-6 fr-col-md-3"><span className="kpi">{nf.format(s.contributions)}</span> contributions publiées</li>
            <li className="fr-col-6 fr-col-md-3"><span className="kpi">{nf.format(s.meetings)}</span> réunions</li>
            <li className="fr-col-6 fr-col-md-3"><span className="kpi">{nf.format(s.documents)}</span> documents sources</li>
            <li className="fr-col-6 fr-col-md-3"><span className="kpi">{nf.format(s.withoutTheme)}</span> sans thème</li>
            {s.participants !== null ? (
              <li className="fr-col-6 fr-col-md-3"><span className="kpi">{nf.format(s.participants)}</span> participants aux réunions (totaux indiqués par {nf.format(s.meetingsWithParticipants)} réunion{s.meetingsWithParticipants > 1 ? 's' : ''})</li>
            ) : null}
          </ul>
          <h2>Contributions</h2>
          <BarChart title="Contributions par thème" bars={bars(s.byTheme, theme)} />
          <BarChart title="Contributions par collège" bars={bars(s.byCollege, (k) => (unknown(k) ? 'Non renseigné' : collegeLabel(k)))} />
          <BarChart title="Contributions par réunion" bars={bars(s.byMeeting, meeting)} />
          <BarChart title="Contributions par nature" bars={bars(s.byKind, (k) => (unknown(k) ? 'Non renseignée' : kindLabel(k)))} />
          <BarChart title="Contributions par canal" bars={bars(s.byChannel, (k) => CHANNEL_LABELS[k] ?? k)} />
        </>
      ) : null}
      <TerritoryIndicators slug={slug} />
    </Page>
  );
}
