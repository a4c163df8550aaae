import { useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { adminCrumbs } from './AdminNav.tsx';
import { useApi } from '../../hooks.ts';
import { errorMessage, post } from '../../api.ts';
import { Link } from '../../router.tsx';
import { STATUS_LABELS, formatDate, formatPeriod } from '../../labels.ts';
import type { ConsultationDetail } from '../../types.ts';

/**
 * An administrator reopens a consultation past its end date until a new last day (POST …/reopen, audited).
 * The published period stays as it was; the public page says until when it is reopened.
 */
export function ReopenPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<ConsultationDetail | null>(null);
  const [busy, setBusy] = useState(false);
  if (cons.loading && !cons.data) return <Page title="Rouvrir la consultation"><Loading /></Page>;
  if (!cons.data) return <Page title="Rouvrir la consultation" crumbs={adminCrumbs(slug)}><ErrorAlert message={cons.error ?? 'Consultation introuvable.'} /></Page>;
  const c = done ?? cons.data;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) {
      setError('Indiquez la nouvelle date de fin (dernier jour où les contributions sont acceptées).');
      return;
    }
    setBusy(true);
    try {
      setDone(await post<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}/reopen`, { until }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={`Rouvrir : ${c.title}`} crumbs={adminCrumbs(slug, c.title)}>
      <p>
        État : <strong>{STATUS_LABELS[c.status]}</strong> — période publiée {formatPeriod(c.periodStart, c.periodEnd)}.
        {c.closedReason ? <> {c.closedReason}</> : null}
      </p>
      {done ? (
        <Alert severity="success" className="fr-mb-3w" title="Consultation rouverte"
          description={`Le formulaire public accepte de nouveau les contributions jusqu’au ${formatDate(done.reopenedUntil!)} inclus. La réouverture est inscrite au journal d’audit ; la période publiée reste celle d’origine.`} />
      ) : null}
      <ErrorAlert message={error} title="Réouverture impossible" />
      {c.acceptsContributions ? (
        <p>Cette consultation accepte les contributions. <Link href={`/admin/consultations/${slug}`}>Retour à la consultation</Link></p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Input
            label="Nouvelle date de fin (incluse)"
            hintText="Dernier jour où le formulaire public accepte des contributions."
            nativeInputProps={{ type: 'date', name: 'until', value: until, onChange: (e) => setUntil(e.target.value), required: true }}
          />
          <Button type="submit" disabled={busy}>{busy ? 'Réouverture…' : 'Rouvrir aux contributions'}</Button>
        </form>
      )}
    </Page>
  );
}
