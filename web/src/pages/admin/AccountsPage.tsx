import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useApi, useAnnouncer } from '../../hooks.ts';
import { useAuth } from '../../auth.tsx';
import { del, errorMessage, post } from '../../api.ts';
import { ROLE_LABELS, count, formatDate, formatDateTime } from '../../labels.ts';
import type { Role } from '../../types.ts';

// GET /api/admin/accounts (src/usecases/accounts.ts)
interface Account {
  id: string; email: string; role: Role; createdAt: string; disabled: boolean; lastSignInAt: string | null;
  passwordSet: boolean; pendingLinkUntil: string | null; consultations: string[];
}
interface Accounts { accounts: Account[]; consultations: { slug: string; title: string }[] }
interface OneTimeLink { path: string; expiresAt: string }

const ROLES = Object.keys(ROLE_LABELS) as Role[];
const ROLE_HINTS: Record<Role, string> = {
  admin: 'tout, dont les comptes',
  analyst: 'toutes les consultations, modération, analyse, synthèse, schémas',
  facilitator: 'les réunions et comptes-rendus des consultations qui lui sont affectées',
  owner: 'les actions du suivi qui lui sont affectées',
};

const when = (iso: string) => formatDateTime(iso);

function state(a: Account): string {
  if (a.disabled) return 'Désactivé';
  if (!a.passwordSet) return a.pendingLinkUntil ? `En attente : mot de passe à choisir avant le ${when(a.pendingLinkUntil)}` : 'En attente : lien expiré, donnez-en un nouveau';
  return 'Actif';
}

/** The one-time link to pass on, once: shown with a copy button, never stored by the page. */
function LinkToPass({ email, link, onClose }: { email: string; link: OneTimeLink; onClose: () => void }) {
  const url = `${window.location.origin}${link.path}`;
  const [copied, setCopied] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // a keyboard or screen-reader user lands on the link as soon as it is shown
  useEffect(() => { box.current?.focus(); }, [link]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Lien copié.');
    } catch {
      field.current?.select();
      setCopied('Copie automatique impossible : le lien est sélectionné, copiez-le avec Ctrl+C.');
    }
  };
  return (
    <div className="fr-mb-4w" id="lien-a-transmettre" tabIndex={-1} ref={box}>
      <Alert
        severity="success"
        title={`Lien à transmettre à ${email}`}
        description={
          <>
            <span className="fr-text--sm">
              Valable une seule fois, jusqu’au {when(link.expiresAt)}. La personne y choisit son propre mot de passe ; ce lien ne sera plus affiché.
              Transmettez-le par un canal sûr.
            </span>
            <Input label="Lien à usage unique" className="fr-mt-2w fr-mb-1w" nativeInputProps={{ ref: field, readOnly: true, value: url, onFocus: (e) => e.currentTarget.select() }} />
            <span className="btns-inline">
              <Button type="button" size="small" iconId="fr-icon-clipboard-line" onClick={() => { void copy(); }}>Copier le lien</Button>
              <Button type="button" size="small" priority="secondary" onClick={onClose}>J’ai transmis le lien</Button>
            </span>
            <span role="status" className="fr-text--sm fr-ml-1w">{copied}</span>
          </>
        }
      />
    </div>
  );
}

export function AccountsPage() {
  const { user } = useAuth();
  const data = useApi<Accounts>('/admin/accounts');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('facilitator');
  const [error, setError] = useState<string>();
  const [given, setGiven] = useState<{ email: string; link: OneTimeLink }>();
  const [msg, announce] = useAnnouncer();
  const dialog = useConfirmDialog('confirmer-suppression-compte');
  const titles = new Map((data.data?.consultations ?? []).map((c) => [c.slug, c.title]));

  const showLink = (e: string, link: OneTimeLink) => {
    setGiven({ email: e, link });
  };
  async function act(what: () => Promise<unknown>, done: string) {
    setError(undefined);
    try {
      await what();
      announce(done);
      data.reload();
    } catch (e) {
      setError(errorMessage(e));
      setTimeout(() => document.getElementById('erreur-comptes')?.focus(), 0);
    }
  }
  async function create(e: FormEvent) {
    e.preventDefault();
    await act(async () => {
      const res = await post<{ account: { email: string }; link: OneTimeLink }>('/admin/accounts', { email: email.trim(), role });
      setEmail('');
      showLink(res.account.email, res.link);
    }, 'Compte créé.');
  }
  const enc = encodeURIComponent;

  return (
    <Page title="Comptes" crumbs={[{ label: 'Back-office', href: '/admin' }]} lead="Créez les comptes des équipes et des animateurs, donnez-leur un lien pour choisir leur mot de passe, affectez les animateurs à leurs consultations.">
      {given ? <LinkToPass email={given.email} link={given.link} onClose={() => { setGiven(undefined); announce('Lien masqué.'); }} /> : null}
      <div id="erreur-comptes" tabIndex={-1}><ErrorAlert message={error} title="Modification impossible" /></div>
      <LiveRegion message={msg} />

      <form onSubmit={create} className="panel fr-p-3w fr-mb-6w" aria-labelledby="nouveau-compte-titre">
        <h2 id="nouveau-compte-titre" className="fr-h4">Créer un compte</h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Adresse électronique *" nativeInputProps={{ type: 'email', name: 'email', required: true, autoComplete: 'off', maxLength: 320, value: email, onChange: (e) => setEmail(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Rôle *" hint={ROLE_HINTS[role]} nativeSelectProps={{ name: 'role', value: role, onChange: (e) => setRole(e.target.value as Role) }}>
              {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
            </Select>
          </div>
        </div>
        <p className="fr-text--sm">Aucun mot de passe n’est choisi ici : un lien à usage unique, valable 24 heures, vous est donné à transmettre à la personne.</p>
        <Button type="submit" iconId="fr-icon-add-line">Créer le compte</Button>
      </form>

      <h2>{data.data ? count(data.data.accounts.length, 'compte', 'comptes') : 'Comptes'}</h2>
      {data.loading && !data.data ? <Loading /> : null}
      <ErrorAlert message={data.error} />
      {data.data ? (
        <ul className="account-list">
          {data.data.accounts.map((a) => (
            <AccountCard
              key={a.id} account={a} self={a.email === user?.email} titles={titles} consultations={data.data!.consultations}
              onState={(disabled) => act(() => post(`/admin/accounts/${enc(a.id)}/state`, { disabled }), disabled ? `Compte ${a.email} désactivé.` : `Compte ${a.email} réactivé.`)}
              onLink={() => act(async () => showLink(a.email, (await post<{ link: OneTimeLink }>(`/admin/accounts/${enc(a.id)}/password-link`)).link), 'Nouveau lien créé.')}
              onAssign={(slug) => act(() => post(`/admin/accounts/${enc(a.id)}/consultations`, { consultation: slug }), `${a.email} affecté à « ${titles.get(slug) ?? slug} ».`)}
              onUnassign={(slug) => act(() => del(`/admin/accounts/${enc(a.id)}/consultations/${enc(slug)}`), `${a.email} retiré de « ${titles.get(slug) ?? slug} ».`)}
              onDelete={() => dialog.ask({
                title: `Supprimer le compte ${a.email} ?`,
                body: <p>Le compte, ses sessions, ses affectations et ses liens en attente seront supprimés définitivement. Le journal d’audit garde son adresse.</p>,
                confirmLabel: 'Supprimer le compte',
                run: async () => { await del(`/admin/accounts/${enc(a.id)}`); announce(`Compte ${a.email} supprimé.`); data.reload(); },
              })}
            />
          ))}
        </ul>
      ) : null}
      {dialog.element}
    </Page>
  );
}

function AccountCard({ account: a, self, titles, consultations, onState, onLink, onAssign, onUnassign, onDelete }: {
  account: Account; self: boolean; titles: Map<string, string>; consultations: { slug: string; title: string }[];
  onState: (disabled: boolean) => void; onLink: () => void; onAssign: (slug: string) => void; onUnassign: (slug: string) => void; onDelete: () => void;
}) {
  const [slug, setSlug] = useState('');
  const id = useId();
  const free = consultations.filter((c) => !a.consultations.includes(c.slug));
  return (
    <li className="panel fr-p-2w fr-mb-2w account-card">
      <h3 className="fr-h6 fr-mb-1w account-email">{a.email}{self ? ' (vous)' : ''}</h3>
      <dl className="account-facts fr-text--sm">
        <div><dt>Rôle</dt><dd>{ROLE_LABELS[a.role]}</dd></div>
        <div><dt>État</dt><dd>{state(a)}</dd></div>
        <div><dt>Dernière connexion</dt><dd>{a.lastSignInAt ? when(a.lastSignInAt) : 'inconnue'}</dd></div>
        <div><dt>Créé le</dt><dd>{formatDate(a.createdAt)}</dd></div>
        {a.role === 'facilitator' ? (
          <div>
            <dt>Consultations</dt>
            <dd>
              {a.consultations.length === 0 ? 'aucune : ce compte ne voit aucune consultation' : (
                <ul className="fr-mb-0">
                  {a.consultations.map((s) => (
                    <li key={s}>
                      {titles.get(s) ?? s}{' '}
                      <button type="button" className="fr-link fr-text--sm" aria-label={`Retirer ${a.email} de « ${titles.get(s) ?? s} »`} onClick={() => onUnassign(s)}>Retirer</button>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        ) : null}
      </dl>
      {a.role === 'facilitator' && free.length ? (
        <form className="assign-form fr-mb-2w" onSubmit={(e) => { e.preventDefault(); if (slug) { onAssign(slug); setSlug(''); } }}>
          <Select label={`Affecter ${a.email} à une consultation`} className="fr-mb-1w" nativeSelectProps={{ id: `${id}-consultation`, value: slug, required: true, onChange: (e) => setSlug(e.target.value) }}>
            <option value="" disabled>Choisir une consultation</option>
            {free.map((c) => <option key={c.slug} value={c.slug}>{c.title}</option>)}
          </Select>
          <Button type="submit" size="small" priority="secondary">Affecter</Button>
        </form>
      ) : null}
      <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline fr-btns-group--icon-left fr-mb-0">
        {a.disabled ? (
          <li><Button type="button" size="small" priority="secondary" iconId="fr-icon-check-line" onClick={() => onState(false)}>Réactiver<span className="fr-sr-only"> {a.email}</span></Button></li>
        ) : (
          <>
            <li><Button type="button" size="small" priority="secondary" iconId="fr-icon-refresh-line" onClick={onLink}>{a.passwordSet ? 'Réinitialiser le mot de passe' : 'Nouveau lien'}<span className="fr-sr-only"> de {a.email}</span></Button></li>
            {self ? null : <li><Button type="button" size="small" priority="secondary" iconId="fr-icon-lock-line" onClick={() => onState(true)}>Désactiver<span className="fr-sr-only"> {a.email}</span></Button></li>}
          </>
        )}
        {self ? null : <li><Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" onClick={onDelete}>Supprimer<span className="fr-sr-only"> {a.email}</span></Button></li>}
      </ul>
    </li>
  );
}
