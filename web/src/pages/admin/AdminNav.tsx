import { Link } from '../../router.tsx';

const TABS: [string, string][] = [
  ['', 'Consultation et réunions'],
  ['/import', 'Import'],
  ['/moderation', 'Modération'],
  ['/analyse', 'Analyse'],
  ['/synthese', 'Synthèse'],
];

/** Sub-navigation of a consultation in the back office. */
export function AdminNav({ slug, current }: { slug: string; current: string }) {
  return (
    <nav className="fr-mb-4w admin-nav" aria-label="Étapes de la consultation">
      <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-md fr-btns-group--sm">
        {TABS.map(([suffix, label]) => (
          <li key={suffix}>
            <Link
              href={`/admin/consultations/${slug}${suffix}`}
              className={`fr-btn ${suffix === current ? '' : 'fr-btn--secondary'}`}
              aria-current={suffix === current ? 'page' : undefined}
            >
              {label}
            </Link>
          </li>
        ))}
        <li>
          <Link href={`/consultations/${slug}`} className="fr-btn fr-btn--tertiary">Page publique</Link>
        </li>
      </ul>
    </nav>
  );
}

export const adminCrumbs = (slug?: string, title?: string) => [
  { label: 'Back-office', href: '/admin' },
  ...(slug ? [{ label: title ?? slug, href: `/admin/consultations/${slug}` }] : []),
];
