import { useEffect, type ReactNode } from 'react';
import { useAuth } from '../../auth.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { Loading } from '../../components/Page.tsx';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const { href } = useLocation();
  useEffect(() => {
    if (!loading && !user) navigate(`/connexion?suite=${encodeURIComponent(href)}`, { replace: true });
  }, [loading, user, href]);
  if (!user) return <div className="fr-container fr-my-4w"><Loading what="Vérification de la session" /></div>;
  return <>{children}</>;
}
