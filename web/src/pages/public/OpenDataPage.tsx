/** « Données ouvertes » (/donnees): every public consultation's downloads, the licence and the format. */
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataDownloads, LICENCE_URL } from '../../components/DataDownloads.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import type { ConsultationSummary } from '../../types.ts';

export function OpenDataPage() {
  const list = useApi<{ items: ConsultationSummary[] }>('/consultations');
  return (
    <Page title="Données ouvertes">
      <p>
        Pour chaque consultation, vous pouvez télécharger les contributions publiées et les chiffres publics.
        Seules les contributions relues par la modération sont publiées : leur texte est pseudonymisé (noms, adresses,
        téléphones masqués) et le lieu de la personne est donné au niveau du département seulement.
      </p>
      <h2>Licence et format</h2>
      <ul>
        <li>Licence : <a href={LICENCE_URL} target="_blank" rel="noopener" title="Licence Ouverte 2.0 (Etalab) – nouvelle fenêtre">Licence Ouverte / Open Licence 2.0 (Etalab)</a>. Citez « Fabrique » et la consultation.</li>
        <li>Tableur (CSV) : encodage UTF-8 avec marque d’ordre, colonnes séparées par des points-virgules, virgule décimale : il s’ouvre tel quel dans un tableur réglé en français.</li>
        <li>JSON : les mêmes données, avec la licence et la date d’extraction.</li>
        <li>Les chiffres sont ceux des pages « En chiffres » : mêmes contributions, mêmes totaux.</li>
      </ul>
      <h2>Les consultations</h2>
      <ErrorAlert message={list.error} />
      {list.loading && !list.data ? <Loading what="Chargement des consultations" /> : null}
      {list.data && list.data.items.length === 0 ? <p>Aucune consultation publique pour l’instant.</p> : null}
      {list.data?.items.map((c) => (
        <section key={c.slug} className="fr-mb-4w" aria-labelledby={`donnees-${c.slug}`}>
          <h3 id={`donnees-${c.slug}`} className="fr-h5"><Link href={`/consultations/${c.slug}`}>{c.title}</Link> — {c.territory.name}</h3>
          <DataDownloads slug={c.slug} title={c.title} contributions={c.counts.contributions} compact />
        </section>
      ))}
    </Page>
  );
}
