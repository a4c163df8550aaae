import { useEffect, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { errorMessage, forgetCsrf, post } from '../../api.ts';
import { Link, useLocation } from '../../router.tsx';
import { formatDateTime } from '../../labels.ts';


/** Keeps search engines off the page while it is shown (the server also sends X-Robots-Tag). */
function useNoIndex() {
  useEffect(() => {
    const meta = document.createElement('meta');
    meta.name = 'robots';
    meta.content = 'noindex, nofollow';
    document.head.appendChild(meta);
    return () => meta.remove();
  }, []);
}

/**
 * /connexion/nouveau-mot-de-passe?token=… : the holder of a one-time link chooses their password (the rules of
 * src/server/password.ts, checked by the server). The token is read once, then taken out of the address bar
 * (and so out of the history); it only travels in request bodies.
 */
export function SetPasswordPage() {
  useNoIndex();
  const { query } = useLocation();
  const [token] = useState(() => query.get('token') ?? '');
  const [link, setLink] = useState<{ email: string; purpose: 'invite' | 'reset'; expiresAt: string }>();
  const [invalid, setInvalid] = useState<string>();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (window.location.search) window.history.replaceState(window.history.state, '', window.location.pathname);
    if (!token) { setInvalid('Ce lien est incomplet : ouvrez le lien entier que vous avez reçu, ou demandez-en un nouveau à un administrateur.'); return; }
    post<{ email: string; purpose: 'invite' | 'reset'; expiresAt: string }>('/auth/password-link/check', { token })
      .then(setLink)
      .catch((e: unknown) => setInvalid(errorMessage(e)));
  }, [token]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (password !== again) { setError('Les deux mots de passe saisis sont différents.'); return; }
    setBusy(true);
    try {
      await post('/auth/password-link', { token, password });
      // every session of the account was ended: the CSRF token of one of them is no longer valid
      forgetCsrf();
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const title = link?.purpose === 'invite' ? 'Choisir votre mot de passe' : 'Nouveau mot de passe';
  return (
    <Page title={title}>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          {invalid ? (
            <Alert severity="error" title="Lien non valable" description={invalid} className="fr-mb-3w" />
          ) : done ? (
            <>
              <Alert severity="success" title="Mot de passe enregistré" description="Vous pouvez maintenant vous connecter avec votre adresse et ce mot de passe. Les sessions ouvertes sur ce compte ont été fermées." className="fr-mb-3w" />
              <p><Link href="/connexion">Se connecter</Link></p>
            </>
          ) : !link ? (
            <Loading what="Vérification du lien" />
          ) : (
            <>
              <p>
                Compte : <strong>{link.email}</strong>. Ce lien ne sert qu’une fois ; il est valable jusqu’au {formatDateTime(link.expiresAt)}.
              </p>
              <ErrorAlert message={error} title="Enregistrement impossible" />
              <form onSubmit={submit}>
                {/* lets password managers file the new password under the right account */}
                <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
                <Input
                  label="Nouveau mot de passe"
                  hintText="Au moins 12 caractères, pas un mot de passe courant : par exemple quatre mots sans lien entre eux."
                  nativeInputProps={{ type: 'password', name: 'password', autoComplete: 'new-password', required: true, minLength: 12, maxLength: 1000, value: password, onChange: (e) => setPassword(e.target.value) }}
                />
                <Input
                  label="Le même mot de passe, à nouveau"
                  nativeInputProps={{ type: 'password', name: 'password-again', autoComplete: 'new-password', required: true, maxLength: 1000, value: again, onChange: (e) => setAgain(e.target.value) }}
                />
                <Button type="submit" disabled={busy}>{busy ? 'Enregistrement…' : 'Enregistrer le mot de passe'}</Button>
              </form>
            </>
          )}
        </div>
      </div>
    </Page>
  );
}
