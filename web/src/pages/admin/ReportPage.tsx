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
import type { ConsultationDetail, Meeting, Participants } from '../../types.ts';

const PARTS = [
  ['problematiques', 'Problématiques (constats)', 'Problématique'],
  ['solutions', 'Solutions co-construites', 'Solution'],
  ['leviers', 'Leviers et freins', 'Levier ou frein'],
] as const;
type Part = (typeof PARTS)[number][0];
type ThemeEntry = Record<Part, string[]>;

export function ReportPage({ slug, meetingId }: { slug: string; meetingId: string }) {
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const meeting = cons.data?.meetings.find((m) => m.id === meetingId);
  const [participants, setParticipants] = useState<Record<string, string>>({});
  const [entries, setEntries] = useState<Record<string, ThemeEntry>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ contributions: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    if (!meeting) return;
    setParticipants(Object.fromEntries([...COLLEGES, 'total'].map((k) => [k, String(meeting.participants[k as keyof Participants] ?? '')])));
  }, [meeting]);
  useEffect(() => {
    if (focusNext.current) {
      document.getElementById(focusNext.current)?.focus();
      focusNext.current = null;
    }
  });

  if (cons.loading && !cons.data) return <Page title="Compte-rendu d’atelier"><Loading /></Page>;
  if (!meeting) return <Page title="Compte-rendu d’atelier" crumbs={adminCrumbs(slug)}><ErrorAlert message={cons.error ?? 'Réunion introuvable.'} /></Page>;
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

  async function submit(e: FormEvent) {
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
    setBusy(true);
    try {
      const r = await post<{ meeting: Meeting; contributions: number; ids: string[] }>(`/admin/meetings/${encodeURIComponent(meetingId)}/report`, body);
      setDone({ contributions: r.contributions });
      setEntries({});
      cons.reload();
      window.scrollTo(0, 0);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={`Compte-rendu : ${meeting.title}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="" />
      <p>{meeting.place ?? 'Lieu non communiqué'} — {meetingDate(meeting)}</p>
      {done ? (
        <Alert severity="success" className="fr-mb-3w" title="Compte-rendu enregistré"
          description={<>{done.contributions} contribution{done.contributions > 1 ? 's' : ''} créée{done.contributions > 1 ? 's' : ''} (texte pseudonymisé), en attente de modération avant publication.</>} />
      ) : null}
      <ErrorAlert message={error} title="Enregistrement impossible" />
      <form onSubmit={submit} className="report-form">
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
        <Button type="submit" disabled={busy}>{busy ? 'Enregistrement…' : 'Enregistrer le compte-rendu'}</Button>
      </form>
    </Page>
  );
}
