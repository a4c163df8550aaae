/**
 * Back office, analysts and administrators: what feeds the follow-up of a plan — the plan's « En pratique » items
 * imported as actions, a new action under an objective, the OQOS targets followed as indicators, another indicator,
 * and the measurements entered over time. Each form says in French what went wrong and keeps what was typed.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { errorMessage, post } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert, Loading } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { count, formatDate, nf } from '../../labels.ts';
import { navigate } from '../../router.tsx';
import type { ActionList, ImportPlanActionsResult } from '../../../../src/usecases/actions.ts';
import type { IndicatorWithProgress, OqosIndicatorsResult } from '../../../../src/usecases/followup-indicators.ts';

const planPath = (id: string) => `/admin/plans/${encodeURIComponent(id)}`;
const today = () => new Date().toISOString().slice(0, 10);

function Outcome({ ok, error }: { ok: string | null; error: string | null }) {
  return (
    <div aria-live="polite">
      {ok ? <Alert severity="success" small description={ok} className="fr-mb-2w" /> : null}
      {error ? <Alert severity="error" small description={error} className="fr-mb-2w" /> : null}
    </div>
  );
}

/** A form whose submission calls the API once at a time and reports the outcome. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<string | null>) => {
    if (busy) return;
    setBusy(true);
    setOk(null);
    setError(null);
    try {
      setOk(await work());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, ok, error, run };
}

/** Import of the « En pratique » items and creation of an action under an objective. */
export function ActionTools({ planId, list, onChange }: { planId: string; list: ActionList; onChange: () => void }) {
  const imp = useSubmit();
  const add = useSubmit();
  const [objective, setObjective] = useState(list.objectives[0]?.code ?? '');
  const [title, setTitle] = useState('');
  const importItems = () => imp.run(async () => {
    const r = await post<ImportPlanActionsResult>(`${planPath(planId)}/actions/import`, {});
    onChange();
    return r.created === 0
      ? 'Les actions « En pratique » du schéma étaient déjà importées : rien n’a changé.'
      : `${count(r.created, 'action proposée créée', 'actions proposées créées')} depuis les rubriques « En pratique » du schéma.`;
  });
  const create = (e: FormEvent) => {
    e.preventDefault();
    void add.run(async () => {
      const a = await post<{ id: string }>(`${planPath(planId)}/actions`, { objective, title });
      setTitle('');
      navigate(`/admin/actions/${encodeURIComponent(a.id)}`);
      return null;
    });
  };
  return (
    <section className="fr-mb-6w" aria-labelledby="outils-actions">
      <h2 id="outils-actions">Alimenter le suivi</h2>
      <p>Chaque élément « En pratique » du schéma devient une action « proposée » ; un nouvel import ne crée pas de doublon.</p>
      <Button priority="secondary" onClick={() => void importItems()} disabled={imp.busy}>Importer les actions « En pratique » du schéma</Button>
      <Outcome ok={imp.ok} error={imp.error} />
      <form onSubmit={create} className="fr-mt-4w" aria-labelledby="nouvelle-action">
        <h3 id="nouvelle-action" className="fr-h5">Ajouter une action</h3>
        <Select label="Objectif opérationnel" nativeSelectProps={{ value: objective, onChange: (e) => setObjective(e.target.value), required: true }}>
          {list.objectives.map((o) => <option key={o.code} value={o.code}>{o.code} — {o.title}</option>)}
        </Select>
        <Input label="Intitulé de l’action" nativeInputProps={{ value: title, onChange: (e) => setTitle(e.target.value), required: true, maxLength: 2000 }} />
        <Button type="submit" disabled={add.busy || !objective || title.trim() === ''}>Créer l’action</Button>
        <Outcome ok={add.ok} error={add.error} />
      </form>
    </section>
  );
}

function MeasureForm({ indicator, onDone }: { indicator: IndicatorWithProgress; onDone: () => void }) {
  const s = useSubmit();
  const [value, setValue] = useState('');
  const [date, setDate] = useState(today());
  const [source, setSource] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void s.run(async () => {
      const n = Number(value.replace(',', '.').replace(/\s/g, ''));
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error('La valeur mesurée doit être un nombre (par exemple 3 ou 2,5).');
      await post(`/admin/indicators/${encodeURIComponent(indicator.id)}/measurements`, { value: n, date, ...(source.trim() ? { source } : {}) });
      setValue('');
      setSource('');
      onDone();
      return `Mesure enregistrée pour « ${indicator.label} ».`;
    });
  };
  return (
    <form onSubmit={submit} className="followup-measure" aria-label={`Ajouter une mesure : ${indicator.label}`}>
      <Input label={`Valeur (${indicator.unit || 'nombre'})`} nativeInputProps={{ value, onChange: (e) => setValue(e.target.value), inputMode: 'decimal', required: true }} />
      <Input label="Date de la mesure" nativeInputProps={{ type: 'date', value: date, max: today(), onChange: (e) => setDate(e.target.value), required: true }} />
      <Input label="Source (facultatif)" nativeInputProps={{ value: source, onChange: (e) => setSource(e.target.value), maxLength: 2000 }} />
      <Button type="submit" size="small" disabled={s.busy}>Enregistrer la mesure</Button>
      <Outcome ok={s.ok} error={s.error} />
    </form>
  );
}

function NewIndicator({ planId, objectives, onDone }: { planId: string; objectives: ActionList['objectives']; onDone: () => void }) {
  const s = useSubmit();
  const [f, setF] = useState({ label: '', unit: '', objective: '', baseline: '', source: '', target: '' });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const num = (v: string, what: string) => {
    const n = Number(v.replace(',', '.').replace(/\s/g, ''));
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} doit être un nombre.`);
    return n;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void s.run(async () => {
      await post(`${planPath(planId)}/indicators`, {
        label: f.label, unit: f.unit, objective: f.objective || null,
        baseline: { value: num(f.baseline, 'La valeur de départ'), source: f.source }, target: { value: num(f.target, 'La cible') },
      });
      setF({ label: '', unit: '', objective: '', baseline: '', source: '', target: '' });
      onDone();
      return 'Indicateur ajouté.';
    });
  };
  return (
    <form onSubmit={submit} className="fr-mt-4w" aria-labelledby="nouvel-indicateur">
      <h3 id="nouvel-indicateur" className="fr-h5">Ajouter un indicateur</h3>
      <Input label="Libellé" nativeInputProps={{ value: f.label, onChange: set('label'), required: true, maxLength: 1000 }} />
      <Input label="Unité (facultatif)" hintText="par exemple : médecins, %, implantations" nativeInputProps={{ value: f.unit, onChange: set('unit'), maxLength: 200 }} />
      <Select label="Objectif suivi (facultatif)" nativeSelectProps={{ value: f.objective, onChange: set('objective') }}>
        <option value="">Le schéma dans son ensemble</option>
        {objectives.map((o) => <option key={o.code} value={o.code}>{o.code} — {o.title}</option>)}
      </Select>
      <Input label="Valeur de départ" nativeInputProps={{ value: f.baseline, onChange: set('baseline'), inputMode: 'decimal', required: true }} />
      <Input label="Source de la valeur de départ" hintText="par exemple : chiffres clés du schéma, constat de l’atelier" nativeInputProps={{ value: f.source, onChange: set('source'), required: true, maxLength: 2000 }} />
      <Input label="Cible" nativeInputProps={{ value: f.target, onChange: set('target'), inputMode: 'decimal', required: true }} />
      <Button type="submit" disabled={s.busy}>Ajouter l’indicateur</Button>
      <Outcome ok={s.ok} error={s.error} />
    </form>
  );
}

/** The plan's indicators with their progress; analysts add OQOS indicators, other indicators and measurements. */
export function IndicatorsPanel({ planId, objectives, canEdit }: { planId: string; objectives: ActionList['objectives']; canEdit: boolean }) {
  const res = useApi<{ planId: string; indicators: IndicatorWithProgress[] }>(`${planPath(planId)}/indicators`);
  const oqos = useSubmit();
  const [open, setOpen] = useState<string | null>(null);
  const list = res.data?.indicators;
  const followOqos = () => oqos.run(async () => {
    const r = await post<OqosIndicatorsResult>(`${planPath(planId)}/indicators/oqos`, {});
    res.reload();
    const skipped = r.skipped.total ? ` ; ${count(r.skipped.total, 'ligne écartée', 'lignes écartées')} (${r.skipped.reasons.map((x) => `${x.label} : ${nf.format(x.count)}`).join(', ')})` : '';
    return `${count(r.created, 'indicateur créé', 'indicateurs créés')}, ${count(r.alreadyThere, 'déjà suivi', 'déjà suivis')}${skipped}.`;
  });
  let body: ReactNode = null;
  if (list && list.length === 0) body = <p>Aucun indicateur n’est encore suivi pour ce schéma.</p>;
  if (list && list.length) {
    body = (
      <DataTable className="table--wrap" caption="Indicateurs du schéma" headers={['Indicateur', 'Départ', 'Dernière mesure', 'Cible', 'Avancement', ...(canEdit ? ['Mesure'] : [])]}
        rows={list.map((i) => [
          i.label,
          `${nf.format(i.baseline.value)} ${i.unit}`.trim(),
          i.progress.latest ? `${nf.format(i.progress.latest.value)} (${formatDate(i.progress.latest.date)})` : 'aucune',
          i.progress.targetLabel,
          i.progress.label,
          ...(canEdit ? [open === i.id
            ? <MeasureForm indicator={i} onDone={() => { res.reload(); }} />
            : <Button size="small" priority="secondary" onClick={() => setOpen(i.id)} nativeButtonProps={{ 'aria-label': `Ajouter une mesure : ${i.label}` }}>Ajouter une mesure</Button>] : []),
        ])} />
    );
  }
  return (
    <section className="fr-mb-6w" aria-labelledby="indicateurs-titre">
      <h2 id="indicateurs-titre">Indicateurs</h2>
      {canEdit ? (
        <>
          <p>Chaque cible OQOS du schéma (existant → cible) peut être suivie comme un indicateur ; les autorisations accordées ensuite s’entrent comme mesures.</p>
          <Button priority="secondary" onClick={() => void followOqos()} disabled={oqos.busy}>Suivre les cibles OQOS du schéma</Button>
          <Outcome ok={oqos.ok} error={oqos.error} />
        </>
      ) : null}
      {res.loading && !list ? <Loading /> : null}
      <ErrorAlert message={res.error} />
      {body}
      {canEdit ? <NewIndicator planId={planId} objectives={objectives} onDone={res.reload} /> : null}
    </section>
  );
}
