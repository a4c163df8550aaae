import { Page } from '../../components/Page.tsx';
import { Link, useLocation } from '../../router.tsx';

export function NotFoundPage() {
  const { path } = useLocation();
  if (path === '/accessibilite') {
    return (
      <Page title="Accessibilité" crumbs={[]}>
        <p>
          Fabrique vise la conformité au référentiel général d’amélioration de l’accessibilité (RGAA). Les pages publiques et
          le back-office sont vérifiés automatiquement (axe-core, critères WCAG 2.1 niveaux A et AA) et au clavier. Chaque
          graphique est accompagné de son tableau de données.
        </p>
        <p>Déclaration : partiellement conforme (audit manuel complet non réalisé).</p>
      </Page>
    );
  }
  if (path === '/mentions-legales') {
    return (
      <Page title="Mentions légales">
        <p>
          Les contributions publiées sont pseudonymisées : adresses, numéros de téléphone et noms sont masqués avant publication,
          après modération par l’agence régionale de santé.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Page introuvable">
      <p>La page demandée n’existe pas ou a été déplacée.</p>
      <p>
        <Link href="/">Revenir à la liste des consultations</Link>
      </p>
    </Page>
  );
}
