/**
 * The easy-to-read summary (FALC) of the restitution, on the synthesis page: a title and short sections, the checks of
 * the checkable easy-to-read rules shown as warnings while one writes (src/domain/easy-read.ts), saved and published
 * apart from the restitution.
 */
import { useEffect, useState } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { useAnnouncer, useApi, useDebounced } from '../../hooks.ts';
import { errorMessage, post, put } from '../../api.ts';
import { Link } from '../../router.tsx';
import { count, formatDate } from '../../labels.ts';
import { EASY_READ_LIMITS, EASY_READ_MAX_WORDS, EASY_READ_RULES, type EasyReadRule } from '../../../../src/domain/easy-read.ts';
import type { EasyReadEditorView, EasyReadWarning } from '../../types.ts';

interface Draft { title: string; sections: { heading: string; text: string }[] }
const EMPTY: Draft = { title: '', sections: [{ heading: '', text: '' }] };

function whereLabel(w: EasyReadWarning): string {
  if (w.where.part === 'title') return 'Titre';
  const n = (w.where.section ?? 0) + 1;
  return w.where.part === 'heading' ? `Partie ${n}, titre` : `Partie ${n}, texte`;
}

export function EasyReadEditor({ slug }: { slug: string }) {
  const base = `/admin/consultations/${encodeURIComponent(slug)}/easy-read`;
  const view = useApi<EasyReadEditorView>(base);
  const [state, setState] = useState<EasyReadEditorView | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [warnings, setWarnings] = useState<EasyReadWarning[]>([]);
  const [busy, setBusy] = useState<null | 'save' | 'publish' | 'withdraw'>(null);
  const [error, setError] = useState<string>();
  const [msg, announce] = useAnnouncer();
  const checked = useDebounced(draft, 600);

  useEffect(() => {
    if (!view.data) return;
    setState(view.data);
    if (view.data.draft) setDraft(view.data.draft);
    setWarnings(view.data.warnings);
  }, [view.data]);

  useEffect(() => {
    if (!checked.title.trim() || !checked.sections.some((s) => s.heading.trim() && s.text.trim())) return;
    let live = true;
    post<{ warnings: EasyReadWarning[] }>(`${base}/check`, checked).then((r) => live && setWarnings(r.warnings)).catch(() => undefined);
    return () => { live = false; };
  }, [checked, base]);

  async function act(kind: 'save' | 'publish' | 'withdraw') {
    setBusy(kind);
    setError(undefined);
    try {
      const next = kind === 'save' ? await put<EasyReadEditorView>(base, draft) : await post<EasyReadEditorView>(`${base}/${kind}`);
      setState(next);
      if (next.draft) setDraft(next.draft);
      setWarnings(next.warnings);
      announce(kind === 'save' ? 'Résumé facile à lire enregistré.' : kind === 'publish' ? 'Résumé facile à lire publié.' : 'Résumé facile à lire retiré du site.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const setSection = (i: number, field: 'heading' | 'text', value: string) =>
    setDraft((d) => ({ ...d, sections: d.sections.map((s, k) => (k === i ? { ...s, [field]: value } : s)) }));
  const rules = Object.entries(EASY_READ_RULES) as [EasyReadRule, { label: string; advice: string }][];
  const saved = state?.draft ? JSON.stringify(state.draft) === JSON.stringify(draft) : false;

  return (
    <section className="panel fr-p-3w fr-mt-4w" aria-labelledby="facile-titre">
      <h2 id="facile-titre" className="fr-h5">7. Résumé facile à lire (FALC)</h2>
      <p className="fr-text--sm">
        Un résumé court de la restitution pour les personnes qui lisent difficilement. Il est publié à part, sur la page
        « facile à lire » de la consultation. Écrivez une idée par phrase, avec des mots de tous les jours.
      </p>
      <details className="fr-mb-2w">
        <summary>Les règles vérifiées automatiquement</summary>
        <ul className="fr-text--sm">
          {rules.map(([k, r]) => <li key={k}><strong>{r.label}</strong> : {r.advice}</li>)}
        </ul>
        <p className="fr-text--sm">Ce sont des avertissements : relisez aussi le texte avec une personne concernée.</p>
      </details>
      <ErrorAlert message={view.error ?? error} />
      <Input label="Titre" hintText="Par exemple : « La santé près de chez vous : ce que vous avez dit »"
        nativeInputProps={{ maxLength: EASY_READ_LIMITS.title, value: draft.title, onChange: (e) => setDraft((d) => ({ ...d, title: e.target.value })) }} />
      {draft.sections.map((s, i) => (
        <fieldset key={i} className="fr-fieldset fr-mb-2w" aria-labelledby={`facile-partie-${i}`}>
          <legend id={`facile-partie-${i}`} className="fr-fieldset__legend fr-text--regular">Partie {i + 1}</legend>
          <div className="fr-fieldset__element">
            <Input label={`Titre de la partie ${i + 1}`} nativeInputProps={{ maxLength: EASY_READ_LIMITS.heading, value: s.heading, onChange: (e) => setSection(i, 'heading', e.target.value) }} />
            <Input label={`Texte de la partie ${i + 1}`} hintText={`Une phrase par ligne, ${EASY_READ_MAX_WORDS} mots au plus.`} textArea
              nativeTextAreaProps={{ rows: 4, maxLength: EASY_READ_LIMITS.text, value: s.text, onChange: (e) => setSection(i, 'text', e.target.value) }} />
            {draft.sections.length > 1 ? (
              <Button priority="tertiary" size="small" iconId="fr-icon-delete-line" onClick={() => setDraft((d) => ({ ...d, sections: d.sections.filter((_, k) => k !== i) }))}>
                Retirer la partie {i + 1}
              </Button>
            ) : null}
          </div>
        </fieldset>
      ))}
      {draft.sections.length < EASY_READ_LIMITS.sections ? (
        <Button priority="secondary" size="small" iconId="fr-icon-add-line" className="fr-mb-3w"
          onClick={() => setDraft((d) => ({ ...d, sections: [...d.sections, { heading: '', text: '' }] }))}>
          Ajouter une partie
        </Button>
      ) : null}

      <div aria-live="polite">
        {warnings.length === 0 ? (
          draft.title.trim() ? <p className="fr-text--sm">Aucun avertissement sur les règles vérifiées.</p> : null
        ) : (
          <div className="fr-alert fr-alert--warning fr-mb-2w">
            <h3 className="fr-alert__title">{count(warnings.length, 'avertissement', 'avertissements')}</h3>
            <ul className="fr-mb-0">
              {warnings.map((w, i) => <li key={i}><strong>{whereLabel(w)}</strong> — {EASY_READ_RULES[w.rule as EasyReadRule]?.label ?? w.rule} : {w.message}</li>)}
            </ul>
          </div>
        )}
      </div>

      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">
        <li><Button onClick={() => void act('save')} disabled={busy !== null} iconId="fr-icon-save-line">{busy === 'save' ? 'Enregistrement…' : 'Enregistrer le résumé'}</Button></li>
        <li>
          <Button priority="secondary" onClick={() => void act('publish')} disabled={busy !== null || !saved || !state?.restitutionPublished} iconId="fr-icon-send-plane-line">
            {busy === 'publish' ? 'Publication…' : 'Publier le résumé'}
          </Button>
        </li>
        {state?.published ? (
          <li><Button priority="tertiary" onClick={() => void act('withdraw')} disabled={busy !== null} iconId="fr-icon-close-circle-line">Retirer du site</Button></li>
        ) : null}
      </ul>
      {!state?.restitutionPublished ? <p className="fr-text--sm">Le résumé se publie une fois la restitution publiée.</p> : null}
      {state?.restitutionPublished && !saved ? <p className="fr-text--sm">Enregistrez le résumé avant de le publier.</p> : null}
      {state?.published && state.publishedAt ? (
        <Alert severity={state.unpublishedChanges ? 'warning' : 'success'} small className="fr-mt-2w"
          description={<>
            Publié le {formatDate(state.publishedAt)}{state.unpublishedChanges ? ' ; le brouillon enregistré a changé depuis : publiez-le pour mettre la page à jour' : ''}.{' '}
            <Link href={`/consultations/${slug}/facile`}>Voir la page publique</Link>
          </>} />
      ) : null}
      <LiveRegion message={msg} />
    </section>
  );
}
