/** « Agenda des réunions » (issue 16, point 5): upcoming meetings of every public consultation, by date; undated and past ones apart. */
import { AgendaList, icsHref } from '../../components/AgendaList.tsx';
import { ErrorAlert, Loading, Page } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { count } from '../../labels.ts';
import type { AgendaView } from '../../types.ts';

export function AgendaPage() {
  const { data, error, loading } = useApi<AgendaView>('/agenda');
  return (
    <Page title="Agenda des réunions">
      <p>Les ateliers et réunions des consultations ouvertes au public, les plus proches d’abord.</p>
      <p>
        <a className="fr-btn fr-btn--secondary fr-icon-calendar-line fr-btn--icon-left" href={icsHref()} download>
          Ajouter tout l’agenda à mon agenda
        </a>
      </p>
      <p className="fr-text--sm">
        Un fichier iCalendar (.ics), que lisent les agendas des téléphones et des messageries. Les réunions dont la date
        n’est pas complète (sans année) n’y figurent pas.
      </p>
      <ErrorAlert message={error} />
      {loading && !data ? <Loading what="Chargement de l’agenda" /> : null}
      {data ? <AgendaSections agenda={data} showConsultation /> : null}
    </Page>
  );
}

/** The three parts of an agenda, under h2 headings. */
export function AgendaSections({ agenda, showConsultation }: { agenda: AgendaView; showConsultation: boolean }) {
  return (
    <>
      <h2>À venir</h2>
      {agenda.upcoming.length ? (
        <>
          <p>{count(agenda.upcoming.length, 'réunion à venir', 'réunions à venir')}.</p>
          <AgendaList items={agenda.upcoming} showConsultation={showConsultation} />
        </>
      ) : <p>Aucune réunion à venir n’est annoncée pour le moment.</p>}
      {agenda.undated.length ? (
        <>
          <h2>Date à préciser</h2>
          <p className="fr-text--sm">La date de ces réunions est connue sans son année, ou c’est une période : elles ne peuvent être ajoutées à un agenda.</p>
          <AgendaList items={agenda.undated} showConsultation={showConsultation} calendar={false} />
        </>
      ) : null}
      {agenda.past.length ? (
        <>
          <h2>Réunions passées</h2>
          <AgendaList items={agenda.past} showConsultation={showConsultation} calendar={false} />
        </>
      ) : null}
    </>
  );
}
