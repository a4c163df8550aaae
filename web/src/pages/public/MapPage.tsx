/**
 * « Carte » of a consultation (issue 16, point 5): the outlines of its département(s) with their figures, each a
 * keyboard-focusable area with a name; meetings by commune and published contributions by postcode area in tables
 * (the text alternative), with the publication threshold stated; the licences of the map's data.
 * A lazy chunk: the outlines come from the server, only those of this consultation and its neighbours.
 */
import { useState } from 'react';
import { ConsultationNav } from './ConsultationPage.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert, Loading, Page } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { count, formatDate, nf } from '../../labels.ts';
import type { ConsultationDetail, MapView } from '../../types.ts';

type Departement = MapView['departements'][number];

function contributionsText(n: number | null, threshold: number): string {
  return n === null ? `moins de ${threshold} contributions publiées` : count(n, 'contribution publiée', 'contributions publiées');
}

function areaName(d: Departement, threshold: number): string {
  return `${d.name} (${d.code}) : ${count(d.meetings, 'réunion', 'réunions')}, ${contributionsText(d.contributions, threshold)}`;
}

function MapDrawing({ map }: { map: MapView }) {
  const [selected, setSelected] = useState<string | null>(null);
  const drawn = map.departements.filter((d) => d.path);
  if (!map.viewBox || drawn.length === 0) {
    return <p>Aucun contour n’est disponible pour ce territoire : les réunions et les contributions sont dans les tableaux ci-dessous.</p>;
  }
  const [vx, vy, vw, vh] = map.viewBox.split(' ').map(Number) as [number, number, number, number];
  const current = map.departements.find((d) => d.code === selected);
  return (
    <figure className="map-figure fr-mb-4w" aria-labelledby="map-caption">
      <div className="map-canvas">
        <svg viewBox={map.viewBox} role="group" aria-label={`Carte : ${map.consultation.territoryName}`} preserveAspectRatio="xMidYMid meet">
          <g aria-hidden="true" className="map-context">
            {map.context.map((c) => <path key={c.code} d={c.path} />)}
          </g>
          {drawn.map((d) => (
            <path
              key={d.code} d={d.path!} className={`map-area${selected === d.code ? ' map-area--selected' : ''}`}
              tabIndex={0} role="img" aria-label={areaName(d, map.contributions.threshold)}
              onFocus={() => setSelected(d.code)} onClick={() => setSelected(d.code)}
            />
          ))}
        </svg>
        {drawn.filter((d) => d.labelAt).map((d) => (
          <span
            key={d.code} className="map-label" aria-hidden="true"
            style={{ left: `${((d.labelAt![0] - vx) / vw) * 100}%`, top: `${((d.labelAt![1] - vy) / vh) * 100}%` }}
          >
            <strong>{d.name}</strong><br />{count(d.meetings, 'réunion', 'réunions')}
          </span>
        ))}
      </div>
      <p className="fr-text--sm fr-mt-1w fr-mb-0" aria-live="polite">
        {current ? areaName(current, map.contributions.threshold) : 'Sélectionnez un département (touche Tab) pour lire ses chiffres.'}
      </p>
      <figcaption id="map-caption" className="fr-text--sm">
        {map.consultation.level === 'region' ? 'Les départements de la région' : 'Le département'} de la consultation, avec ses voisins en gris.
        Aucune donnée ouverte disponible hors ligne ne donne la position des communes : les réunions sont placées dans leur
        département et rangées par commune dans le tableau ci-dessous.
      </figcaption>
    </figure>
  );
}

export function MapPage({ slug }: { slug: string }) {
  const { data: map, error, loading } = useApi<MapView>(`/consultations/${encodeURIComponent(slug)}/carte`);
  const detail = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const title = map ? `Carte — ${map.consultation.title}` : 'Carte de la consultation';
  if (loading && !map) return <Page title={title}><Loading what="Chargement de la carte" /></Page>;
  if (error || !map) return <Page title="Carte introuvable"><ErrorAlert message={error ?? 'Consultation introuvable.'} /></Page>;
  const k = map.contributions.threshold;
  const c = map.contributions;
  const withoutPostcode = c.total - c.withPostcode;
  return (
    <Page title={title} crumbs={[{ label: 'Consultations', href: '/' }, { label: map.consultation.title, href: `/consultations/${encodeURIComponent(slug)}` }]}>
      <ConsultationNav slug={slug} current="/carte" open={detail.data?.acceptsContributions ?? false} />
      <p>
        Où se sont tenues les réunions de la consultation, et d’où viennent les contributions publiées, d’après le code
        postal que les personnes ont indiqué sur le formulaire en ligne.
      </p>
      <MapDrawing map={map} />

      <h2>Réunions par commune</h2>
      {map.meetings.length === 0 ? <p>Aucune réunion déclarée.</p> : (
        <DataTable
          className="table--wrap"
          caption="Réunions par commune : la commune reconnue dans le lieu annoncé"
          headers={['Commune', 'Réunion', 'Date', 'Lieu annoncé']}
          rows={map.meetings.map((m) => [
            m.commune ? m.commune.name : <span className="nc">commune non reconnue</span>,
            <>{m.title} <span className="fr-text--xs">({m.kindLabel})</span></>,
            m.date ? formatDate(m.date) : m.dateText ?? <span className="nc">non communiquée</span>,
            m.place ?? <span className="nc">non communiqué</span>,
          ])}
        />
      )}

      <h2>Contributions publiées par commune</h2>
      <div className="fr-callout fr-mb-3w">
        <p className="fr-callout__text fr-text--md">
          Pour que personne ne puisse être reconnu, un secteur (les communes d’un même code postal) n’est nommé qu’à partir
          de {k} contributions publiées. Les secteurs plus petits sont réunis dans « autres communes », dont le nombre
          n’est donné qu’à partir de {k} lui aussi. Seules les contributions publiées sont comptées ; le code postal
          n’est jamais publié avec une contribution.
        </p>
      </div>
      <p>
        {count(c.total, 'contribution publiée', 'contributions publiées')} au total, dont {nf.format(c.withPostcode)} comptées
        ci-dessous par secteur postal{withoutPostcode > 0 ? ` ; ${count(withoutPostcode, 'autre vient', 'autres viennent')} des ateliers, des documents importés, de personnes qui n’ont pas indiqué de code postal ou de secteurs trop petits pour être comptés` : ''}.
      </p>
      {c.withPostcode === 0 && !c.merged ? <p>Aucune contribution publiée n’indique de code postal pour le moment.</p> : (
        <DataTable
          className="table--wrap"
          caption={`Contributions publiées par secteur postal (au moins ${k})`}
          headers={['Communes du secteur', 'Code postal', 'Contributions publiées']}
          rows={[
            ...c.areas.map((a) => [a.communes.join(', '), a.postcode, nf.format(a.count)]),
            ...(c.merged ? [[
              c.othersAreas > 0 ? `Autres communes (${count(c.othersAreas, 'secteur', 'secteurs')} de moins de ${k})` : `Autres communes (secteurs de moins de ${k})`, '—',
              c.others === null ? `moins de ${k}` : nf.format(c.others),
            ]] : []),
          ]}
        />
      )}

      <h2>Sources des données de la carte</h2>
      <ul>
        {map.attributions.map((a) => (
          <li key={a.what}>{a.what} : {a.source}, licence <a href={a.licenceUrl} rel="noopener noreferrer" target="_blank" title={`${a.licence} (nouvelle fenêtre)`}>{a.licence}</a>.</li>
        ))}
      </ul>
    </Page>
  );
}
