/** « Plan du site » (RGAA 12.1: a second way to reach every page): the public pages, each consultation's and plan's pages, the back office. */
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { Link } from '../../router.tsx';
import { useApi } from '../../hooks.ts';
import type { ConsultationSummary, PlanSummary } from '../../types.ts';

export function SiteMapPage() {
  const list = useApi<{ items: ConsultationSummary[] }>('/consultations');
  const plans = useApi<{ items: PlanSummary[] }>('/plans');
  return (
    <Page title="Plan du site">
      <div style={{ overflowWrap: 'break-word' }}>
        <ul>
          <li>
            <Link href="/">Accueil : les consultations</Link>
            <ErrorAlert message={list.error} />
            {list.loading && !list.data ? <Loading what="Chargement des consultations" /> : null}
            {list.data?.items.length ? (
              <ul>
                {list.data.items.map((c) => (
                  <li key={c.slug}>
                    <Link href={`/consultations/${c.slug}`}>{c.title}</Link>
                    <ul>
                      {c.acceptsContributions ? <li><Link href={`/consultations/${c.slug}/contribuer`}>Contribuer</Link></li> : null}
                      <li><Link href={`/consultations/${c.slug}/contributions`}>Contributions publiées</Link></li>
                      <li><Link href={`/consultations/${c.slug}/chiffres`}>En chiffres</Link></li>
                      <li><Link href={`/consultations/${c.slug}/carte`}>Carte des réunions et des contributions</Link></li>
                      <li><Link href={`/consultations/${c.slug}/restitution`}>Restitution</Link></li>
                      <li><Link href={`/consultations/${c.slug}/facile`}>Restitution en version facile à lire</Link></li>
                    </ul>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
          <li><Link href="/agenda">Agenda des réunions</Link></li>
          {plans.data?.items.length ? (
            <li>
              Les schémas territoriaux de santé
              <ul>
                {plans.data.items.map((p) => (
                  <li key={p.id}>
                    <Link href={`/schemas/${encodeURIComponent(p.id)}`}>Le schéma territorial de santé — {p.territoryName}{p.period ? ` ${p.period.start}-${p.period.end}` : ''}</Link>
                    <ul>
                      {p.consultation ? <li><Link href={`/schemas/${encodeURIComponent(p.id)}/couverture`}>Ce que la consultation est devenue dans le schéma</Link></li> : null}
                      <li><Link href={`/schemas/${encodeURIComponent(p.id)}/suivi`}>Le suivi du schéma</Link></li>
                    </ul>
                  </li>
                ))}
              </ul>
            </li>
          ) : null}
          <li>
            <Link href="/connexion">Espace ARS : connexion</Link>
            <ul><li><Link href="/admin">Back-office (comptes de l’espace ARS)</Link></li></ul>
          </li>
          <li><Link href="/recherche">Rechercher dans le site</Link></li>
          <li><Link href="/donnees">Données ouvertes : les contributions publiées et les chiffres à télécharger</Link></li>
          <li><Link href="/accessibilite">Accessibilité</Link></li>
          <li><Link href="/mentions-legales">Mentions légales</Link></li>
          <li><Link href="/donnees-personnelles">Données personnelles</Link></li>
          <li><Link href="/gestion-des-cookies">Gestion des cookies</Link></li>
        </ul>
      </div>
    </Page>
  );
}
