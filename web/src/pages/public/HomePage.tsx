import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { Cartogram } from '../../components/Cartogram.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { STATUS_LABELS, formatPeriod, nf } from '../../labels.ts';
import type { ConsultationSummary, PlanSummary, Territory } from '../../types.ts';

export function HomePage() {
  const list = useApi<{ items: ConsultationSummary[] }>('/consultations');
  const terr = useApi<{ items: Territory[] }>('/territories');
  const plans = useApi<{ items: PlanSummary[] }>('/plans');
  const items = list.data?.items ?? [];
  return (
    <Page
      title="Les consultations en santé dans les territoires"
      lead="Ateliers, contributions en ligne et restitutions : ce que les habitants, les élus et les professionnels ont dit, et ce qu’il en est advenu."
    >
      <div className="fr-grid-row fr-grid-row--gutters">
        <section className="fr-col-12 fr-col-lg-7" aria-labelledby="liste-titre">
          <h2 id="liste-titre">Consultations</h2>
          {list.loading ? <Loading what="Chargement des consultations" /> : null}
          <ErrorAlert message={list.error} />
          {!list.loading && items.length === 0 && !list.error ? <p>Aucune consultation publiée pour le moment.</p> : null}
          <ul className="consultation-list">
            {items.map((c) => (
              <li key={c.slug} className="fr-card fr-card--horizontal fr-enlarge-link fr-mb-3w">
                <div className="fr-card__body">
                  <div className="fr-card__content">
                    <h3 className="fr-card__title">
                      <Link href={`/consultations/${c.slug}`}>{c.title}</Link>
                    </h3>
                    <p className="fr-card__desc">
                      {c.territory.name} ({c.territory.code}) — {formatPeriod(c.periodStart, c.periodEnd)}
                    </p>
                    <div className="fr-card__start">
                      <Badge severity={c.status === 'open' ? 'success' : c.status === 'published' ? 'info' : undefined} noIcon small>
                        {STATUS_LABELS[c.status]}
                      </Badge>
                    </div>
                    <p className="fr-card__end fr-text--sm">
                      {nf.format(c.counts.meetings)} réunion{c.counts.meetings > 1 ? 's' : ''} · {nf.format(c.counts.themes)} thèmes ·{' '}
                      {nf.format(c.counts.contributions)} contribution{c.counts.contributions > 1 ? 's' : ''} publiée{c.counts.contributions > 1 ? 's' : ''}
                    </p>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          {plans.data && plans.data.items.length ? (
            <section aria-labelledby="plans-titre" className="fr-mt-4w">
              <h2 id="plans-titre">Les schémas territoriaux de santé</h2>
              <p>Ce que l’agence régionale de santé et le conseil territorial de santé ont écrit à partir des consultations.</p>
              <ul>
                {plans.data.items.map((p) => (
                  <li key={p.id}>
                    <Link href={`/schemas/${encodeURIComponent(p.id)}`}>Le schéma territorial de santé — {p.territoryName}{p.period ? ` ${p.period.start}-${p.period.end}` : ''}</Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </section>
        <section className="fr-col-12 fr-col-lg-5" aria-labelledby="carte-titre">
          <h2 id="carte-titre">Où se tiennent-elles ?</h2>
          {terr.loading ? <Loading what="Chargement de la carte" /> : null}
          <ErrorAlert message={terr.error} />
          {terr.data ? (
            <Cartogram
              caption="Chaque carré représente un département, placé selon la position de sa préfecture ; en bleu, les départements où une consultation a lieu."
              items={terr.data.items.map((t) => {
                const first = items.find((c) => c.territory.code === t.code);
                return {
                  code: t.code,
                  name: t.name,
                  count: t.consultations,
                  href: first ? `/consultations/${first.slug}` : '/',
                };
              })}
            />
          ) : null}
        </section>
      </div>
    </Page>
  );
}
