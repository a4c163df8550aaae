import { Page } from '../../components/Page.tsx';
import { Link } from '../../router.tsx';

/** Any path no route matches; the server answers it with a 404 status (src/domain/site.ts WEB_PAGE_ROUTES). */
export function NotFoundPage() {
  return (
    <Page title="Page introuvable">
      <p>La page demandée n’existe pas ou a été déplacée. Si vous avez tapé l’adresse, vérifiez-la.</p>
      <ul>
        <li><Link href="/">Revenir à la liste des consultations</Link></li>
        <li><Link href="/plan-du-site">Consulter le plan du site</Link></li>
      </ul>
    </Page>
  );
}
