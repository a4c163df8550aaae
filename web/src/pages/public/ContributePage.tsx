import { useEffect, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { ConsultationNav } from './ConsultationPage.tsx';
import { useApi, useDebounced } from '../../hooks.ts';
import { ApiError, errorMessage, post } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { COLLEGES, COLLEGE_LABELS } from '../../labels.ts';
import type { ConsultationDetail } from '../../types.ts';
import { isInvisibleText, sanitizeText, visibleLength } from '../../../../src/domain/text.ts';

/** The server's limit, counted the same way (characters as people see them: an emoji counts as one). */
const MAX_TEXT = 5000;

interface Suggestion { theme: string; label: string; p: number }

export function ContributePage({ slug }: { slug: string }) {
  const { data: c, error, loading } = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const [text, setText] = useState('');
  const [theme, setTheme] = useState('');
  const [college, setCollege] = useState('');
  const [postcode, setPostcode] = useState('');
  // a field people never see nor reach: a robot that fills every field gives itself away (the server drops its post)
  const [website, setWebsite] = useState('');
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [announce, setAnnounce] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string>();
  const [sending, setSending] = useState(false);
  const debounced = useDebounced(text, 700);

  useEffect(() => {
    const t = debounced.trim();
    if (t.length < 20) {
      setSuggestion(null);
      return;
    }
    let live = true;
    post<{ labels: Suggestion[] }>(`/consultations/${encodeURIComponent(slug)}/suggest-theme`, { text: t })
      .then((r) => {
        if (!live) return;
        const best = r.labels[0];
        if (best && best.p >= 0.2) {
          setSuggestion(best);
          setAnnounce(`Thème suggéré : ${best.label}. Vous pouvez le choisir avec le bouton « Choisir ce thème » ou garder votre choix.`);
        } else {
          setSuggestion(null);
        }
      })
      .catch(() => live && setSuggestion(null));
    return () => {
      live = false;
    };
  }, [debounced, slug]);

  if (loading && !c) return <Page title="Contribuer"><Loading /></Page>;
  if (error || !c) return <Page title="Contribuer"><ErrorAlert message={error ?? 'Consultation introuvable.'} /></Page>;
  const title = `Contribuer : ${c.title}`;
  const crumbs = [{ label: 'Consultations', href: '/' }, { label: c.title, href: `/consultations/${slug}` }];
  // the API says whether the form is open today (period, or reopened by an administrator): the same rule it enforces
  if (!c.acceptsContributions) {
    return (
      <Page title={title} crumbs={crumbs}>
        <Alert severity="info" title="Consultation close" description={`${c.closedReason ?? 'Cette consultation n’est pas ouverte aux contributions.'} Vous pouvez lire les contributions publiées et la restitution.`} />
        <ConsultationNav slug={slug} current="/contribuer" open={false} />
      </Page>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const t = sanitizeText(text).trim();
    const n = visibleLength(t);
    if (isInvisibleText(t) || n < 3) errs.text = 'Écrivez votre contribution (au moins 3 caractères visibles).';
    if (n > MAX_TEXT) errs.text = `Votre contribution dépasse 5 000 caractères (${n.toLocaleString('fr-FR')}).`;
    if (postcode && !/^\d{5}$/.test(postcode.trim())) errs.postcode = 'Le code postal comporte 5 chiffres, par exemple 12000.';
    setErrors(errs);
    setSubmitError(undefined);
    if (Object.keys(errs).length) {
      document.getElementById(errs.text ? 'contribution-texte' : 'contribution-cp')?.focus();
      return;
    }
    setSending(true);
    try {
      const body: Record<string, string> = { text: t };
      if (theme) body.theme = theme;
      if (college) body.college = college;
      if (postcode.trim()) body.postcode = postcode.trim();
      if (website) body.website = website;
      await post<{ id: string; status: string }>(`/consultations/${encodeURIComponent(slug)}/contributions`, body);
      // the thank-you page says « reçue » only after a submission from this tab (not when its address is opened)
      try { sessionStorage.setItem(sentKey(slug), '1'); } catch { /* storage refused: the page says it neutrally */ }
      navigate(`/consultations/${slug}/contribuer/merci`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'rate_limited') setSubmitError('Trop d’envois en peu de temps : réessayez dans une minute.');
      else setSubmitError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <Page title={title} crumbs={crumbs}>
      <ConsultationNav slug={slug} current="/contribuer" open />
      <p>
        Votre contribution sera relue par l’équipe de l’agence régionale de santé avant publication. Les informations
        personnelles (noms, adresses, téléphones) sont masquées. Seul le texte est obligatoire.
      </p>
      <div className="fr-callout fr-mb-4w" id="contribution-avertissement">
        <p className="fr-callout__text fr-text--md">
          Ne donnez pas d’informations sur votre santé ni sur celle d’une autre personne (maladie, traitement, handicap…),
          ni de nom, d’adresse ou de numéro de téléphone : décrivez la situation sans que l’on puisse reconnaître
          quelqu’un. Ce que vous écrivez, votre profil et votre code postal servent à préparer le schéma territorial de
          santé ; le code postal n’est jamais publié avec votre contribution, seulement compté sur la carte avec au moins
          4 autres.{' '}
          <Link href="/donnees-personnelles">Vos données personnelles et vos droits</Link>
        </p>
      </div>
      <ErrorAlert message={submitError} title="L’envoi a échoué" />
      <form onSubmit={submit} noValidate className="contribution-form" aria-describedby="obligatoire">
        <p id="obligatoire" className="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires.</p>
        <Input
          label="Votre contribution *"
          hintText={`Un constat, une difficulté vécue, une proposition… (5 000 caractères au plus ; ${visibleLength(text.trim()).toLocaleString('fr-FR')} / 5 000)`}
          textArea
          state={errors.text ? 'error' : 'default'}
          stateRelatedMessage={errors.text}
          nativeTextAreaProps={{
            id: 'contribution-texte',
            name: 'text',
            rows: 8,
            required: true,
            // no maxLength: the browser counts UTF-16 units (an emoji counts twice); the hint counts as the server does
            value: text,
            onChange: (e) => setText(e.target.value),
          }}
        />
        <Select
          label="Thème (facultatif)"
          hint="Si vous ne choisissez pas, l’équipe classera votre contribution."
          nativeSelectProps={{ id: 'contribution-theme', name: 'theme', value: theme, onChange: (e) => setTheme(e.target.value) }}
        >
          <option value="">Je ne sais pas / aucun thème</option>
          {c.themes.map((t) => (
            <option key={t.code} value={t.code}>{t.label}</option>
          ))}
        </Select>
        <div className="suggestion fr-mb-3w">
          <LiveRegion id="suggestion-annonce" message={announce} />
          {suggestion && suggestion.theme !== theme ? (
            <div className="fr-callout fr-py-2w fr-px-3w">
              <p className="fr-callout__text fr-text--md fr-mb-1w" id="suggestion-texte">
                Thème suggéré d’après votre texte : <strong>{suggestion.label}</strong>
              </p>
              <Button size="small" priority="secondary" type="button" onClick={() => { setTheme(suggestion.theme); setAnnounce(`Thème choisi : ${suggestion.label}.`); }}
                nativeButtonProps={{ 'aria-describedby': 'suggestion-texte' }}>
                Choisir ce thème
              </Button>
            </div>
          ) : null}
        </div>
        <Select
          label="Vous êtes (facultatif)"
          nativeSelectProps={{ id: 'contribution-college', name: 'college', value: college, onChange: (e) => setCollege(e.target.value) }}
        >
          <option value="">Je préfère ne pas le dire</option>
          {COLLEGES.map((k) => (
            <option key={k} value={k}>{COLLEGE_LABELS[k]}</option>
          ))}
        </Select>
        <Input
          label="Code postal (facultatif)"
          hintText="Pour situer votre contribution dans le territoire. Format : 5 chiffres."
          state={errors.postcode ? 'error' : 'default'}
          stateRelatedMessage={errors.postcode}
          nativeInputProps={{
            id: 'contribution-cp',
            name: 'postcode',
            inputMode: 'numeric',
            autoComplete: 'postal-code',
            maxLength: 5,
            value: postcode,
            onChange: (e) => setPostcode(e.target.value),
          }}
        />
        <div className="contribution-piege" aria-hidden="true">
          <label htmlFor="contribution-site">Ne remplissez pas ce champ</label>
          <input id="contribution-site" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} />
        </div>
        <Button type="submit" disabled={sending} iconId="fr-icon-send-plane-line" iconPosition="right">
          {sending ? 'Envoi en cours…' : 'Envoyer ma contribution'}
        </Button>
      </form>
    </Page>
  );
}

const sentKey = (slug: string) => `fabrique:contribution-envoyee:${slug}`;

function sentFromThisTab(slug: string): boolean {
  try { return sessionStorage.getItem(sentKey(slug)) === '1'; } catch { return false; }
}

export function ThanksPage({ slug }: { slug: string }) {
  if (!sentFromThisTab(slug)) {
    return (
      <Page title="Contribuer" crumbs={[{ label: 'Consultations', href: '/' }, { label: 'Consultation', href: `/consultations/${slug}` }]}>
        <Alert severity="info" title="Aucune contribution envoyée depuis cette page" description="Pour donner votre avis, écrivez votre contribution dans le formulaire de la consultation." />
        <p className="fr-mt-3w"><Link href={`/consultations/${slug}/contribuer`}>Écrire une contribution</Link></p>
      </Page>
    );
  }
  return (
    <Page title="Merci pour votre contribution" crumbs={[{ label: 'Consultations', href: '/' }, { label: 'Consultation', href: `/consultations/${slug}` }]}>
      <Alert
        severity="success"
        title="Contribution reçue"
        description={
          <>
            Elle est transmise à la modération : l’équipe de l’agence régionale de santé la relit, masque les
            informations personnelles éventuelles, puis la publie avec les autres contributions.
          </>
        }
      />
      <p className="fr-mt-3w">
        <Link href={`/consultations/${slug}/contributions`}>Lire les contributions déjà publiées</Link>
      </p>
      <p>
        <Link href={`/consultations/${slug}/contribuer`}>Écrire une autre contribution</Link>
      </p>
    </Page>
  );
}
