import { BarChart, MISSING, type Bar } from '../../components/BarChart.tsx';
import { Loading, ErrorAlert } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { withUnit } from '../../components/IndicatorChart.tsx';
import type { TerritoryIndicators as Indicators } from '../../types.ts';

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
 * Whether the figures of one indicator can be drawn as bars on one scale across territories of different sizes: a
 * rate, a share, a density or an average (« % », « pour 100 000 habitants », « par km² », « années »…) compares a
 * département with France; a count (« habitants ») does not: 279 600 drawn beside 67,6 millions is a bar too short to
 * see. A unit that says neither is drawn only if the figures are of one order of magnitude (at most five times apart).
 */
export function comparableAcrossTerritories(unit: string | null, values: (number | null)[]): boolean {
  if (unit && /%|‰|\bpour\b|\bpar\b|\/|\bann[ée]es?\b|\bans\b|\bjours?\b|\bmois\b|\bratio\b|\btaux\b|\bindice\b/iu.test(unit)) return true;
  const known = values.filter((v): v is number => v !== null && v > 0);
  if (known.length < 2) return true;
  return Math.max(...known) / Math.min(...known) <= 5;
}

const pctOf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/**
 * The charts of a territory's indicators (one per indicator, territory vs région vs France, each followed by its
 * table and source): the consultation's « En chiffres » page and the plan's data repère share them. Rates are drawn
 * as bars on the indicator's own scale; counts are printed as numbers, with the territory's share of France.
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
            Les taux et les parts sont dessinés en barres, chaque indicateur sur sa propre échelle ; les effectifs
            (une population…) sont donnés en chiffres. Une valeur absente de la source est indiquée « {MISSING} ».
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
              const drawBars = comparableAcrossTerritories(i.unit, bars.map((b) => b.value));
              const france = i.franceValue;
              // a count: what share of France it is (« 0,4 % de la France »), the comparison a bar could not show
              const share = (v: number) => (!drawBars && france && france > 0 && v < france ? ` (${pctOf.format((v / france) * 100)} % de la France)` : '');
              return (
                <div key={`${i.id}-${i.year}`} className="fr-col-12 fr-col-lg-6">
                  <BarChart
                    title={`${i.label}${year}`}
                    bars={bars}
                    drawBars={drawBars}
                    format={(v) => `${withUnit(v, i.unit ?? '')}${share(v)}`}
                    headers={['Territoire', `Valeur${unit}`]}
                    note={<>Source : {i.source ?? 'non précisée'}{i.unit ? ` — unité : ${i.unit}` : ''}.{drawBars ? null : ' Effectifs de tailles trop différentes pour une même échelle : ils sont donnés en chiffres.'}</>}
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
