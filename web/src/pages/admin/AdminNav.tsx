import { allows, useAuth } from '../../auth.tsx';
import { Link } from '../../router.tsx';
import { SECTION_LABELS } from '../../../../src/domain/roles.ts';
import type { Section } from '../../types.ts';

/** The back-office pages of a consultation: address suffix and the section (of the API's role table) each belongs to. */
export const CONSULTATION_TABS: [suffix: string, section: Section][] = [
  ['', 'meetings'],
  ['/import', 'import'],
  ['/moderation', 'moderation'],
  ['/analyse', 'analysis'],
  ['/synthese', 'synthesis'],
];

/** Sub-navigation of a consultation in the back office: only the sections the user's role may use. */
export function AdminNav({ slug, current }: { slug: string; current: string }) {
  const { user } = useAuth();
  const tabs = CONSULTATION_TABS.filter(([, section]) => allows(user, section)).map(([suffix, section]) => [suffix, SECTION_LABELS[section]] as const);
  return (
    <nav className="fr-mb-4w admin-nav" aria-label="Étapes de la consultation">
      <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-md fr-btns-group--sm">
        {tabs.map(([suffix, label]) => (
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
