import { BarChart, MISSING, type Bar } from '../../components/BarChart.tsx';
import { Loading, ErrorAlert } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { nf } from '../../labels.ts';
import type { TerritoryIndicators as Indicators } from '../../types.ts';

const show = (v: number | null) => (v === null ? MISSING : nf.format(v));

/**
 * "Indicateurs du territoire": the consultation territory's indicators (data repère), one chart per
 * indicator comparing the territory with its région and France, each followed by its table and source.
 * A missing figure is written « donnée manquante », never drawn as 0.
 */
export function TerritoryIndicators({ slug }: { slug: string }) {
  const res = useApi<Indicators>(`/consultations/${encodeURIComponent(slug)}/indicators`);
  const d = res.data;
  return (
    <section className="fr-mt-6w" aria-labelledby="indicateurs-titre">
      <h2 id="indicateurs-titre">Indicateurs du territoire</h2>
      {res.loading ? <Loading what="Chargement des indicateurs" /> : null}
      <ErrorAlert message={res.error} />
      {d ? <IndicatorCharts data={d} /> : null}
    </section>
  );
}

/**
 * The charts of a territory's indicators (one per indicator, territory vs région vs France, each followed by its
 * table and source): the consultation's « En chiffres » page and the plan's data repère share them.
 */
export function IndicatorCharts({ data: d, intro = 'Données repères du diagnostic territorial' }: { data: Indicators; intro?: string }) {
  const region = d.territory.level === 'departement' ? d.territory.region : null;
  return (
    <>
      {d.items.length === 0 ? (
        <p>Aucun indicateur n’est encore disponible pour ce territoire.</p>
      ) : null}
      {d.items.length > 0 ? (
        <>
          <p>
            {intro} : {d.territory.name}
            {region ? `, comparé à la région ${region.name} et à la France` : ', comparé à la France'}.
            Une valeur absente de la source est indiquée « {MISSING} ».
          </p>
          <div className="fr-grid-row fr-grid-row--gutters">
            {d.items.map((i) => {
              const bars: Bar[] = [
                { label: d.territory.name, value: i.value },
                ...(region ? [{ label: region.name, value: i.regionValue }] : []),
                { label: 'France', value: i.franceValue },
              ];
              const unit = i.unit ? ` (${i.unit})` : '';
              // a plan's data repère print no reference year: none is shown rather than a made-up one
              const year = i.year !== null ? ` (${i.year})` : '';
              const summary = `${i.label}${i.year !== null ? `, ${i.year}` : ''}${unit} : ${bars.map((b) => `${b.label} ${show(b.value)}`).join(' ; ')}. Détail dans le tableau qui suit.`;
              return (
                <div key={`${i.id}-${i.year}`} className="fr-col-12 fr-col-lg-6">
                  <BarChart
                    title={`${i.label}${year}`}
                    bars={bars}
                    summary={summary}
                    headers={['Territoire', `Valeur${unit}`]}
                    note={<>Source : {i.source ?? 'non précisée'}{i.unit ? ` — unité : ${i.unit}` : ''}.</>}
                  />
                </div>
              );
            })}
          </div>
        </>
      ) : null}
    </>
  );
}
