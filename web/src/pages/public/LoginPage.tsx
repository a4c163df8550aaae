import { useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page, ErrorAlert } from '../../components/Page.tsx';
import { useAuth } from '../../auth.tsx';
import { errorMessage } from '../../api.ts';
import { navigate, useLocation } from '../../router.tsx';

export function LoginPage() {
  const { login } = useAuth();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email.trim(), password);
      const next = query.get('suite');
      navigate(next && next.startsWith('/admin') ? next : '/admin');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title="Connexion à l’espace ARS">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-6">
          <p>Réservé aux équipes de l’agence régionale de santé et aux animateurs des ateliers.</p>
          <ErrorAlert message={error} title="Connexion impossible" />
          <form onSubmit={submit}>
            <Input label="Adresse électronique" nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'username', required: true, value: email, onChange: (e) => setEmail(e.target.value) }} />
            <Input label="Mot de passe" nativeInputProps={{ type: 'password', name: 'password', autoComplete: 'current-password', required: true, value: password, onChange: (e) => setPassword(e.target.value) }} />
            <Button type="submit" disabled={busy}>{busy ? 'Connexion…' : 'Se connecter'}</Button>
          </form>
        </div>
      </div>
    </Page>
  );
}
