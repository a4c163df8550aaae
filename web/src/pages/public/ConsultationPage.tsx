import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { COLLEGES, COLLEGE_SHORT, MEETING_KIND_LABELS, STATUS_LABELS, formatDate, formatPeriod, nf } from '../../labels.ts';
import type { AgendaView, ConsultationDetail, Meeting, PlanSummary, PublicEasyRead } from '../../types.ts';
import { AgendaList, icsHref } from '../../components/AgendaList.tsx';
import { SubscribeForm } from './Engagement.tsx';
import { formatMeetingTime } from '../../../../src/domain/meeting.ts';
import { DataDownloads } from '../../components/DataDownloads.tsx';

const NC = 'non communiqué';

function count(v: number | null): string {
  return v === null ? NC : nf.format(v);
}

export function meetingDate(m: Meeting): string {
  const d = m.date ? formatDate(m.date) : m.dateText ?? 'date non communiquée';
  return m.time ? `${d}, ${formatMeetingTime(m.time)}` : d;
}

/** Sub-navigation shared by the public pages of a consultation. */
export function ConsultationNav({ slug, current, open }: { slug: string; current: string; open: boolean }) {
  const links: [string, string][] = [
    ['', 'Présentation'],
    ...(open ? ([['/contribuer', 'Contribuer']] as [string, string][]) : []),
    ['/contributions', 'Contributions publiées'],
    ['/chiffres', 'En chiffres'],
    ['/carte', 'Carte'],
    ['/restitution', 'Restitution'],
  ];
  return (
    <nav className="fr-mb-4w" aria-label="Pages de la consultation">
      <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-md fr-btns-group--sm">
        {links.map(([suffix, label]) => (
          <li key={suffix}>
            <Link
              href={`/consultations/${slug}${suffix}`}
              className={`fr-btn ${suffix === current ? '' : 'fr-btn--secondary'}`}
              aria-current={suffix === current ? 'page' : undefined}
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function ConsultationPage({ slug }: { slug: string }) {
  const { data: c, error, loading } = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const plans = useApi<{ items: PlanSummary[] }>(`/plans?consultation=${encodeURIComponent(slug)}`);
  const plan = plans.data?.items[0];
  const agenda = useApi<AgendaView>(`/agenda?consultation=${encodeURIComponent(slug)}`);
  const easy = useApi<PublicEasyRead>(`/consultations/${encodeURIComponent(slug)}/facile`);
  if (loading && !c) return <Page title="Consultation"><Loading /></Page>;
  if (error || !c) return <Page title="Consultation introuvable"><ErrorAlert message={error ?? 'Consultation introuvable.'} /></Page>;
  return (
    <Page title={c.title} crumbs={[{ label: 'Consultations', href: '/' }]}>
      <p>
        <Badge severity={c.status === 'open' ? 'success' : 'info'} noIcon small>{STATUS_LABELS[c.status]}</Badge>{' '}
        <span className="fr-ml-1w">{c.territory.name} ({c.territory.code}) — {formatPeriod(c.periodStart, c.periodEnd)}</span>
      </p>
      {c.description ? <p>{c.description}</p> : null}
      {c.reopenedUntil && c.acceptsContributions ? <p className="fr-text--sm">Rouverte aux contributions jusqu’au {formatDate(c.reopenedUntil)} inclus.</p> : null}
      {!c.acceptsContributions && c.status === 'closed' && c.closedReason ? <p className="fr-text--sm">{c.closedReason}</p> : null}
      <ConsultationNav slug={slug} current="" open={c.acceptsContributions} />
      {plan ? (
        <p>
          <Link href={`/schemas/${encodeURIComponent(plan.id)}`}>Le schéma territorial de santé — {plan.territoryName}{plan.period ? ` ${plan.period.start}-${plan.period.end}` : ''}</Link>{' '}
          : le plan écrit à partir de cette consultation.{' '}
          <Link href={`/schemas/${encodeURIComponent(plan.id)}/suivi`}>Que sont devenues vos propositions ? Le suivi du schéma</Link>
        </p>
      ) : null}

      {easy.data ? (
        <p><Link href={`/consultations/${slug}/facile`}>Ce que vous avez dit, en version facile à lire</Link></p>
      ) : null}

      <h2>Thèmes</h2>
      <ol className="theme-list">
        {c.themes.map((t) => (
          <li key={t.code} className="fr-mb-2w">
            <strong>{t.label}</strong>
            {t.local ? <> <Badge small noIcon severity="new">Thème local</Badge></> : null}
            {t.description ? <p className="fr-text--sm fr-mb-0">{t.description}</p> : null}
          </li>
        ))}
      </ol>

      <h2>Prochaines réunions</h2>
      {agenda.data ? (
        agenda.data.upcoming.length ? (
          <>
            <AgendaList items={agenda.data.upcoming} showConsultation={false} />
            <p>
              <a className="fr-btn fr-btn--secondary fr-icon-calendar-line fr-btn--icon-left" href={icsHref(slug)} download>
                Ajouter les réunions de la consultation à mon agenda
              </a>
            </p>
          </>
        ) : <p>Aucune réunion à venir n’est annoncée pour le moment.</p>
      ) : null}
      <p>
        <Link href="/agenda">L’agenda de toutes les consultations</Link>{' — '}
        <Link href={`/consultations/${encodeURIComponent(slug)}/carte`}>La carte des réunions et des contributions</Link>
      </p>

      <h2>Réunions et participants</h2>
      {c.meetings.length === 0 ? (
        <p>Aucune réunion déclarée.</p>
      ) : (
        <>
          <DataTable
            className="table--wrap"
            caption="Réunions : lieu, date et participants par collège"
            headers={['Réunion et lieu', 'Date', ...COLLEGES.map((k) => COLLEGE_SHORT[k]), 'Total']}
            rows={c.meetings.map((m) => [
              <>{m.title} <span className="fr-text--xs meeting-kind">({MEETING_KIND_LABELS[m.kind] ?? m.kind})</span><br /><span className="fr-text--sm meeting-place">{m.place ?? `lieu ${NC}`}</span></>,
              meetingDate(m),
              ...COLLEGES.map((k) => <span className={m.participants[k] === null ? 'nc' : undefined}>{count(m.participants[k])}</span>),
              <span className={m.participants.total === null ? 'nc' : undefined}>{count(m.participants.total)}</span>,
            ])}
          />
          <p className="fr-text--sm">« non communiqué » : le compte-rendu ne donne pas ce nombre (ce n’est pas zéro).</p>
        </>
      )}
      <SubscribeForm slug={c.slug} />

      <DataDownloads slug={c.slug} title={c.title} contributions={c.counts.contributions} />
    </Page>
  );
}
