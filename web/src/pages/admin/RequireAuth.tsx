import { useEffect, type ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { allows, useAuth } from '../../auth.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { Loading, Page } from '../../components/Page.tsx';
import { forbiddenSectionMessage } from '../../../../src/domain/roles.ts';
import type { Section } from '../../types.ts';

/**
 * A back-office page: signed-in users only, and only those whose role may use its section (the API's
 * list, so a page the API would refuse is never rendered half-way into errors).
 */
export function RequireAuth({ children, section }: { children: ReactNode; section?: Section }) {
  const { user, loading } = useAuth();
  const { href } = useLocation();
  useEffect(() => {
    if (!loading && !user) navigate(`/connexion?suite=${encodeURIComponent(href)}`, { replace: true });
    // an owner (« porteur d’action ») only has the follow-up: its home is the list of its actions
    else if (user && href === '/admin' && user.sections.length === 1 && user.sections[0] === 'followup') navigate('/admin/suivi', { replace: true });
  }, [loading, user, href]);
  if (!user) return <div className="fr-container fr-my-4w"><Loading what="Vérification de la session" /></div>;
  if (section && !allows(user, section)) {
    return (
      <Page title="Accès non autorisé" crumbs={[{ label: 'Back-office', href: '/admin' }]}>
        <Alert severity="warning" className="fr-mb-3w" title="Cette partie ne vous est pas ouverte" description={forbiddenSectionMessage(section)} />
        <p>
          Vous pouvez revenir à <Link href="/admin">la liste de vos consultations</Link>, où figurent les parties que votre rôle permet
          d’utiliser. Si vous pensez devoir y accéder, demandez-le à un administrateur.
        </p>
      </Page>
    );
  }
  return <>{children}</>;
}
