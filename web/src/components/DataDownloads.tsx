/** « Télécharger les données » of a consultation (issue 16): published contributions and public figures, CSV and JSON. */
import { Download } from '@codegouvfr/react-dsfr/Download';
import { count } from '../labels.ts';

export const LICENCE_URL = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';

/** `compact`: the files only (the catalogue /donnees says the licence and format once, above). */
export function DataDownloads({ slug, title, contributions, compact = false }: { slug: string; title: string; contributions: number; compact?: boolean }) {
  const base = `/api/consultations/${encodeURIComponent(slug)}/donnees`;
  const rows = count(contributions, 'contribution publiée', 'contributions publiées');
  const files = [
    { href: `${base}/contributions.csv`, label: `Contributions publiées — ${title} (tableur)`, details: `CSV – ${rows}` },
    { href: `${base}/contributions.json`, label: `Contributions publiées — ${title} (JSON)`, details: `JSON – ${rows}` },
    { href: `${base}/figures.csv`, label: `Chiffres publics — ${title} (tableur)`, details: 'CSV – thèmes, natures, réunions, canaux' },
    { href: `${base}/figures.json`, label: `Chiffres publics — ${title} (JSON)`, details: 'JSON – thèmes, natures, réunions, canaux' },
  ];
  const grid = (
    <div className="fr-grid-row fr-grid-row--gutters">
      {files.map((f) => (
        <div key={f.href} className="fr-col-12 fr-col-md-6">
          <Download label={f.label} details={f.details} linkProps={{ href: f.href, download: true }} className="fr-mb-0" />
        </div>
      ))}
    </div>
  );
  if (compact) return grid;
  return (
    <section aria-labelledby={`donnees-${slug}`} className="fr-mb-4w">
      <h2 id={`donnees-${slug}`}>Télécharger les données</h2>
      <p className="fr-text--sm">
        Les contributions publiées (texte pseudonymisé et modéré, thèmes, nature, réunion, date, département) et les chiffres publics,
        sous <a href={LICENCE_URL} target="_blank" rel="noopener" title="Licence Ouverte 2.0 (Etalab) – nouvelle fenêtre">Licence Ouverte 2.0 (Etalab)</a> :
        vous pouvez les réutiliser en citant la source. Les fichiers CSV s’ouvrent dans un tableur (encodage UTF-8, colonnes séparées par des points-virgules).
      </p>
      {grid}
    </section>
  );
}
