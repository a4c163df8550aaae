import { useMemo, useState, type FormEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { ApiError, errorMessage, patch } from '../../api.ts';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { formatDate } from '../../labels.ts';
import { CORRECTABLE_FIELDS, PLAN_FIELD_LABELS, type PlanElementField, type PlanElementKind } from '../../../../src/domain/plan.ts';
import type { PlanDetail, PlanElementView, PlanSummary } from '../../types.ts';

const KIND_LABELS: Record<PlanElementKind, string> = { engagement: 'Engagement', defi: 'Défi', objective: 'Objectif' };

interface Element { code: string; kind: PlanElementKind; title: string; values: Partial<Record<PlanElementField, string | null>> }

/** The plan's elements in printed order, with the values a correction may change. */
function elementsOf(p: PlanDetail): Element[] {
  const out: Element[] = [];
  for (const e of p.engagements) {
    out.push({ code: e.code, kind: 'engagement', title: e.title, values: { title: e.title, code: e.code } });
    for (const d of e.defis) {
      out.push({ code: d.code, kind: 'defi', title: d.title, values: { title: d.title, code: d.code, enjeux: d.enjeux, objectifRegional: d.objectifRegional } });
      for (const o of d.objectives) {
        out.push({
          code: o.code, kind: 'objective', title: o.title,
          values: {
            title: o.title, code: o.code, defiARelever: o.defiARelever, constats: o.constats, objectif: o.objectif, resultatsAttendus: o.resultatsAttendus,
            chiffresCles: o.chiffresCles, paroleCitoyen: o.paroleCitoyen, objectifRegional: o.objectifRegional,
          },
        });
      }
    }
  }
  return out;
}

/** Back office: the imported schémas territoriaux de santé. */
export function PlanListAdminPage() {
  const list = useApi<{ items: PlanSummary[] }>('/plans');
  return (
    <Page title="Schémas territoriaux de santé" crumbs={[{ label: 'Back-office', href: '/admin' }]}>
      <p>Les schémas importés (<code>fabrique import &lt;fichier&gt; --plan</code> ou <code>--consultation</code>) : relisez-les et corrigez ce que la lecture du document a mal repris.</p>
      {list.loading ? <Loading /> : null}
      <ErrorAlert message={list.error} />
      {list.data && list.data.items.length === 0 ? <p>Aucun schéma importé.</p> : null}
      {list.data && list.data.items.length ? (
        <DataTable
          className="table--wrap"
          caption="Schémas importés"
          headers={['Schéma', 'Département', 'Consultation', 'Importé le', 'Page publique']}
          rows={list.data.items.map((p) => [
            <Link href={`/admin/schemas/${encodeURIComponent(p.id)}`}>{p.title} — {p.territoryName}{p.period ? ` ${p.period.start}-${p.period.end}` : ''}</Link>,
            `${p.territoryName} (${p.territory})`,
            p.consultation ?? 'aucune',
            formatDate(p.importedAt.slice(0, 10)),
            <Link href={`/schemas/${encodeURIComponent(p.id)}`} aria-label={`Page publique : ${p.title}`}>Voir</Link>,
          ])}
        />
      ) : null}
    </Page>
  );
}

/** Back office: a plan's elements, and the form that corrects a title, a printed field or a code (audited). */
export function PlanAdminPage({ id }: { id: string }) {
  const res = useApi<PlanDetail>(`/plans/${encodeURIComponent(id)}`);
  const p = res.data;
  const elements = useMemo(() => (p ? elementsOf(p) : []), [p]);
  const [code, setCode] = useState('');
  const [field, setField] = useState<PlanElementField>('title');
  const [value, setValue] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [done, setDone] = useState<string>();
  const [message, announce] = useAnnouncer();
  const current = elements.find((e) => e.code === code);
  const fields = current ? CORRECTABLE_FIELDS[current.kind] : [];

  function choose(c: string, f?: PlanElementField) {
    const el = elements.find((e) => e.code === c);
    setCode(c);
    const nextField = f ?? (el && CORRECTABLE_FIELDS[el.kind].includes(field) ? field : 'title');
    setField(nextField);
    setValue(el?.values[nextField] ?? '');
    setError(undefined);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!current) {
      setError({ message: 'Choisissez l’élément à corriger.', field: 'code' });
      return;
    }
    setSaving(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await patch<PlanElementView>(`/admin/plans/${encodeURIComponent(p!.id)}/elements/${encodeURIComponent(current.code)}`, { field, value });
      const msg = `${PLAN_FIELD_LABELS[field]} de ${r.code} enregistré ; la correction est inscrite au journal d’audit.`;
      setDone(msg);
      announce(msg);
      setCode(r.code);
      res.reload();
    } catch (err) {
      const m = errorMessage(err);
      setError({ message: m, ...(err instanceof ApiError && err.field ? { field: err.field } : {}) });
      announce(`Erreur : ${m}`);
    } finally {
      setSaving(false);
    }
  }

  const long = field !== 'title' && field !== 'code';
  const valueLabel = `Nouvelle valeur : ${PLAN_FIELD_LABELS[field].toLowerCase()}`;
  const hint = field === 'code' ? 'Forme E1, E1D2 ou E1D2O3, commençant par le code du parent ; les éléments rattachés suivent.'
    : field === 'title' ? 'Obligatoire.' : 'Vide : le champ est effacé. Une ligne commençant par « - » est un point de liste.';
  const valueState = error && (error.field === 'value' || error.field === undefined) ? 'error' as const : 'default' as const;
  return (
    <Page
      title={p ? `Corriger : ${p.title} — ${p.territoryName}${p.period ? ` ${p.period.start}-${p.period.end}` : ''}` : 'Corriger un schéma'}
      crumbs={[{ label: 'Back-office', href: '/admin' }, { label: 'Schémas territoriaux de santé', href: '/admin/schemas' }]}
    >
      {res.loading && !p ? <Loading what="Chargement du schéma" /> : null}
      <ErrorAlert message={res.error} />
      {p ? (
        <>
          <p>
            <Link href={`/schemas/${encodeURIComponent(p.id)}`}>Page publique du schéma</Link> · <Link href={`/admin/schemas/${encodeURIComponent(p.id)}/liens`}>Relier aux objectifs ce que la consultation a dit</Link> · <Link href={`/admin/schemas/${encodeURIComponent(p.id)}/suivi`}>Suivi du schéma : actions et tableau de bord du CTS</Link> · document « {p.fileName} », {elements.length} éléments.
            Chaque correction est enregistrée au journal d’audit (avant, après, auteur, date).
          </p>
          <form onSubmit={submit} className="fr-mb-6w plan-correction" noValidate aria-labelledby="correction-titre">
            <h2 id="correction-titre">Corriger un élément</h2>
            <Select
              label="Élément"
              state={error?.field === 'code' ? 'error' : 'default'}
              stateRelatedMessage={error?.field === 'code' ? error.message : undefined}
              nativeSelectProps={{ name: 'code', value: code, onChange: (e) => choose(e.target.value) }}
            >
              <option value="">— Choisir un engagement, un défi ou un objectif —</option>
              {elements.map((el) => <option key={el.code} value={el.code}>{el.code} — {KIND_LABELS[el.kind]} : {el.title.length > 90 ? `${el.title.slice(0, 88)}…` : el.title}</option>)}
            </Select>
            <Select
              label="Champ à corriger"
              state={error?.field === 'field' ? 'error' : 'default'}
              stateRelatedMessage={error?.field === 'field' ? error.message : undefined}
              nativeSelectProps={{ name: 'field', value: field, disabled: !current, onChange: (e) => choose(code, e.target.value as PlanElementField) }}
            >
              {(fields.length ? fields : (['title'] as const)).map((f) => <option key={f} value={f}>{PLAN_FIELD_LABELS[f]}</option>)}
            </Select>
            {long ? (
              <Input
                label={valueLabel}
                hintText={hint}
                textArea
                state={valueState}
                stateRelatedMessage={valueState === 'error' ? error!.message : undefined}
                nativeTextAreaProps={{ name: 'value', rows: 8, value, onChange: (e) => setValue(e.target.value), disabled: !current }}
              />
            ) : (
              <Input
                label={valueLabel}
                hintText={hint}
                state={valueState}
                stateRelatedMessage={valueState === 'error' ? error!.message : undefined}
                nativeInputProps={{ name: 'value', value, onChange: (e) => setValue(e.target.value), disabled: !current }}
              />
            )}
            <Button type="submit" disabled={saving || !current}>{saving ? 'Enregistrement…' : 'Enregistrer la correction'}</Button>
            {done ? <Alert className="fr-mt-3w" severity="success" small description={done} /> : null}
            <LiveRegion message={message} />
          </form>
          <DataTable
            className="table--wrap"
            caption="Éléments du schéma"
            headers={['Code', 'Nature', 'Titre imprimé', 'Action']}
            rows={elements.map((el) => [
              el.code,
              KIND_LABELS[el.kind],
              el.title,
              <Button
                priority="tertiary"
                size="small"
                nativeButtonProps={{ 'aria-label': `Corriger ${el.code}` }}
                // the form is above the list: keyboard and screen-reader users are taken to it
                onClick={() => { choose(el.code, 'title'); document.querySelector<HTMLSelectElement>('.plan-correction select[name=code]')?.focus(); }}
              >
                Corriger
              </Button>,
            ])}
          />
        </>
      ) : null}
    </Page>
  );
}
