import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useApi } from '../../hooks.ts';
import { useAuth, allows } from '../../auth.tsx';
import { CONSULTATION_TABS } from './AdminNav.tsx';
import { SECTION_LABELS } from '../../../../src/domain/roles.ts';
import { Link } from '../../router.tsx';
import { ROLE_LABELS, STATUS_LABELS, count, formatDate, nf } from '../../labels.ts';
import type { ConsultationSummary, Role } from '../../types.ts';

// GET /api/admin/home (src/usecases/backoffice-home.ts)
type TodoKind = 'moderation' | 'themes' | 'reports' | 'stale' | 'links' | 'late';
interface Home {
  role: Role;
  drafts: {
    consultations: { slug: string; title: string; href: string }[];
    syntheses: { consultation: string; title: string; level: string; territory: string; generatedAt: string; republication: boolean; href: string }[];
  };
  todo: { kind: TodoKind; count: number; href: string; subject: { kind: 'consultation' | 'plan'; id: string; title: string } }[];
  totals: Partial<Record<TodoKind, number>>;
}

const TODO: Record<TodoKind, { title: string; one: string; many: string; none: string }> = {
  moderation: { title: 'Modération', one: 'contribution à modérer', many: 'contributions à modérer', none: 'Aucune contribution à modérer.' },
  themes: { title: 'Thèmes suggérés', one: 'contribution dont le thème suggéré attend votre validation', many: 'contributions dont le thème suggéré attend votre validation', none: 'Aucun thème suggéré en attente de validation.' },
  reports: { title: 'Comptes-rendus', one: 'réunion passée sans compte-rendu', many: 'réunions passées sans compte-rendu', none: 'Aucune réunion passée sans compte-rendu.' },
  stale: { title: 'Restitutions', one: 'restitution retirée car ses données ont changé : à republier', many: 'restitutions retirées car leurs données ont changé : à republier', none: 'Aucune restitution à republier.' },
  links: { title: 'Liens au schéma', one: 'suggestion de lien à confirmer', many: 'suggestions de liens à confirmer', none: 'Aucune suggestion de lien à confirmer.' },
  late: { title: 'Suivi du schéma', one: 'action en retard', many: 'actions en retard', none: 'Aucune action en retard.' },
};
const KINDS = Object.keys(TODO) as TodoKind[];
const LEVELS: Record<string, string> = { departement: 'département', region: 'région', france: 'France' };

function HomeTodo({ home }: { home: Home }) {
  const kinds = KINDS.filter((k) => home.totals[k] !== undefined);
  const waiting = kinds.reduce((s, k) => s + (home.totals[k] ?? 0), 0);
  return (
    <section aria-labelledby="a-faire-titre" className="fr-mb-6w">
      <h2 id="a-faire-titre">À faire</h2>
      {waiting === 0 ? <p>Rien n’attend votre intervention pour l’instant.</p> : null}
      <div className="fr-grid-row fr-grid-row--gutters">
        {kinds.map((k) => {
          const items = home.todo.filter((t) => t.kind === k);
          const total = home.totals[k] ?? 0;
          return (
            <div key={k} className="fr-col-12 fr-col-md-6 fr-col-lg-4">
              <div className="panel fr-p-2w todo-card">
                <h3 className="fr-h6 fr-mb-1w">{TODO[k].title} : {nf.format(total)}</h3>
                {items.length === 0 ? <p className="fr-text--sm fr-mb-0">{TODO[k].none}</p> : (
                  <ul className="fr-text--sm fr-mb-0">
                    {items.map((t) => (
                      <li key={`${t.subject.kind}:${t.subject.id}`}>
                        <Link href={t.href}>{t.subject.title}</Link> : {count(t.count, TODO[k].one, TODO[k].many)}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function HomeDrafts({ home }: { home: Home }) {
  const { consultations, syntheses } = home.drafts;
  return (
    <section aria-labelledby="brouillons-titre" className="fr-mb-6w">
      <h2 id="brouillons-titre">Brouillons</h2>
      {consultations.length === 0 && syntheses.length === 0 ? <p>Aucun brouillon.</p> : null}
      {consultations.length ? (
        <>
          <h3 className="fr-h6">{count(consultations.length, 'consultation en brouillon, invisible du public', 'consultations en brouillon, invisibles du public')}</h3>
          <ul>{consultations.map((c) => <li key={c.slug}><Link href={c.href}>{c.title}</Link></li>)}</ul>
        </>
      ) : null}
      {syntheses.length ? (
        <>
          <h3 className="fr-h6">{count(syntheses.length, 'synthèse générée non publiée', 'synthèses générées non publiées')}</h3>
          <ul>
            {syntheses.map((d) => (
              <li key={`${d.consultation}:${d.level}:${d.territory}`}>
                <Link href={d.href}>{d.title}</Link> ({LEVELS[d.level] ?? d.level} {d.territory}) : générée le {formatDate(d.generatedAt)}
                {d.republication ? ', plus récente que la restitution publiée' : ', jamais publiée'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function AdminHome() {
  const { user } = useAuth();
  // the back office's list: drafts included, a facilitator's consultations only
  const list = useApi<{ items: ConsultationSummary[] }>('/admin/consultations');
  const home = useApi<Home>('/admin/home');
  const mayCreate = allows(user, 'settings');
  // the step links after « Réunions »: those the API lets this role use
  const steps = CONSULTATION_TABS.filter(([suffix, section]) => suffix !== '' && allows(user, section));
  return (
    <Page title="Back-office" crumbs={[]} lead={user ? `Connecté en tant que ${user.email} — rôle : ${ROLE_LABELS[user.role]}.` : undefined}>
      {mayCreate ? (
        <p>
          <Button linkProps={{ href: '/admin/consultations/nouvelle' }} iconId="fr-icon-add-line">Nouvelle consultation</Button>
        </p>
      ) : null}
      {allows(user, 'accounts') ? (
        <p><Link href="/admin/comptes">Gérer les comptes : créer, désactiver, réinitialiser un mot de passe, affecter les animateurs</Link></p>
      ) : null}
      <ErrorAlert message={home.error} />
      {home.data ? <HomeTodo home={home.data} /> : home.loading ? <Loading /> : null}
      {home.data ? <HomeDrafts home={home.data} /> : null}
      <h2>Consultations</h2>
      {allows(user, 'plans') ? (
        <p><Link href="/admin/schemas">{SECTION_LABELS.plans} : relire et corriger</Link></p>
      ) : null}
      {allows(user, 'outbox') ? (
        <p><Link href="/admin/messages">{SECTION_LABELS.outbox} : abonnements et état de chaque message</Link></p>
      ) : null}
      {allows(user, 'followup') && user?.role !== 'admin' && user?.role !== 'analyst' ? (
        <p><Link href="/admin/suivi">{SECTION_LABELS.followup} : les actions qui vous sont affectées</Link></p>
      ) : null}
      {list.loading ? <Loading /> : null}
      <ErrorAlert message={list.error} />
      {list.data ? (
        <DataTable
          className="table--wrap"
          caption="Consultations"
          hideCaption
          headers={['Consultation', 'Territoire', 'État', 'Réunions', 'Contributions publiées', 'Actions']}
          rows={list.data.items.map((c) => [
            <Link href={`/admin/consultations/${c.slug}`}>{c.title}</Link>,
            `${c.territory.name} (${c.territory.code})`,
            STATUS_LABELS[c.status],
            nf.format(c.counts.meetings),
            nf.format(c.counts.contributions),
            <ul className="inline-links">
              <li><Link href={`/admin/consultations/${c.slug}`} aria-label={`Réunions et comptes-rendus : ${c.title}`}>Réunions</Link></li>
              {steps.map(([suffix, section]) => (
                <li key={suffix}><Link href={`/admin/consultations/${c.slug}${suffix}`} aria-label={`${SECTION_LABELS[section]} : ${c.title}`}>{SECTION_LABELS[section]}</Link></li>
              ))}
              {c.status === 'closed' && allows(user, 'reopen') ? (
                <li><Link href={`/admin/consultations/${c.slug}/rouvrir`} aria-label={`Rouvrir : ${c.title}`}>Rouvrir</Link></li>
              ) : null}
            </ul>,
          ])}
        />
      ) : null}
    </Page>
  );
}
