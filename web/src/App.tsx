import { Header } from '@codegouvfr/react-dsfr/Header';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { lazy, Suspense, type ReactNode } from 'react';
import { AuthProvider, useAuth } from './auth.tsx';
import { match, navigate, useLocation } from './router.tsx';
import { ROLE_LABELS } from './labels.ts';
import { HomePage } from './pages/public/HomePage.tsx';
import { NotFoundPage } from './pages/public/NotFoundPage.tsx';
import { RequireAuth } from './pages/admin/RequireAuth.tsx';
import type { Section } from './types.ts';
import { useSite } from './site.ts';

// every page but the home page is its own chunk: a citizen never downloads the back office (issue 16)
const ConsultationPage = lazy(() => import('./pages/public/ConsultationPage.tsx').then((m) => ({ default: m.ConsultationPage })));
const ContributePage = lazy(() => import('./pages/public/ContributePage.tsx').then((m) => ({ default: m.ContributePage })));
const ThanksPage = lazy(() => import('./pages/public/ContributePage.tsx').then((m) => ({ default: m.ThanksPage })));
const ContributionsPage = lazy(() => import('./pages/public/ContributionsPage.tsx').then((m) => ({ default: m.ContributionsPage })));
const RestitutionPage = lazy(() => import('./pages/public/RestitutionPage.tsx').then((m) => ({ default: m.RestitutionPage })));
const StatsPage = lazy(() => import('./pages/public/StatsPage.tsx').then((m) => ({ default: m.StatsPage })));
const LoginPage = lazy(() => import('./pages/public/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const SetPasswordPage = lazy(() => import('./pages/public/SetPasswordPage.tsx').then((m) => ({ default: m.SetPasswordPage })));
const AccountsPage = lazy(() => import('./pages/admin/AccountsPage.tsx').then((m) => ({ default: m.AccountsPage })));
const AdminHome = lazy(() => import('./pages/admin/AdminHome.tsx').then((m) => ({ default: m.AdminHome })));
const ConsultationEditPage = lazy(() => import('./pages/admin/ConsultationEditPage.tsx').then((m) => ({ default: m.ConsultationEditPage })));
const ReportPage = lazy(() => import('./pages/admin/ReportPage.tsx').then((m) => ({ default: m.ReportPage })));
const ImportPage = lazy(() => import('./pages/admin/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const ModerationPage = lazy(() => import('./pages/admin/ModerationPage.tsx').then((m) => ({ default: m.ModerationPage })));
const AnalysisPage = lazy(() => import('./pages/admin/AnalysisPage.tsx').then((m) => ({ default: m.AnalysisPage })));
const SynthesisPage = lazy(() => import('./pages/admin/SynthesisPage.tsx').then((m) => ({ default: m.SynthesisPage })));
const ReopenPage = lazy(() => import('./pages/admin/ReopenPage.tsx').then((m) => ({ default: m.ReopenPage })));
const PlanAdminPage = lazy(() => import('./pages/admin/PlanAdminPage.tsx').then((m) => ({ default: m.PlanAdminPage })));
const PlanListAdminPage = lazy(() => import('./pages/admin/PlanAdminPage.tsx').then((m) => ({ default: m.PlanListAdminPage })));
const PlanPage = lazy(() => import('./pages/public/PlanPage.tsx').then((m) => ({ default: m.PlanPage })));
const PlanLinksPage = lazy(() => import('./pages/admin/PlanLinksPage.tsx').then((m) => ({ default: m.PlanLinksPage })));
const CoveragePage = lazy(() => import('./pages/public/CoveragePage.tsx').then((m) => ({ default: m.CoveragePage })));
const FollowupPage = lazy(() => import('./pages/admin/FollowupPage.tsx').then((m) => ({ default: m.FollowupPage })));
const FollowupMinePage = lazy(() => import('./pages/admin/FollowupPage.tsx').then((m) => ({ default: m.FollowupMinePage })));
const FollowupActionPage = lazy(() => import('./pages/admin/FollowupActionPage.tsx').then((m) => ({ default: m.FollowupActionPage })));
const PublicFollowupPage = lazy(() => import('./pages/public/FollowupPage.tsx').then((m) => ({ default: m.FollowupPage })));
const ContributionPage = lazy(() => import('./pages/public/ContributionPage.tsx').then((m) => ({ default: m.ContributionPage })));
const IdeaPage = lazy(() => import('./pages/public/IdeaPage.tsx').then((m) => ({ default: m.IdeaPage })));
const AccessibilityPage = lazy(() => import('./pages/public/LegalPages.tsx').then((m) => ({ default: m.AccessibilityPage })));
const LegalNoticePage = lazy(() => import('./pages/public/LegalPages.tsx').then((m) => ({ default: m.LegalNoticePage })));
const PersonalDataPage = lazy(() => import('./pages/public/LegalPages.tsx').then((m) => ({ default: m.PersonalDataPage })));
const CookiesPage = lazy(() => import('./pages/public/LegalPages.tsx').then((m) => ({ default: m.CookiesPage })));
const SearchPage = lazy(() => import('./pages/public/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const AgendaPage = lazy(() => import('./pages/public/AgendaPage.tsx').then((m) => ({ default: m.AgendaPage })));
const MapPage = lazy(() => import('./pages/public/MapPage.tsx').then((m) => ({ default: m.MapPage })));
const SubscriptionLinkPage = lazy(() => import('./pages/public/Engagement.tsx').then((m) => ({ default: m.SubscriptionLinkPage })));
const OutboxPage = lazy(() => import('./pages/admin/OutboxPage.tsx').then((m) => ({ default: m.OutboxPage })));
const OpenDataPage = lazy(() => import('./pages/public/OpenDataPage.tsx').then((m) => ({ default: m.OpenDataPage })));
const EasyReadPage = lazy(() => import('./pages/public/EasyReadPage.tsx').then((m) => ({ default: m.EasyReadPage })));
const SiteMapPage = lazy(() => import('./pages/public/SiteMapPage.tsx').then((m) => ({ default: m.SiteMapPage })));

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
  ['/consultations/:slug/facile', (p) => <EasyReadPage slug={p.slug!} />],
  ['/donnees', () => <OpenDataPage />],
  ['/schemas/:id', (p) => <PlanPage id={p.id!} />],
  ['/schemas/:id/couverture', (p) => <CoveragePage id={p.id!} />],
  ['/schemas/:id/suivi', (p) => <PublicFollowupPage id={p.id!} />],
  ['/contributions/:id', (p) => <ContributionPage id={p.id!} />],
  ['/idees/:id', (p) => <IdeaPage id={p.id!} />],
  ['/connexion', () => <LoginPage />],
  ['/connexion/nouveau-mot-de-passe', () => <SetPasswordPage />],
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
  ['/admin/suivi', () => <FollowupMinePage />, 'followup'],
  ['/admin/schemas/:id/suivi', (p) => <FollowupPage id={p.id!} />, 'followup'],
  ['/admin/actions/:id', (p) => <FollowupActionPage id={p.id!} />, 'followup'],
  ['/admin/comptes', () => <AccountsPage />, 'accounts'],
  // legal pages and site map (issue 16); every pattern here is also in src/domain/site.ts WEB_PAGE_ROUTES (real 404s)
  ['/accessibilite', () => <AccessibilityPage />],
  ['/mentions-legales', () => <LegalNoticePage />],
  ['/donnees-personnelles', () => <PersonalDataPage />],
  ['/gestion-des-cookies', () => <CookiesPage />],
  ['/plan-du-site', () => <SiteMapPage />],
  ['/recherche', () => <SearchPage />],
  // agenda and map (issue 16, point 5)
  ['/agenda', () => <AgendaPage />],
  ['/consultations/:slug/carte', (p) => <MapPage slug={p.slug!} />],
  // the one-time links of the subscribers' messages, and the outbox (issue 16, point 5)
  ['/abonnement/confirmer', () => <SubscriptionLinkPage purpose="confirm" />],
  ['/abonnement/desabonner', () => <SubscriptionLinkPage purpose="unsubscribe" />],
  ['/admin/messages', () => <OutboxPage />, 'outbox'],
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
  const { site } = useSite();
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
        // site-wide search (issue 16): Enter or the button opens « /recherche?q=… »
        onSearchButtonClick={(text) => {
          if (!text.trim()) return;
          navigate(`/recherche?${new URLSearchParams({ q: text.trim() })}`);
          // on a phone the field is in a modal: closed once the search is sent
          try {
            (window as { dsfr?: (el: Element | null) => { modal?: { conceal: () => void } } }).dsfr?.(document.getElementById('fr-header-search-modal'))?.modal?.conceal();
          } catch { /* no modal on a wide screen */ }
        }}
        renderSearchInput={({ className, id, type }) => (
          <input className={className} id={id} name="q" type={type} placeholder="Rechercher dans le site" autoComplete="off" />
        )}
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
                <NavLink href="/" current={!inAdmin && path !== '/connexion' && path !== '/agenda'}>Consultations</NavLink>
              </li>
              <li className="fr-nav__item">
                <NavLink href="/agenda" current={path === '/agenda'}>Agenda</NavLink>
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
        <Suspense fallback={<p className="fr-container fr-my-4w" role="status">Chargement de la page…</p>}>
          <Routes path={path} />
        </Suspense>
      </main>
      <Footer
        id="pied-de-page"
        // the configured RGAA status (GET /api/site): « non conforme » until an audit is declared, and while loading
        accessibility={site?.rgaaStatus === 'totalement-conforme' ? 'fully compliant' : site?.rgaaStatus === 'partiellement-conforme' ? 'partially compliant' : 'non compliant'}
        contentDescription="Fabrique est une plateforme libre qui outille la démocratie sanitaire territoriale : consultations, analyse des contributions et synthèses de restitution vérifiables."
        accessibilityLinkProps={{ href: '/accessibilite' }}
        termsLinkProps={{ href: '/mentions-legales' }}
        websiteMapLinkProps={{ href: '/plan-du-site' }}
        // the software's licence, not a content licence the operator never chose (DSFR's default names Etalab 2.0)
        license={<>Fabrique est un logiciel libre publié sous la licence publique de l’Union européenne (EUPL-1.2) : voir les <a href="/mentions-legales">mentions légales</a>.</>}
        bottomItems={[
          { text: 'Données personnelles', linkProps: { href: '/donnees-personnelles' } },
          { text: 'Gestion des cookies', linkProps: { href: '/gestion-des-cookies' } },
        ]}
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
