import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useApi } from '../../hooks.ts';
import { useAuth, allows } from '../../auth.tsx';
import { CONSULTATION_TABS } from './AdminNav.tsx';
import { SECTION_LABELS } from '../../../../src/domain/roles.ts';
import { Link } from '../../router.tsx';
import { ROLE_LABELS, STATUS_LABELS, nf } from '../../labels.ts';
import type { ConsultationSummary } from '../../types.ts';

export function AdminHome() {
  const { user } = useAuth();
  const list = useApi<{ items: ConsultationSummary[] }>('/consultations');
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
      <p className="fr-text--sm">Les consultations à l’état de brouillon ne figurent pas dans cette liste : ouvrez-les par leur adresse.</p>
    </Page>
  );
}
