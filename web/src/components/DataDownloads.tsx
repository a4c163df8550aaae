/** « Télécharger les données » of a consultation (issue 16): published contributions and public figures, CSV and JSON. */
import { Download } from '@codegouvfr/react-dsfr/Download';
import { count } from '../labels.ts';

export const LICENCE_URL = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';

export function DataDownloads({ slug, title, contributions, headingLevel = 'h2' }: { slug: string; title: string; contributions: number; headingLevel?: 'h2' | 'h3' }) {
  const base = `/api/consultations/${encodeURIComponent(slug)}/donnees`;
  const H = headingLevel;
  const rows = count(contributions, 'contribution publiée', 'contributions publiées');
  const files = [
    { href: `${base}/contributions.csv`, label: `Contributions publiées — ${title} (tableur)`, details: `CSV séparé par des points-virgules – ${rows}` },
    { href: `${base}/contributions.json`, label: `Contributions publiées — ${title} (JSON)`, details: `JSON – ${rows}` },
    { href: `${base}/figures.csv`, label: `Chiffres publics — ${title} (tableur)`, details: 'CSV séparé par des points-virgules – par thème, nature, réunion, collège et canal' },
    { href: `${base}/figures.json`, label: `Chiffres publics — ${title} (JSON)`, details: 'JSON – par thème, nature, réunion, collège et canal' },
  ];
  return (
    <section aria-labelledby={`donnees-${slug}`} className="fr-mb-4w">
      <H id={`donnees-${slug}`} className={H === 'h3' ? 'fr-h5' : undefined}>Télécharger les données</H>
      <p className="fr-text--sm">
        Les contributions publiées (texte pseudonymisé et modéré, thèmes, nature, réunion, date, département) et les chiffres publics,
        sous <a href={LICENCE_URL} target="_blank" rel="noopener" title="Licence Ouverte 2.0 (Etalab) – nouvelle fenêtre">Licence Ouverte 2.0 (Etalab)</a> :
        vous pouvez les réutiliser en citant la source. Les fichiers CSV s’ouvrent dans un tableur (encodage UTF-8, colonnes séparées par des points-virgules).
      </p>
      <div className="fr-grid-row fr-grid-row--gutters">
        {files.map((f) => (
          <div key={f.href} className="fr-col-12 fr-col-md-6">
            <Download label={f.label} details={f.details} linkProps={{ href: f.href, download: true }} className="fr-mb-0" />
          </div>
        ))}
      </div>
    </section>
  );
}
