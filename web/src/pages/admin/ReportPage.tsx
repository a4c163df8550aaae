import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useApi } from '../../hooks.ts';
import { errorMessage, post } from '../../api.ts';
import { COLLEGES, COLLEGE_LABELS } from '../../labels.ts';
import { meetingDate } from '../public/ConsultationPage.tsx';
import type { ConsultationDetail, Participants, WorkshopReport } from '../../types.ts';

const PARTS = [
  ['problematiques', 'Problématiques (constats)', 'Problématique'],
  ['solutions', 'Solutions co-construites', 'Solution'],
  ['leviers', 'Leviers et freins', 'Levier ou frein'],
] as const;
type Part = (typeof PARTS)[number][0];
type ThemeEntry = Record<Part, string[]>;

type Saved = WorkshopReport & { added?: number; kept?: number; removed?: number };

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** What the last save did, in a sentence. */
function savedMessage(r: Saved): string {
  if (r.status === 'draft') {
    return 'Brouillon enregistré : rien n’est soumis ni envoyé en modération. Vous pouvez revenir le compléter.'
      + (r.submittedAt ? ' La version soumise précédemment reste en modération tant que vous ne soumettez pas celle-ci.' : '');
  }
  const parts = [
    r.added ? plural(r.added, 'entrée ajoutée', 'entrées ajoutées') : null,
    r.kept ? plural(r.kept, 'entrée inchangée', 'entrées inchangées') : null,
    r.removed ? plural(r.removed, 'entrée retirée', 'entrées retirées') : null,
  ].filter(Boolean);
  return `Compte-rendu soumis : ${plural(r.contributions, 'contribution', 'contributions')} (texte pseudonymisé), en attente de modération avant publication`
    + (parts.length ? ` — ${parts.join(', ')}.` : '.');
}

/** The form's state from a saved report: one empty row per part where nothing was written, to type into. */
function formEntries(r: WorkshopReport): Record<string, ThemeEntry> {
  const out: Record<string, ThemeEntry> = {};
  for (const t of r.themes) {
    out[t.theme] = {
      problematiques: t.problematiques.length ? t.problematiques : [''],
      solutions: t.solutions.length ? t.solutions : [''],
      leviers: t.leviers.length ? t.leviers : [''],
    };
  }
  return out;
}

const STATUS_TEXT: Record<WorkshopReport['status'], string> = {
  none: 'Aucun compte-rendu enregistré pour cette réunion.',
  draft: 'Brouillon enregistré, non soumis.',
  submitted: 'Compte-rendu soumis : ses entrées passent par la modération. Vous pouvez le modifier et le soumettre à nouveau : il est mis à jour, sans doublon.',
};

export function ReportPage({ slug, meetingId }: { slug: string; meetingId: string }) {
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const saved = useApi<WorkshopReport>(`/admin/meetings/${encodeURIComponent(meetingId)}/report`);
  const meeting = saved.data?.meeting;
  const [participants, setParticipants] = useState<Record<string, string>>({});
  const [entries, setEntries] = useState<Record<string, ThemeEntry>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<Saved | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const focusNext = useRef<string | null>(null);
  const report: Saved | undefined = done ?? saved.data;

  // the form opens on what was saved: the draft as typed, or the entries of the last submission
  useEffect(() => {
    if (!saved.data) return;
    setParticipants(Object.fromEntries([...COLLEGES, 'total'].map((k) => [k, String(saved.data!.participants[k as keyof Participants] ?? '')])));
    setEntries(formEntries(saved.data));
  }, [saved.data]);
  useEffect(() => {
    if (focusNext.current) {
      document.getElementById(focusNext.current)?.focus();
      focusNext.current = null;
    }
  });

  if ((cons.loading && !cons.data) || (saved.loading && !saved.data)) return <Page title="Compte-rendu d’atelier"><Loading /></Page>;
  if (!meeting || !cons.data) return <Page title="Compte-rendu d’atelier" crumbs={adminCrumbs(slug)}><ErrorAlert message={saved.error ?? cons.error ?? 'Réunion introuvable.'} /></Page>;
  const themes = cons.data!.themes;
  const entry = (t: string): ThemeEntry => entries[t] ?? { problematiques: [''], solutions: [''], leviers: [''] };
  const setItem = (t: string, p: Part, i: number, v: string) =>
    setEntries((e) => ({ ...e, [t]: { ...entry(t), [p]: entry(t)[p].map((x, j) => (j === i ? v : x)) } }));
  const addItem = (t: string, p: Part) => {
    focusNext.current = `cr-${t}-${p}-${entry(t)[p].length}`;
    setEntries((e) => ({ ...e, [t]: { ...entry(t), [p]: [...entry(t)[p], ''] } }));
  };
  const removeItem = (t: string, p: Part, i: number) => {
    focusNext.current = `cr-${t}-${p}-ajouter`;
    setEntries((e) => ({ ...e, [t]: { ...entry(t), [p]: entry(t)[p].filter((_, j) => j !== i) } }));
  };

  async function save(e: FormEvent, draft: boolean) {
    e.preventDefault();
    setError(undefined);
    const p: Record<string, number | null> = {};
    for (const k of [...COLLEGES, 'total']) {
      const v = (participants[k] ?? '').trim();
      if (v === '') p[k] = null;
      else if (/^\d+$/.test(v)) p[k] = Number(v);
      else {
        setError(`Nombre de participants invalide (${k === 'total' ? 'total' : COLLEGE_LABELS[k as keyof typeof COLLEGE_LABELS]}) : un nombre entier, ou vide si non communiqué.`);
        return;
      }
    }
    const body = {
      participants: p,
      draft,
      themes: themes
        .map((t) => {
          const en = entry(t.code);
          return {
            theme: t.code,
            problematiques: en.problematiques.map((s) => s.trim()).filter(Boolean),
            solutions: en.solutions.map((s) => s.trim()).filter(Boolean),
            leviers: en.leviers.map((s) => s.trim()).filter(Boolean),
          };
        })
        .filter((t) => t.problematiques.length + t.solutions.length + t.leviers.length > 0),
    };
    setBusy(draft ? 'draft' : 'submit');
    setDone(null);
    try {
      const r = await post<Saved>(`/admin/meetings/${encodeURIComponent(meetingId)}/report`, body);
      setDone(r);
      setEntries(formEntries(r));
      window.scrollTo(0, 0);
      document.getElementById('cr-etat')?.focus();
    } catch (err) {
      setError(errorMessage(err));
      window.scrollTo(0, 0);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Page title={`Compte-rendu : ${meeting.title}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="" />
      <p>{meeting.place ?? 'Lieu non communiqué'} — {meetingDate(meeting)}</p>
      <div id="cr-etat" tabIndex={-1}>
        {done ? (
          <Alert severity="success" className="fr-mb-3w" title={done.status === 'draft' ? 'Brouillon enregistré' : 'Compte-rendu soumis'} description={savedMessage(done)} />
        ) : report ? (
          <p className="fr-text--sm fr-mb-2w"><strong>État :</strong> {STATUS_TEXT[report.status]}</p>
        ) : null}
        {report && report.anomalies.length > 0 ? (
          <Alert severity="warning" className="fr-mb-3w" small={false} title="Anomalie à vérifier"
            description={<ul className="fr-mb-0">{report.anomalies.map((a) => <li key={a.code}>{a.message} Le total est gardé tel qu’indiqué.</li>)}</ul>} />
        ) : null}
      </div>
      <ErrorAlert message={error} title="Enregistrement impossible" />
      <form onSubmit={(e) => void save(e, false)} className="report-form">
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend"><h2 className="fr-h4 fr-mb-0">Participants par collège</h2></legend>
          <p className="fr-text--sm fr-px-1w">Laissez vide ce que le compte-rendu ne communique pas (« NC ») : ce n’est pas zéro.</p>
          <div className="fr-grid-row fr-grid-row--gutters" style={{ width: '100%' }}>
            {[...COLLEGES, 'total' as const].map((k) => (
              <div key={k} className="fr-col-6 fr-col-md-3">
                <Input
                  label={k === 'total' ? 'Total indiqué' : COLLEGE_LABELS[k]}
                  nativeInputProps={{ inputMode: 'numeric', name: `participants-${k}`, value: participants[k] ?? '', onChange: (e) => setParticipants((p) => ({ ...p, [k]: e.target.value })) }}
                />
              </div>
            ))}
          </div>
        </fieldset>
        {themes.map((t, ti) => (
          <fieldset key={t.code} className="fr-fieldset theme-fieldset fr-p-2w fr-mb-3w">
            <legend className="fr-fieldset__legend"><h2 className="fr-h4 fr-mb-0">Thème {ti + 1} : {t.label}</h2></legend>
            <div style={{ width: '100%' }}>
              {PARTS.map(([p, heading, one]) => (
                <div key={p} className="fr-mb-2w" role="group" aria-labelledby={`cr-${t.code}-${p}-h`}>
                  <h3 id={`cr-${t.code}-${p}-h`} className="fr-h6 fr-mb-1w">{heading}</h3>
                  {entry(t.code)[p].map((v, i) => (
                    <div key={i} className="repeat-row">
                      <Input
                        className="repeat-row__input"
                        label={`${one} ${i + 1} (thème ${ti + 1})`}
                        textArea
                        nativeTextAreaProps={{ id: `cr-${t.code}-${p}-${i}`, rows: 2, value: v, onChange: (e) => setItem(t.code, p, i, e.target.value) }}
                      />
                      <Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" title={`Retirer : ${one} ${i + 1} (thème ${ti + 1})`}
                        onClick={() => removeItem(t.code, p, i)}>
                        Retirer
                      </Button>
                    </div>
                  ))}
                  <Button type="button" size="small" priority="secondary" iconId="fr-icon-add-line" nativeButtonProps={{ id: `cr-${t.code}-${p}-ajouter` }} onClick={() => addItem(t.code, p)}>
                    Ajouter : {one.toLowerCase()} (thème {ti + 1})
                  </Button>
                </div>
              ))}
            </div>
          </fieldset>
        ))}
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="button" priority="secondary" disabled={busy !== null} onClick={(e) => void save(e, true)}>
              {busy === 'draft' ? 'Enregistrement…' : 'Enregistrer le brouillon'}
            </Button>
          </li>
          <li>
            <Button type="submit" disabled={busy !== null}>
              {busy === 'submit' ? 'Soumission…' : report?.submittedAt ? 'Soumettre la mise à jour' : 'Soumettre le compte-rendu'}
            </Button>
          </li>
        </ul>
        <p className="fr-text--sm">Le brouillon n’envoie rien en modération. La soumission crée les contributions (une par entrée), en attente de modération ; une nouvelle soumission met à jour ce même compte-rendu.</p>
      </form>
    </Page>
  );
}
