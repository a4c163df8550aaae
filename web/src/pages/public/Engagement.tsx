/**
 * « Signaler un contenu » (each published contribution) and the subscription to a consultation's news, with the
 * pages of the one-time links sent by e-mail (confirm, unsubscribe). A link only shows a button: opening it (a mail
 * client that checks links does) changes nothing; the button does.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Page, ErrorAlert } from '../../components/Page.tsx';
import { errorMessage, post } from '../../api.ts';
import { Link, useLocation } from '../../router.tsx';
import { nf } from '../../labels.ts';
import { REPORT_DETAILS_MAX, REPORT_REASON_LABELS, REPORT_REASONS, type ReportReason } from '../../../../src/domain/engagement.ts';

/** The trap for robots of the public forms: a field people never see nor reach. */
function Trap({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="contribution-piege" aria-hidden="true">
      <label htmlFor={id}>Ne remplissez pas ce champ</label>
      <input id={id} name="website" type="text" tabIndex={-1} autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** « Signaler un contenu »: a button that opens a short form under the contribution. */
export function ReportContribution({ id }: { id: string }) {
  const uid = useId().replace(/:/g, '');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason | ''>('');
  const [details, setDetails] = useState('');
  const [website, setWebsite] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLDivElement>(null);
  useEffect(() => { if (done) doneRef.current?.focus(); }, [done]);
  useEffect(() => { if (open) firstRef.current?.querySelector('input')?.focus(); }, [open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason) { setError('Choisissez la raison du signalement.'); return; }
    setSending(true);
    setError(null);
    try {
      await post(`/contributions/${encodeURIComponent(id)}/reports`, { reason, ...(details.trim() ? { details } : {}), ...(website ? { website } : {}) });
      setDone(true);
      setOpen(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  if (done) {
    return (
      <div ref={doneRef} tabIndex={-1} className="fr-mt-1w">
        <p className="fr-text--sm fr-mb-0 report-done">Merci : votre signalement est transmis à l’équipe de modération, qui relira cette contribution.</p>
      </div>
    );
  }
  return (
    <div className="report fr-mt-1w">
      <Button type="button" priority="tertiary no outline" size="small" iconId="fr-icon-flag-line" iconPosition="left"
        nativeButtonProps={{ 'aria-expanded': open, 'aria-controls': `signaler-${uid}` }} onClick={() => setOpen((o) => !o)}>
        Signaler un contenu
      </Button>
      <div id={`signaler-${uid}`} hidden={!open}>
        {open ? (
          <form onSubmit={submit} noValidate className="report-form fr-p-2w fr-mt-1w">
            <div ref={firstRef}>
            <RadioButtons
              legend="Pourquoi signalez-vous cette contribution ?"
              hintText="Votre signalement est lu par l’équipe de modération seulement ; aucun compte n’est nécessaire."
              small
              state={error && !reason ? 'error' : 'default'}
              stateRelatedMessage={error && !reason ? error : undefined}
              options={REPORT_REASONS.map((r) => ({
                label: REPORT_REASON_LABELS[r],
                nativeInputProps: { name: `raison-${uid}`, value: r, checked: reason === r, onChange: () => { setReason(r); setError(null); } },
              }))}
            />
            </div>
            <Input
              label="Précisions (facultatif)"
              hintText={`Au plus ${nf.format(REPORT_DETAILS_MAX)} caractères, jamais publiés. Ne donnez pas d’informations sur votre santé ni sur celle d’une autre personne, ni de nom, d’adresse ou de numéro de téléphone.`}
              textArea
              nativeTextAreaProps={{ name: 'details', rows: 3, maxLength: REPORT_DETAILS_MAX, value: details, onChange: (e) => setDetails(e.target.value) }}
            />
            <Trap id={`signaler-site-${uid}`} value={website} onChange={setWebsite} />
            {error && reason ? <ErrorAlert message={error} title="Le signalement n’a pas été envoyé" /> : null}
            <ul className="fr-btns-group fr-btns-group--inline-sm">
              <li><Button type="submit" size="small" disabled={sending}>{sending ? 'Envoi en cours…' : 'Envoyer le signalement'}</Button></li>
              <li><Button type="button" size="small" priority="secondary" onClick={() => { setOpen(false); setError(null); }}>Annuler</Button></li>
            </ul>
          </form>
        ) : null}
      </div>
    </div>
  );
}

/** The e-mail field of a consultation's page: its news (opening, closing, restitution) after a confirmation. */
export function SubscribeForm({ slug }: { slug: string }) {
  const [email, setEmail] = useState('');
  const [website, setWebsite] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ sending: boolean } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => { if (result) resultRef.current?.focus(); }, [result]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      setResult(await post<{ sending: boolean }>(`/consultations/${encodeURIComponent(slug)}/subscriptions`, { email, ...(website ? { website } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="abonnement" className="subscribe fr-p-3w fr-mt-5w">
      <h2 id="abonnement" className="fr-h4">Recevoir les nouvelles de cette consultation</h2>
      <p className="fr-text--sm">
        Un message quand elle s’ouvre ou se clôt et quand sa restitution est publiée, rien d’autre. Votre adresse sert à
        cela seulement ; chaque message permet de se désabonner, ce qui l’efface.{' '}
        <Link href="/donnees-personnelles">Vos données personnelles et vos droits</Link>
      </p>
      {result ? (
        <div ref={resultRef} tabIndex={-1}>
          <Alert severity="success" small
            description={result.sending
              ? 'Demande enregistrée : un message vous est envoyé pour confirmer votre adresse. L’abonnement ne commence qu’une fois le lien de ce message ouvert (il vaut 72 heures).'
              : 'Demande enregistrée. L’envoi des messages n’est pas encore en service sur ce site : le message de confirmation partira dès qu’il le sera, et sans confirmation sous 7 jours votre adresse est effacée.'} />
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="subscribe-form">
          <Input
            label="Votre adresse électronique"
            hintText="Format attendu : nom@exemple.fr"
            state={error ? 'error' : 'default'}
            stateRelatedMessage={error ?? undefined}
            nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'email', required: true, value: email, onChange: (e) => setEmail(e.target.value) }}
          />
          <Trap id="abonnement-site" value={website} onChange={setWebsite} />
          <Button type="submit" disabled={sending} iconId="fr-icon-mail-line" iconPosition="left">{sending ? 'Envoi en cours…' : 'M’abonner'}</Button>
        </form>
      )}
    </section>
  );
}

/** /abonnement/confirmer and /abonnement/desabonner: the button that uses the one-time link. */
export function SubscriptionLinkPage({ purpose }: { purpose: 'confirm' | 'unsubscribe' }) {
  const { query } = useLocation();
  const token = query.get('jeton') ?? '';
  const [state, setState] = useState<{ consultation: { slug: string; title: string } } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const title = purpose === 'confirm' ? 'Confirmer votre abonnement' : 'Vous désabonner';
  async function go() {
    setSending(true);
    setError(null);
    try {
      setState(await post<{ consultation: { slug: string; title: string } }>(purpose === 'confirm' ? '/subscriptions/confirm' : '/subscriptions/unsubscribe', { token }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }
  return (
    <Page title={title}>
      {!token ? <ErrorAlert title="Lien incomplet" message="Ce lien ne contient pas de jeton : ouvrez-le tel qu’il figure dans le message reçu." /> : null}
      {state ? (
        <Alert severity="success" title={purpose === 'confirm' ? 'Abonnement confirmé' : 'Désabonnement fait'}
          description={<>
            {purpose === 'confirm'
              ? <>Vous recevrez les nouvelles de la consultation « {state.consultation.title} ». Chaque message contient un lien pour vous désabonner.</>
              : <>Votre adresse est effacée des abonnés de la consultation « {state.consultation.title} » : vous ne recevrez plus rien.</>}{' '}
            <Link href={`/consultations/${encodeURIComponent(state.consultation.slug)}`}>Voir la consultation</Link>
          </>} />
      ) : token ? (
        <>
          <p>{purpose === 'confirm'
            ? 'Confirmez que vous souhaitez recevoir par courriel les nouvelles de la consultation (ouverture, clôture, restitution publiée).'
            : 'Confirmez que vous ne souhaitez plus recevoir les nouvelles de la consultation : votre adresse sera effacée.'}</p>
          <ErrorAlert message={error ?? undefined} title="Le lien n’a pas pu servir" />
          <Button type="button" disabled={sending} onClick={() => { void go(); }}>
            {sending ? 'Envoi en cours…' : purpose === 'confirm' ? 'Confirmer mon abonnement' : 'Me désabonner'}
          </Button>
        </>
      ) : null}
    </Page>
  );
}
