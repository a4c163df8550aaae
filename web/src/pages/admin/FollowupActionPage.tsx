import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { ApiError, errorMessage, patch, put } from '../../api.ts';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { useAuth } from '../../auth.tsx';
import { Link } from '../../router.tsx';
import { formatDate, formatDateTime, nf } from '../../labels.ts';
import { ACTION_STATUS_LABELS, ACTION_STATUSES, mayTransition, type ActionStatus } from '../../../../src/domain/followup.ts';
import type { FollowupAction, TimelineEntry } from '../../../../src/store/actions.ts';
import type { ActionAccount } from '../../../../src/store/action-accounts.ts';

interface ActionDetail { action: FollowupAction; timeline: TimelineEntry[]; accounts: ActionAccount[]; mayUpdate: boolean }

const FIELD_LABELS: Record<string, string> = {
  title: 'Intitulé', description: 'Description', owner: 'Porteur', partners: 'Partenaires', scope: 'Portée', status: 'Statut',
  statusReason: 'Motif d’abandon', startDate: 'Début', dueDate: 'Échéance', progress: 'Avancement', budget: 'Budget', weight: 'Poids',
};

/** A timeline value as a person reads it. */
function show(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'status' && typeof v === 'string') return ACTION_STATUS_LABELS[v as ActionStatus] ?? v;
  if ((field === 'startDate' || field === 'dueDate') && typeof v === 'string') return formatDate(v);
  if (field === 'progress' && typeof v === 'number') return `${nf.format(v)} %`;
  if (field === 'budget' && typeof v === 'number') return `${nf.format(v)} €`;
  if (field === 'owner' && typeof v === 'object') {
    const o = v as { organisation: string | null; contact: string | null };
    return [o.organisation, o.contact].filter(Boolean).join(', ') || '—';
  }
  if (Array.isArray(v)) return v.join(', ') || '—';
  return String(v);
}

const when = (iso: string) => formatDateTime(iso);

interface Form { status: ActionStatus; reason: string; organisation: string; contact: string; progress: string; startDate: string; dueDate: string; comment: string }

const formOf = (a: FollowupAction): Form => ({
  status: a.status, reason: a.statusReason ?? '', organisation: a.owner.organisation ?? '', contact: a.owner.contact ?? '',
  progress: a.progress === null ? '' : String(a.progress), startDate: a.startDate ?? '', dueDate: a.dueDate ?? '', comment: '',
});

/** The fields of the form that map to a field of the API (errors come back with the API's name). */
const API_FIELD: Record<string, keyof Form> = {
  status: 'status', reason: 'reason', porteur: 'organisation', contact: 'contact', progress: 'progress', avancement: 'progress',
  startDate: 'startDate', début: 'startDate', dueDate: 'dueDate', échéance: 'dueDate', comment: 'comment', commentaire: 'comment', motif: 'reason',
};

/** The accounts that manage the action: analysts and administrators change them. */
function Accounts({ id, accounts, reload }: { id: string; accounts: ActionAccount[]; reload: () => void }) {
  const { user } = useAuth();
  const manager = user?.role === 'admin' || user?.role === 'analyst';
  const [value, setValue] = useState(accounts.map((a) => a.email).join(', '));
  const [error, setError] = useState<string>();
  const [message, announce] = useAnnouncer();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await put<{ accounts: string[] }>(`/admin/actions/${encodeURIComponent(id)}/accounts`, { accounts: value.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean) });
      announce(r.accounts.length ? `Comptes enregistrés : ${r.accounts.join(', ')}.` : 'Plus aucun compte affecté.');
      reload();
    } catch (err) {
      const m = errorMessage(err);
      setError(m);
      announce(`Erreur : ${m}`);
    }
  }
  return (
    <section aria-labelledby="comptes-titre" className="fr-mb-6w">
      <h2 id="comptes-titre" className="fr-h4">Comptes qui gèrent l’action</h2>
      {accounts.length ? <ul>{accounts.map((a) => <li key={a.email}>{a.email} ({a.role === 'owner' ? 'porteur d’action' : 'animateur'})</li>)}</ul>
        : <p>Aucun compte : seuls les analystes et les administrateurs peuvent la modifier.</p>}
      {manager ? (
        <form onSubmit={submit} noValidate className="followup-form">
          <Input
            label="Adresses des comptes (porteurs d’action, animateurs)"
            hintText="Séparées par des virgules ; la liste remplace la précédente, vide : plus aucun compte."
            state={error ? 'error' : 'default'}
            stateRelatedMessage={error}
            nativeInputProps={{ name: 'accounts', value, onChange: (e) => setValue(e.target.value), autoComplete: 'off' }}
          />
          <Button type="submit" priority="secondary">Enregistrer les comptes</Button>
        </form>
      ) : null}
      <LiveRegion message={message} />
    </section>
  );
}

/** Back office: one action — its update form (status, owner, progress, dates, public comment) and its timeline. */
export function FollowupActionPage({ id }: { id: string }) {
  const res = useApi<ActionDetail>(`/admin/actions/${encodeURIComponent(id)}`);
  const d = res.data;
  const [form, setForm] = useState<Form>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: keyof Form }>();
  const [done, setDone] = useState<string>();
  const [message, announce] = useAnnouncer();
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => { if (d) setForm(formOf(d.action)); }, [d]);
  useEffect(() => { if (error) errorRef.current?.focus(); }, [error]);

  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => (f ? { ...f, [k]: e.target.value } : f));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!d || !form) return;
    const a = d.action;
    const body: Record<string, unknown> = {};
    if (form.status !== a.status) body.status = form.status;
    if (form.status === 'abandonnee' && form.reason.trim() !== (a.statusReason ?? '')) body.reason = form.reason;
    if (form.organisation.trim() !== (a.owner.organisation ?? '') || form.contact.trim() !== (a.owner.contact ?? '')) {
      body.owner = { organisation: form.organisation.trim() || null, contact: form.contact.trim() || null };
    }
    if (form.progress.trim() !== (a.progress === null ? '' : String(a.progress))) {
      const n = form.progress.trim() === '' ? null : Number(form.progress.replace(',', '.'));
      if (n !== null && (!Number.isFinite(n) || n < 0 || n > 100)) {
        setError({ message: 'L’avancement est un nombre entre 0 et 100.', field: 'progress' });
        announce('Erreur : l’avancement est un nombre entre 0 et 100.');
        return;
      }
      body.progress = n;
    }
    if (form.startDate !== (a.startDate ?? '')) body.startDate = form.startDate || null;
    if (form.dueDate !== (a.dueDate ?? '')) body.dueDate = form.dueDate || null;
    if (form.comment.trim()) body.comment = form.comment;
    if (Object.keys(body).length === 0) {
      const m = 'Rien à enregistrer : aucun champ n’a changé.';
      setDone(m);
      announce(m);
      return;
    }
    setSaving(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await patch<{ action: FollowupAction; changed: string[] }>(`/admin/actions/${encodeURIComponent(a.id)}`, body);
      const m = r.changed.length
        ? `Action enregistrée : ${r.changed.map((f) => FIELD_LABELS[f]?.toLowerCase() ?? f).join(', ')}. L’historique est à jour.`
        : 'Commentaire ajouté à l’historique.';
      setDone(m);
      announce(m);
      res.reload();
    } catch (err) {
      const m = errorMessage(err);
      const field = err instanceof ApiError && err.field ? API_FIELD[err.field] : undefined;
      setError({ message: m, ...(field ? { field } : {}) });
      announce(`Erreur : ${m}`);
    } finally {
      setSaving(false);
    }
  }

  const a = d?.action;
  const stateOf = (k: keyof Form) => (error?.field === k ? { state: 'error' as const, stateRelatedMessage: error.message } : {});
  return (
    <Page
      title={a ? `Action : ${a.title}` : 'Action de suivi'}
      crumbs={[{ label: 'Back-office', href: '/admin' }, ...(a ? [{ label: 'Suivi du schéma', href: `/admin/schemas/${encodeURIComponent(a.planId)}/suivi` }] : [])]}
    >
      {res.loading && !d ? <Loading what="Chargement de l’action" /> : null}
      <ErrorAlert message={res.error} />
      {a && form ? (
        <>
          <p>
            Objectif <span className="plan-code">{a.objectiveCode}</span> · statut : <strong>{ACTION_STATUS_LABELS[a.status]}</strong> · avancement : {a.progress === null ? 'non renseigné' : `${nf.format(a.progress)} %`}
            {a.owner.organisation ? ` · porteur : ${a.owner.organisation}` : ' · sans porteur'}.
          </p>
          {a.description && a.description !== a.title ? <p className="followup-description">{a.description}</p> : null}
          {d!.mayUpdate ? (
            <form onSubmit={submit} noValidate className="followup-form fr-mb-6w" aria-labelledby="maj-titre">
              <h2 id="maj-titre" className="fr-h4">Mettre à jour</h2>
              {error ? (
                <div ref={errorRef} tabIndex={-1} className="fr-mb-3w">
                  <Alert severity="error" small description={error.message} />
                </div>
              ) : null}
              <Select label="Statut" hint="Une action réalisée passe par « en cours » ; « abandonnée » demande un motif." {...stateOf('status')}
                nativeSelectProps={{ name: 'status', value: form.status, onChange: set('status') }}>
                {ACTION_STATUSES.filter((s) => mayTransition(a.status, s)).map((s) => <option key={s} value={s}>{ACTION_STATUS_LABELS[s]}</option>)}
              </Select>
              {form.status === 'abandonnee' ? (
                <Input label="Motif de l’abandon (obligatoire)" textArea {...stateOf('reason')}
                  nativeTextAreaProps={{ name: 'reason', rows: 3, value: form.reason, onChange: set('reason'), required: true }} />
              ) : null}
              <Input label="Organisation porteuse" hintText="Saisie à la main : CPTS, établissement, collectivité…" {...stateOf('organisation')}
                nativeInputProps={{ name: 'organisation', value: form.organisation, onChange: set('organisation'), autoComplete: 'organization' }} />
              <Input label="Personne de contact" hintText="Jamais publiée : seule l’organisation paraît sur la page publique." {...stateOf('contact')}
                nativeInputProps={{ name: 'contact', value: form.contact, onChange: set('contact'), autoComplete: 'off' }} />
              <Input label="Avancement (%)" hintText="De 0 à 100 ; une action réalisée compte 100 %." {...stateOf('progress')}
                nativeInputProps={{ name: 'progress', type: 'number', min: 0, max: 100, step: 1, inputMode: 'numeric', value: form.progress, onChange: set('progress') }} />
              <div className="followup-form__dates">
                <Input label="Début" {...stateOf('startDate')}
                  nativeInputProps={{ name: 'startDate', type: 'date', value: form.startDate, onChange: set('startDate') }} />
                <Input label="Échéance" {...stateOf('dueDate')}
                  nativeInputProps={{ name: 'dueDate', type: 'date', value: form.dueDate, onChange: set('dueDate') }} />
              </div>
              <Input label="Commentaire public (facultatif)" hintText="Affiché dans l’historique public de l’action, sans votre nom." textArea {...stateOf('comment')}
                nativeTextAreaProps={{ name: 'comment', rows: 3, value: form.comment, onChange: set('comment') }} />
              <Button type="submit" disabled={saving}>{saving ? 'Enregistrement…' : 'Enregistrer'}</Button>
              {done ? <Alert className="fr-mt-3w" severity="success" small description={done} /> : null}
            </form>
          ) : (
            <Alert className="fr-mb-4w" severity="info" small description="Cette action ne vous est pas affectée : vous pouvez la consulter, pas la modifier." />
          )}
          <LiveRegion message={message} id="action-annonce" />
          <Accounts key={d!.accounts.map((x) => x.email).join(',')} id={a.id} accounts={d!.accounts} reload={res.reload} />
          <section aria-labelledby="historique-titre">
            <h2 id="historique-titre" className="fr-h4">Historique</h2>
            <ol className="followup-timeline" reversed>
              {[...d!.timeline].reverse().map((t) => (
                <li key={t.id} className="followup-timeline__entry">
                  <p className="fr-mb-1v"><strong>{when(t.at)}</strong> — {t.kind === 'created' ? 'création' : 'modification'} par {t.actor}</p>
                  {Object.keys(t.changes).length ? (
                    <ul className="fr-mb-1v">
                      {Object.entries(t.changes).map(([f, c]) => <li key={f}>{FIELD_LABELS[f] ?? f} : {show(f, c.before)} → {show(f, c.after)}</li>)}
                    </ul>
                  ) : null}
                  {t.comment ? <p className="followup-timeline__comment fr-mb-0">« {t.comment} »</p> : null}
                </li>
              ))}
            </ol>
          </section>
          <p className="fr-mt-4w"><Link href={`/admin/schemas/${encodeURIComponent(a.planId)}/suivi`}>Retour au suivi du schéma</Link></p>
        </>
      ) : null}
    </Page>
  );
}
