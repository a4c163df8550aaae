import { Header } from '@codegouvfr/react-dsfr/Header';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import type { ReactNode } from 'react';
import { AuthProvider, useAuth } from './auth.tsx';
import { match, navigate, useLocation } from './router.tsx';
import { ROLE_LABELS } from './labels.ts';
import { HomePage } from './pages/public/HomePage.tsx';
import { ConsultationPage } from './pages/public/ConsultationPage.tsx';
import { ContributePage, ThanksPage } from './pages/public/ContributePage.tsx';
import { ContributionsPage } from './pages/public/ContributionsPage.tsx';
import { RestitutionPage } from './pages/public/RestitutionPage.tsx';
import { StatsPage } from './pages/public/StatsPage.tsx';
import { LoginPage } from './pages/public/LoginPage.tsx';
import { NotFoundPage } from './pages/public/NotFoundPage.tsx';
import { AdminHome } from './pages/admin/AdminHome.tsx';
import { ConsultationEditPage } from './pages/admin/ConsultationEditPage.tsx';
import { ReportPage } from './pages/admin/ReportPage.tsx';
import { ImportPage } from './pages/admin/ImportPage.tsx';
import { ModerationPage } from './pages/admin/ModerationPage.tsx';
import { AnalysisPage } from './pages/admin/AnalysisPage.tsx';
import { SynthesisPage } from './pages/admin/SynthesisPage.tsx';
import { RequireAuth } from './pages/admin/RequireAuth.tsx';
import { ReopenPage } from './pages/admin/ReopenPage.tsx';
import { PlanAdminPage, PlanListAdminPage } from './pages/admin/PlanAdminPage.tsx';
import { PlanPage } from './pages/public/PlanPage.tsx';
import { PlanLinksPage } from './pages/admin/PlanLinksPage.tsx';
import { CoveragePage } from './pages/public/CoveragePage.tsx';
import { FollowupPage } from './pages/public/FollowupPage.tsx';
import { ContributionPage } from './pages/public/ContributionPage.tsx';
import { IdeaPage } from './pages/public/IdeaPage.tsx';
import type { Section } from './types.ts';

// admin: a back-office page, for signed-in users whose role may use this section (GET /api/auth/me)
type Route = [pattern: string, render: (p: Record<string, string>) => ReactNode, admin?: Section];

const ROUTES: Route[] = [
  ['/', () => <HomePage />],
  ['/consultations', () => <HomePage />],
  ['/consultations/:slug', (p) => <ConsultationPage slug={p.slug!} />],
  ['/consultations/:slug/contribuer', (p) => <ContributePage slug={p.slug!} />],
  ['/consultations/:slug/contribuer/merci', (p) => <ThanksPage slug={p.slug!} />],
  ['/consultations/:slug/contributions', (p) => <ContributionsPage slug={p.slug!} />],
  ['/consultations/:slug/restitution', (p) => <RestitutionPage slug={p.slug!} />],
  ['/consultations/:slug/chiffres', (p) => <StatsPage slug={p.slug!} />],
  ['/schemas/:id', (p) => <PlanPage id={p.id!} />],
  ['/schemas/:id/couverture', (p) => <CoveragePage id={p.id!} />],
  ['/schemas/:id/suivi', (p) => <FollowupPage id={p.id!} />],
  ['/contributions/:id', (p) => <ContributionPage id={p.id!} />],
  ['/idees/:id', (p) => <IdeaPage id={p.id!} />],
  ['/connexion', () => <LoginPage />],
  ['/admin', () => <AdminHome />, 'consultations'],
  ['/admin/consultations/nouvelle', () => <ConsultationEditPage />, 'settings'],
  ['/admin/consultations/:slug', (p) => <ConsultationEditPage slug={p.slug!} />, 'meetings'],
  ['/admin/consultations/:slug/reunions/:id/compte-rendu', (p) => <ReportPage slug={p.slug!} meetingId={p.id!} />, 'reports'],
  ['/admin/consultations/:slug/import', (p) => <ImportPage slug={p.slug!} />, 'import'],
  ['/admin/consultations/:slug/moderation', (p) => <ModerationPage slug={p.slug!} />, 'moderation'],
  ['/admin/consultations/:slug/analyse', (p) => <AnalysisPage slug={p.slug!} />, 'analysis'],
  ['/admin/consultations/:slug/synthese', (p) => <SynthesisPage slug={p.slug!} />, 'synthesis'],
  ['/admin/schemas', () => <PlanListAdminPage />, 'plans'],
  ['/admin/schemas/:id', (p) => <PlanAdminPage id={p.id!} />, 'plans'],
  ['/admin/schemas/:id/liens', (p) => <PlanLinksPage id={p.id!} />, 'plans'],
  ['/admin/consultations/:slug/rouvrir', (p) => <ReopenPage slug={p.slug!} />, 'reopen'],
];

function Routes({ path }: { path: string }) {
  for (const [pattern, render, admin] of ROUTES) {
    const params = match(pattern, path);
    if (params) return admin ? <RequireAuth section={admin}>{render(params)}</RequireAuth> : <>{render(params)}</>;
  }
  return <NotFoundPage />;
}

function Layout() {
  const { path } = useLocation();
  const { user, logout } = useAuth();
  const inAdmin = path.startsWith('/admin');
  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Menu', anchor: '#navigation-principale' },
          { label: 'Pied de page', anchor: '#pied-de-page' },
        ]}
      />
      <Header
        brandTop={<>République<br />Française</>}
        serviceTitle="Fabrique"
        serviceTagline="La démocratie sanitaire dans les territoires"
        homeLinkProps={{ href: '/', title: 'Accueil – Fabrique' }}
        disableDisplay
        quickAccessItems={
          user
            ? [
                { iconId: 'fr-icon-account-circle-line', text: `${user.email} (${ROLE_LABELS[user.role]})`, linkProps: { href: '/admin' } },
                {
                  iconId: 'fr-icon-logout-box-r-line',
                  text: 'Se déconnecter',
                  buttonProps: {
                    onClick: () => {
                      void logout().then(() => navigate('/'));
                    },
                  },
                },
              ]
            : [{ iconId: 'fr-icon-lock-line', text: 'Espace ARS', linkProps: { href: '/connexion' } }]
        }
        navigation={
          <nav id="navigation-principale" className="fr-nav" role="navigation" aria-label="Menu principal">
            <ul className="fr-nav__list">
              <li className="fr-nav__item">
                <NavLink href="/" current={!inAdmin && path !== '/connexion'}>Consultations</NavLink>
              </li>
              {user ? (
                <li className="fr-nav__item">
                  <NavLink href="/admin" current={inAdmin}>Back-office</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        }
      />
      <main id="contenu" tabIndex={-1}>
        <Routes path={path} />
      </main>
      <Footer
        id="pied-de-page"
        accessibility="partially compliant"
        contentDescription="Fabrique est une plateforme libre qui outille la démocratie sanitaire territoriale : consultations, analyse des contributions et synthèses de restitution vérifiables."
        accessibilityLinkProps={{ href: '/accessibilite' }}
        termsLinkProps={{ href: '/mentions-legales' }}
      />
    </>
  );
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: ReactNode }) {
  return (
    <a
      className="fr-nav__link"
      href={href}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Layout />
    </AuthProvider>
  );
}
