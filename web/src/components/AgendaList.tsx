/** Meetings of the agenda (issue 16, point 5): date, time, place, kind, consultation, and « Ajouter à mon agenda ». */
import { Link } from '../router.tsx';
import { formatDate } from '../labels.ts';
import type { AgendaItem } from '../types.ts';

/** The calendar file of one meeting, or of a consultation's agenda, or of every consultation. */
export function icsHref(consultation?: string, meeting?: string): string {
  if (!consultation) return '/api/agenda.ics';
  return `/api/consultations/${encodeURIComponent(consultation)}/agenda.ics${meeting ? `?reunion=${encodeURIComponent(meeting)}` : ''}`;
}

/** « 09:00 » → « 9 h », « 18:30 » → « 18 h 30 » */
function clock(hhmm: string): string {
  const [h, m] = hhmm.split(':');
  return `${Number(h)} h${m === '00' ? '' : ` ${m}`}`;
}

function when(m: AgendaItem): string {
  const day = m.date ? formatDate(m.date) : m.dateText ?? 'date non communiquée';
  if (m.start) return m.end ? `${day}, de ${clock(m.start)} à ${clock(m.end)}` : `${day}, à ${clock(m.start)}`;
  return m.time ? `${day}, ${m.time}` : day;
}

export function AgendaList({ items, showConsultation, calendar = true, headingLevel = 3 }: {
  items: AgendaItem[]; showConsultation: boolean; calendar?: boolean; headingLevel?: 3 | 4;
}) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <ul className="agenda-list">
      {items.map((m) => (
        <li key={`${m.consultation.slug}/${m.id}`} className="agenda-item fr-p-2w fr-mb-2w">
          <H className="fr-h6 fr-mb-1v">{m.title}</H>
          <p className="fr-mb-1v"><strong>{when(m)}</strong></p>
          <p className="fr-text--sm fr-mb-1v">
            {m.kindLabel}{m.place ? <> — {m.place}</> : <> — lieu non communiqué</>}
          </p>
          {showConsultation ? (
            <p className="fr-text--sm fr-mb-1v">
              Consultation : <Link href={`/consultations/${encodeURIComponent(m.consultation.slug)}`}>{m.consultation.title}</Link>
            </p>
          ) : null}
          {calendar && m.date ? (
            <p className="fr-text--sm fr-mb-0">
              <a className="fr-link fr-icon-calendar-line fr-link--icon-left" href={icsHref(m.consultation.slug, m.id)} download>
                Ajouter à mon agenda<span className="fr-sr-only"> : {m.title}, {when(m)} (fichier iCalendar)</span>
              </a>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
