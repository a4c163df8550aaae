/** « Messages aux abonnés » (administrators): whether sending is configured, each message's state, erasing an address. */
import { useState, type FormEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { errorMessage, post } from '../../api.ts';
import { useApi } from '../../hooks.ts';
import { Link, useLocation } from '../../router.tsx';
import { count, formatDateTime, nf } from '../../labels.ts';
import { MESSAGE_KIND_LABELS, OUTBOX_STATUS_LABELS, OUTBOX_RETENTION_DAYS, PENDING_SUBSCRIPTION_DAYS, type MessageKind, type OutboxStatus } from '../../../../src/domain/engagement.ts';
import { adminCrumbs } from './AdminNav.tsx';

interface OutboxView {
  sending: boolean;
  items: { id: string; consultation: { slug: string; title: string }; kind: MessageKind; to: string; status: OutboxStatus; attempts: number; error: string | null; createdAt: string; sentAt: string | null }[];
  total: number; page: number; pageSize: number;
  counts: Record<string, number>;
  subscribers: { pending: number; active: number };
}

const PAGE_SIZE = 20;
const SEVERITY: Record<OutboxStatus, 'info' | 'success' | 'error' | 'new'> = { pending: 'info', sending: 'new', sent: 'success', failed: 'error' };
const time = (iso: string) => formatDateTime(iso);

export function OutboxPage() {
  const { path, query } = useLocation();
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const res = useApi<OutboxView>(`/admin/outbox?page=${page}&pageSize=${PAGE_SIZE}`);
  const [email, setEmail] = useState('');
  const [erasing, setErasing] = useState(false);
  const [eraseError, setEraseError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const v = res.data;
  const pages = v ? Math.max(1, Math.ceil(v.total / PAGE_SIZE)) : 1;

  async function erase(e: FormEvent) {
    e.preventDefault();
    setErasing(true);
    setEraseError(null);
    try {
      const r = await post<{ erased: number }>('/admin/subscribers/erase', { email });
      setAnnounce(r.erased === 0 ? 'Cette adresse n’est abonnée à aucune consultation : rien à effacer.' : `Adresse effacée de ${count(r.erased, 'abonnement', 'abonnements')}, avec ses messages.`);
      setEmail('');
      res.reload();
    } catch (err) {
      setEraseError(errorMessage(err));
    } finally {
      setErasing(false);
    }
  }

  return (
    <Page title="Messages aux abonnés" crumbs={adminCrumbs()}>
      <LiveRegion message={announce} />
      {v ? (v.sending ? (
        <Alert severity="info" small className="fr-mb-3w" description="L’envoi par SMTP est configuré : les messages en attente partent dans la minute." />
      ) : (
        <Alert severity="warning" small className="fr-mb-3w" description="L’envoi n’est pas configuré (FABRIQUE_SMTP_URL, FABRIQUE_MAIL_FROM, FABRIQUE_PUBLIC_URL) : aucun message ne part, ils restent ici en attente." />
      )) : null}
      <ErrorAlert message={res.error} />
      {res.loading && !v ? <Loading /> : null}
      {v ? (
        <>
          <p>
            {count(v.subscribers.active, 'adresse abonnée', 'adresses abonnées')}, {count(v.subscribers.pending, 'en attente de confirmation', 'en attente de confirmation')} (effacées
            après {PENDING_SUBSCRIPTION_DAYS} jours sans confirmation). Les messages envoyés ou abandonnés restent visibles ici {OUTBOX_RETENTION_DAYS} jours.
          </p>
          <h2 className="fr-h4">{count(v.total, 'message', 'messages')}</h2>
          {v.total > 0 ? (
            <p className="fr-text--sm">{(Object.keys(OUTBOX_STATUS_LABELS) as OutboxStatus[]).filter((s) => v.counts[s]).map((s) => `${OUTBOX_STATUS_LABELS[s]} : ${nf.format(v.counts[s]!)}`).join(' · ')}</p>
          ) : <p>Aucun message pour l’instant.</p>}
          <ul className="outbox-list">
            {v.items.map((m) => (
              <li key={m.id} className="outbox-item fr-p-2w fr-mb-2w">
                <p className="fr-mb-1w">
                  <Badge small noIcon severity={SEVERITY[m.status]}>{OUTBOX_STATUS_LABELS[m.status]}</Badge>{' '}
                  <strong>{MESSAGE_KIND_LABELS[m.kind]}</strong> à {m.to}
                </p>
                <p className="fr-text--sm fr-mb-0">
                  <Link href={`/consultations/${encodeURIComponent(m.consultation.slug)}`}>{m.consultation.title}</Link> · créé le {time(m.createdAt)}
                  {m.sentAt ? ` · envoyé le ${time(m.sentAt)}` : ''}
                  {m.attempts > 0 && m.status !== 'sent' ? ` · ${count(m.attempts, 'essai', 'essais')}` : ''}
                </p>
                {m.error ? <p className="fr-text--sm fr-mb-0 fr-error-text">Dernière erreur : {m.error}</p> : null}
              </li>
            ))}
          </ul>
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} showFirstLast getPageLinkProps={(n) => ({ href: n > 1 ? `${path}?page=${n}` : path })} />
          ) : null}
        </>
      ) : null}
      <section aria-labelledby="effacer" className="fr-mt-5w">
        <h2 id="effacer" className="fr-h4">Effacer une adresse</h2>
        <p className="fr-text--sm">À la demande de la personne : l’adresse est retirée de toutes les consultations, avec ses messages et ses liens. Le journal garde l’effacement, l’adresse masquée.</p>
        <form onSubmit={erase} noValidate>
          <Input label="Adresse électronique à effacer" state={eraseError ? 'error' : 'default'} stateRelatedMessage={eraseError ?? undefined}
            nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'off', value: email, onChange: (e) => setEmail(e.target.value) }} />
          <Button type="submit" priority="secondary" disabled={erasing || !email.trim()} iconId="fr-icon-delete-line" iconPosition="left">{erasing ? 'Effacement…' : 'Effacer cette adresse'}</Button>
        </form>
      </section>
    </Page>
  );
}
