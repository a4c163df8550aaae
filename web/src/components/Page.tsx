import { useEffect, useRef, type ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { takeFocusRequest, usePageTitle } from '../router.tsx';

export interface Crumb { label: string; href: string }

/** A page: document title, breadcrumb, h1 (focused after navigation so screen readers announce it). */
export function Page({ title, crumbs = [], children, lead }: { title: string; crumbs?: Crumb[]; children: ReactNode; lead?: ReactNode }) {
  usePageTitle(title);
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) h1.current?.focus();
  }, [title]);
  return (
    <div className="fr-container fr-pb-6w">
      {crumbs.length > 0 ? (
        <Breadcrumb
          currentPageLabel={title}
          homeLinkProps={{ href: '/' }}
          segments={crumbs.map((c) => ({ label: c.label, linkProps: { href: c.href } }))}
        />
      ) : (
        <div className="fr-mt-4w" />
      )}
      <h1 ref={h1} tabIndex={-1} className="page-title">
        {title}
      </h1>
      {lead ? <p className="fr-text--lead">{lead}</p> : null}
      {children}
    </div>
  );
}

export function Loading({ what = 'Chargement' }: { what?: string }) {
  return (
    <p role="status" className="fr-text--sm">
      {what}…
    </p>
  );
}

export function ErrorAlert({ message, title = 'Une erreur est survenue' }: { message: string | undefined; title?: string }) {
  if (!message) return null;
  return <Alert severity="error" title={title} description={message} className="fr-mb-3w" small={false} />;
}

/** Polite live region, visually hidden. */
export function LiveRegion({ message, id }: { message: string; id?: string }) {
  return (
    <div id={id} className="fr-sr-only" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
