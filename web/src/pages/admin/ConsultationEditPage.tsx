import { useEffect, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useApi } from '../../hooks.ts';
import { useAuth, can } from '../../auth.tsx';
import { del, errorMessage, post, put } from '../../api.ts';
import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Link, navigate } from '../../router.tsx';
import { DEPARTEMENTS, REGIONS } from '../../../../src/domain/geography.ts';
import { CNR_SANTE_THEMES } from '../../../../src/domain/theme.ts';
import { MEETING_KIND_LABELS, STATUS_LABELS } from '../../labels.ts';
import { meetingDate } from '../public/ConsultationPage.tsx';
import type { ConsultationDetail, ConsultationStatus, Meeting, MeetingKind, Theme } from '../../types.ts';

interface Form {
  slug: string; title: string; territory: string; periodStart: string; periodEnd: string;
  status: ConsultationStatus; description: string; themes: Theme[];
}

const EMPTY: Form = {
  slug: '', title: '', territory: '', periodStart: '', periodEnd: '', status: 'draft', description: '',
  themes: CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] })),
};

export function ConsultationEditPage({ slug }: { slug?: string }) {
  const { user } = useAuth();
  const analyst = can(user, 'analyst');
  const existing = useApi<ConsultationDetail>(slug ? `/admin/consultations/${encodeURIComponent(slug)}` : null); // drafts included
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    const c = existing.data;
    if (!c) return;
    setForm({
      slug: c.slug, title: c.title, territory: `${c.territory.level}:${c.territory.code}`, periodStart: c.periodStart ?? '', periodEnd: c.periodEnd ?? '',
      status: c.status, description: c.description ?? '', themes: c.themes,
    });
  }, [existing.data]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setTheme = (i: number, patch: Partial<Theme>) =>
    setForm((f) => ({ ...f, themes: f.themes.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    const body = {
      title: form.title.trim(),
      periodStart: form.periodStart || undefined,
      periodEnd: form.periodEnd || undefined,
      status: form.status,
      description: form.description.trim() || undefined,
      themes: form.themes.map((t) => ({ ...t, code: t.code.trim(), label: t.label.trim() })),
    };
    try {
      if (slug) {
        await put<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`, body);
        setSaved('Consultation enregistrée.');
        existing.reload();
      } else {
        // région and département codes overlap (75, 76…): the level travels with the code
        const [level, territory] = form.territory.split(':');
        const c = await post<ConsultationDetail>('/admin/consultations', { ...body, slug: form.slug.trim(), territory, level });
        navigate(`/admin/consultations/${c.slug}`);
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (slug && existing.loading && !existing.data) return <Page title="Consultation"><Loading /></Page>;
  if (slug && existing.error) return <Page title="Consultation" crumbs={adminCrumbs()}><ErrorAlert message={existing.error} /></Page>;
  const title = slug ? `Consultation : ${existing.data?.title ?? slug}` : 'Nouvelle consultation';
  const meetings = slug && existing.data ? <Meetings slug={slug} meetings={existing.data.meetings} reload={existing.reload} /> : null;
  return (
    <Page title={title} crumbs={adminCrumbs()}>
      {slug ? <AdminNav slug={slug} current="" /> : null}
      <ErrorAlert message={error} title="Enregistrement impossible" />
      {saved ? <Alert severity="success" small description={saved} className="fr-mb-3w" /> : null}
      {/* a facilitator comes for the meetings and their reports: they come first, above the settings they cannot change */}
      {analyst ? null : meetings}
      <form onSubmit={save} aria-labelledby="params-titre">
        <h2 id="params-titre">Paramètres</h2>
        <fieldset className="fr-fieldset" disabled={!analyst}>
          <div className="fr-fieldset__content fr-grid-row fr-grid-row--gutters" style={{ width: '100%' }}>
            <div className="fr-col-12 fr-col-md-8">
              <Input label="Titre *" nativeInputProps={{ name: 'title', required: true, value: form.title, onChange: (e) => set('title', e.target.value) }} />
            </div>
            <div className="fr-col-12 fr-col-md-4">
              <Input
                label="Adresse de la page *"
                hintText={<>
                  {slug ? 'Elle ne change plus une fois la consultation créée.' : 'Lettres minuscules sans accents, chiffres et tirets, par exemple « aveyron-2026 ».'}
                  {' '}La page publique : <span style={{ overflowWrap: 'anywhere' }}>{`${window.location.origin}/consultations/${form.slug.trim() || '…'}`}</span>
                </>}
                disabled={Boolean(slug)}
                nativeInputProps={{ name: 'slug', required: true, pattern: '[a-z0-9][a-z0-9-]*[a-z0-9]', value: form.slug, onChange: (e) => set('slug', e.target.value) }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-4">
              <Select label="Territoire *" disabled={Boolean(slug)} nativeSelectProps={{ name: 'territory', required: true, value: form.territory, onChange: (e) => set('territory', e.target.value) }}>
                <option value="" disabled>Choisir une région ou un département</option>
                <optgroup label="Régions">
                  {Object.entries(REGIONS).map(([code, name]) => <option key={`region:${code}`} value={`region:${code}`}>{name}</option>)}
                </optgroup>
                <optgroup label="Départements">
                  {Object.entries(DEPARTEMENTS).map(([code, [name]]) => <option key={`departement:${code}`} value={`departement:${code}`}>{code} – {name}</option>)}
                </optgroup>
              </Select>
            </div>
            <div className="fr-col-6 fr-col-md-4">
              <Input label="Début" nativeInputProps={{ type: 'date', name: 'periodStart', value: form.periodStart, onChange: (e) => set('periodStart', e.target.value) }} />
            </div>
            <div className="fr-col-6 fr-col-md-4">
              <Input label="Fin" nativeInputProps={{ type: 'date', name: 'periodEnd', value: form.periodEnd, onChange: (e) => set('periodEnd', e.target.value) }} />
            </div>
            <div className="fr-col-12 fr-col-md-4">
              <Select label="État" nativeSelectProps={{ name: 'status', value: form.status, onChange: (e) => set('status', e.target.value as ConsultationStatus) }}>
                {Object.entries(STATUS_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
              </Select>
            </div>
            <div className="fr-col-12">
              <Input label="Présentation" textArea nativeTextAreaProps={{ name: 'description', rows: 3, value: form.description, onChange: (e) => set('description', e.target.value) }} />
            </div>
          </div>
        </fieldset>

        <h2>Thèmes</h2>
        <p className="fr-text--sm">Les quatre thèmes nationaux du CNR Santé sont proposés ; ajoutez les thèmes propres au territoire.</p>
        {form.themes.map((t, i) => (
          <fieldset key={i} className="fr-fieldset theme-fieldset fr-p-2w fr-mb-2w" disabled={!analyst}>
            <legend className="fr-fieldset__legend fr-text--md">Thème {i + 1}{t.local ? ' (local)' : ' (national)'}</legend>
            <div className="fr-grid-row fr-grid-row--gutters" style={{ width: '100%' }}>
              <div className="fr-col-12 fr-col-md-2">
                <Input label="Code" nativeInputProps={{ value: t.code, required: true, onChange: (e) => setTheme(i, { code: e.target.value }) }} />
              </div>
              <div className="fr-col-12 fr-col-md-7">
                <Input label="Intitulé" nativeInputProps={{ value: t.label, required: true, onChange: (e) => setTheme(i, { label: e.target.value }) }} />
              </div>
              <div className="fr-col-12 fr-col-md-3 theme-actions">
                <Checkbox small options={[{ label: 'Thème local', nativeInputProps: { checked: t.local, onChange: (e) => setTheme(i, { local: e.target.checked }) } }]} />
                <Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" onClick={() => set('themes', form.themes.filter((_, j) => j !== i))}>
                  Retirer le thème {i + 1}
                </Button>
              </div>
              <div className="fr-col-12">
                <Input label="Mots-clés (séparés par des virgules)" nativeInputProps={{ value: t.keywords.join(', '), onChange: (e) => setTheme(i, { keywords: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) }) }} />
              </div>
            </div>
          </fieldset>
        ))}
        {analyst ? (
          <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
            <li>
              <Button type="button" priority="secondary" iconId="fr-icon-add-line"
                onClick={() => set('themes', [...form.themes, { code: '', label: '', keywords: [], local: true }])}>
                Ajouter un thème local
              </Button>
            </li>
            <li><Button type="submit">{slug ? 'Enregistrer' : 'Créer la consultation'}</Button></li>
          </ul>
        ) : (
          <p className="fr-text--sm">Seuls les analystes modifient les paramètres de la consultation.</p>
        )}
      </form>
      {analyst ? meetings : null}
      {slug && existing.data && user?.role === 'admin' ? <DeleteConsultation slug={slug} title={existing.data.title} /> : null}
    </Page>
  );
}

interface MeetingForm { title: string; kind: MeetingKind; place: string; date: string; time: string }
const EMPTY_MEETING: MeetingForm = { title: '', kind: 'atelier', place: '', date: '', time: '' };

function Meetings({ slug, meetings, reload }: { slug: string; meetings: Meeting[]; reload: () => void }) {
  const [form, setForm] = useState<MeetingForm>(EMPTY_MEETING);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [msg, setMsg] = useState<string>();
  const set = <K extends keyof MeetingForm>(k: K, v: MeetingForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const body = { title: form.title.trim(), kind: form.kind, place: form.place.trim() || undefined, date: form.date || undefined, time: form.time.trim() || undefined };
    try {
      if (editing) await put<Meeting>(`/admin/meetings/${encodeURIComponent(editing)}`, body);
      else await post<Meeting>(`/admin/consultations/${encodeURIComponent(slug)}/meetings`, body);
      setMsg(editing ? 'Réunion modifiée.' : 'Réunion ajoutée.');
      setForm(EMPTY_MEETING);
      setEditing(null);
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <section aria-labelledby="reunions-titre" className="fr-mt-6w">
      <h2 id="reunions-titre">Réunions</h2>
      {meetings.length ? (
        <DataTable
          className="table--wrap"
          caption="Réunions de la consultation"
          headers={['Réunion', 'Type', 'Lieu', 'Date', 'Participants (total)', 'Actions']}
          rows={meetings.map((m) => [
            m.title,
            MEETING_KIND_LABELS[m.kind] ?? m.kind,
            m.place ?? 'non communiqué',
            meetingDate(m),
            m.participants.total ?? 'non communiqué',
            <ul className="inline-links">
              <li><Link href={`/admin/consultations/${slug}/reunions/${encodeURIComponent(m.id)}/compte-rendu`} aria-label={`Saisir le compte-rendu : ${m.title}`}>Saisir le compte-rendu</Link></li>
              <li>
                <button type="button" className="fr-link" aria-label={`Modifier : ${m.title}`} onClick={() => {
                  setEditing(m.id);
                  setForm({ title: m.title, kind: m.kind, place: m.place ?? '', date: m.date ?? '', time: m.time ?? '' });
                  document.getElementById('reunion-form-titre')?.focus();
                }}>Modifier</button>
              </li>
            </ul>,
          ])}
        />
      ) : <p>Aucune réunion pour l’instant.</p>}
      <form onSubmit={submit} className="fr-p-3w panel fr-mt-3w" aria-labelledby="reunion-form-titre">
        <h3 id="reunion-form-titre" tabIndex={-1}>{editing ? 'Modifier la réunion' : 'Ajouter une réunion'}</h3>
        <ErrorAlert message={error} />
        <p role="status" className="fr-text--sm">{msg}</p>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Intitulé *" nativeInputProps={{ name: 'meetingTitle', required: true, value: form.title, onChange: (e) => set('title', e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Type" nativeSelectProps={{ name: 'meetingKind', value: form.kind, onChange: (e) => set('kind', e.target.value as MeetingKind) }}>
              {Object.entries(MEETING_KIND_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Lieu" nativeInputProps={{ name: 'meetingPlace', value: form.place, onChange: (e) => set('place', e.target.value) }} />
          </div>
          <div className="fr-col-6 fr-col-md-3">
            <Input label="Date" nativeInputProps={{ type: 'date', name: 'meetingDate', value: form.date, onChange: (e) => set('date', e.target.value) }} />
          </div>
          <div className="fr-col-6 fr-col-md-3">
            <Input label="Horaires" hintText="Ex. 18h-20h30" nativeInputProps={{ name: 'meetingTime', value: form.time, onChange: (e) => set('time', e.target.value) }} />
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
          <li><Button type="submit">{editing ? 'Enregistrer la réunion' : 'Ajouter la réunion'}</Button></li>
          {editing ? <li><Button type="button" priority="secondary" onClick={() => { setEditing(null); setForm(EMPTY_MEETING); }}>Annuler</Button></li> : null}
        </ul>
      </form>
    </section>
  );
}

/** Administrators only: the consultation and everything in it, behind a confirmation dialog. */
function DeleteConsultation({ slug, title }: { slug: string; title: string }) {
  const dialog = useConfirmDialog('confirmer-suppression-consultation');
  return (
    <section aria-labelledby="suppression-titre" className="fr-mt-6w">
      <h2 id="suppression-titre">Supprimer la consultation</h2>
      <p>Supprime la consultation et tout ce qu’elle contient : réunions, documents importés, contributions, idées communes, synthèses et restitutions publiées. Le journal d’audit reste, sans le texte des contributions.</p>
      <Button type="button" priority="secondary" iconId="fr-icon-delete-line" onClick={() => dialog.ask({
        title: `Supprimer « ${title} » ?`,
        body: <p>Elle et tout ce qu’elle contient (réunions, documents importés, contributions, idées communes, synthèses et restitutions publiées) seront supprimés définitivement. Cette action est inscrite au journal.</p>,
        confirmLabel: 'Supprimer la consultation',
        run: async () => { await del(`/admin/consultations/${encodeURIComponent(slug)}`); navigate('/admin'); },
      })}>Supprimer la consultation</Button>
      {dialog.element}
    </section>
  );
}
