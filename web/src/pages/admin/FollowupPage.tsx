import { useState, type FormEvent } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useApi } from '../../hooks.ts';
import { useAuth } from '../../auth.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { count, formatDate, nf, pluralWord } from '../../labels.ts';
import type { ActionList, ActionView } from '../../../../src/usecases/actions.ts';
import type { DashboardAction, FollowupDashboard } from '../../../../src/usecases/followup-dashboard.ts';
import { ActionTools, IndicatorsPanel } from './FollowupManage.tsx';

const actionHref = (id: string) => `/admin/actions/${encodeURIComponent(id)}`;
const pct = (n: number | null) => (n === null ? '—' : `${nf.format(n)} %`);

/** The link to an action, named by its title (screen readers list the links of a page by name). */
function ActionLink({ a }: { a: Pick<ActionView, 'id' | 'title'> }) {
  return <Link href={actionHref(a.id)}>{a.title}</Link>;
}

function actionRows(list: DashboardAction[], late: boolean) {
  return list.map((a) => [
    <ActionLink a={a} />,
    <span className="plan-code">{a.objectiveCode}</span>,
    a.statusLabel,
    a.owner ?? 'aucun',
    a.dueDate ? formatDate(a.dueDate) : '—',
    ...(late ? [`${nf.format(a.daysLate ?? 0)} j`] : []),
    pct(a.progress),
  ]);
}

/** Filters of the dashboard, kept in the address (shareable, and the back button restores them). */
function Filters({ d, path }: { d: FollowupDashboard; path: string }) {
  const [engagement, setEngagement] = useState(d.filters.engagement ?? '');
  const [owner, setOwner] = useState(d.filters.owner ?? '');
  const [status, setStatus] = useState(d.filters.status ?? '');
  function submit(e: FormEvent) {
    e.preventDefault();
    const q = new URLSearchParams();
    if (engagement) q.set('engagement', engagement);
    if (owner) q.set('owner', owner);
    if (status) q.set('status', status);
    const qs = q.toString();
    navigate(qs ? `${path}?${qs}` : path);
  }
  return (
    <form onSubmit={submit} className="followup-filters fr-mb-4w" aria-labelledby="filtres-titre">
      <h2 id="filtres-titre" className="fr-h4">Filtrer</h2>
      <div className="followup-filters__row">
        <Select label="Engagement" nativeSelectProps={{ name: 'engagement', value: engagement, onChange: (e) => setEngagement(e.target.value) }}>
          <option value="">Tous les engagements</option>
          {d.options.engagements.map((e) => <option key={e.code} value={e.code}>{e.code} — {e.title.length > 70 ? `${e.title.slice(0, 68)}…` : e.title}</option>)}
        </Select>
        <Select label="Organisation porteuse" nativeSelectProps={{ name: 'owner', value: owner, onChange: (e) => setOwner(e.target.value) }}>
          <option value="">Toutes les organisations</option>
          {d.options.owners.map((o) => <option key={o} value={o}>{o}</option>)}
        </Select>
        <Select label="Statut des actions" nativeSelectProps={{ name: 'status', value: status, onChange: (e) => setStatus(e.target.value) }}>
          <option value="">Tous les statuts</option>
          {d.options.statuses.map((s) => <option key={s.code} value={s.code}>{s.label}</option>)}
        </Select>
      </div>
      <Button type="submit">Appliquer les filtres</Button>
    </form>
  );
}

function Dashboard({ id, path, query }: { id: string; path: string; query: string }) {
  const res = useApi<FollowupDashboard>(`/admin/plans/${encodeURIComponent(id)}/followup/dashboard${query ? `?${query}` : ''}`);
  const d = res.data;
  if (res.loading && !d) return <Loading what="Calcul du tableau de bord" />;
  if (res.error) return <ErrorAlert message={res.error} />;
  if (!d) return null;
  const c = d.counts;
  const headers = ['Action', 'Objectif', 'Statut', 'Porteur', 'Échéance'];
  return (
    <section aria-labelledby="tdb-titre" className="fr-mb-6w">
      <h2 id="tdb-titre">Tableau de bord du CTS</h2>
      {/* remounted on the filters the data was computed for (not the address, which changes before the data) */}
      <Filters key={JSON.stringify(d.filters)} d={d} path={path} />
      <p role="status" className="fr-text--sm">
        Au {formatDate(d.today)} : {count(c.actions, 'action retenue', 'actions retenues')} par les filtres. Une mesure est récente si elle date du {formatDate(d.recentSince)} ou après (12 mois).
      </p>
      <ul className="followup-counts">
        <li><a href="#tdb-retard"><strong>{nf.format(c.late)}</strong> {pluralWord(c.late, 'action', 'actions')} en retard</a></li>
        <li><a href="#tdb-sans-porteur"><strong>{nf.format(c.withoutOwner)}</strong> {pluralWord(c.withoutOwner, 'action', 'actions')} sans porteur</a></li>
        <li><a href="#tdb-indicateurs"><strong>{nf.format(c.staleIndicators)}</strong> {pluralWord(c.staleIndicators, 'indicateur', 'indicateurs')} sans mesure récente</a></li>
        <li><a href="#tdb-objectifs"><strong>{nf.format(c.objectivesWithoutAction)}</strong> {pluralWord(c.objectivesWithoutAction, 'objectif', 'objectifs')} sans action</a></li>
        <li><a href="#tdb-reprises"><strong>{nf.format(c.takenUpWithoutAction)}</strong> {pluralWord(c.takenUpWithoutAction, 'objectif', 'objectifs')} reprenant des propositions, sans action</a></li>
      </ul>

      <h3 id="tdb-retard" tabIndex={-1}>Actions en retard ({nf.format(c.late)})</h3>
      {d.late.length ? <DataTable className="table--wrap" caption="Actions dont l’échéance est passée, ni réalisées ni abandonnées" headers={[...headers, 'Retard', 'Avancement']} rows={actionRows(d.late, true)} />
        : <p>Aucune action en retard.</p>}
      <h3 id="tdb-sans-porteur" tabIndex={-1}>Actions sans porteur ({nf.format(c.withoutOwner)})</h3>
      {d.withoutOwner.length ? <DataTable className="table--wrap" caption="Actions ouvertes sans organisation porteuse" headers={[...headers, 'Avancement']} rows={actionRows(d.withoutOwner, false)} />
        : <p>{d.filters.owner ? 'Filtre sur une organisation : sans objet.' : 'Toutes les actions ouvertes ont un porteur.'}</p>}
      <h3 id="tdb-indicateurs" tabIndex={-1}>Indicateurs sans mesure récente ({nf.format(c.staleIndicators)})</h3>
      {d.staleIndicators.length ? (
        <DataTable className="table--wrap" caption="Indicateurs sans mesure depuis 12 mois, ou jamais mesurés" headers={['Indicateur', 'Objectif', 'Dernière mesure', 'Mesures']}
          rows={d.staleIndicators.map((i) => [i.label, i.objectiveCode ? <span className="plan-code">{i.objectiveCode}</span> : 'schéma', i.lastMeasurement ? formatDate(i.lastMeasurement) : 'jamais', nf.format(i.measurements)])} />
      ) : <p>Tous les indicateurs ont une mesure récente.</p>}
      <h3 id="tdb-objectifs" tabIndex={-1}>Objectifs sans action ({nf.format(c.objectivesWithoutAction)})</h3>
      {d.objectivesWithoutAction.length ? (
        <ul className="followup-objectives">{d.objectivesWithoutAction.map((o) => <li key={o.code}><span className="plan-code">{o.code}</span> {o.title}</li>)}</ul>
      ) : <p>Chaque objectif a au moins une action.</p>}
      <h3 id="tdb-reprises" tabIndex={-1}>Propositions reprises, sans action ({nf.format(c.takenUpWithoutAction)})</h3>
      {d.takenUpWithoutAction.length ? (
        <DataTable className="table--wrap" caption="Objectifs qui reprennent des propositions de la consultation et n’ont pas encore d’action" headers={['Objectif', 'Contributions reprises', 'Idées communes reprises']}
          rows={d.takenUpWithoutAction.map((o) => [<><span className="plan-code">{o.code}</span> {o.title}</>, nf.format(o.contributions), nf.format(o.ideas)])} />
      ) : <p>Aucune proposition reprise n’attend d’action.</p>}
    </section>
  );
}

/** The plan's actions under their objectives, with the progress of each and of the plan. */
function ActionsByObjective({ res }: { res: ReturnType<typeof useApi<ActionList>> }) {
  const l = res.data;
  if (res.loading && !l) return <Loading what="Chargement des actions" />;
  if (res.error) return <ErrorAlert message={res.error} />;
  if (!l) return null;
  return (
    <section aria-labelledby="actions-titre">
      <h2 id="actions-titre">Actions par objectif</h2>
      <p>Avancement du schéma : <strong>{pct(l.progress)}</strong> (moyenne pondérée des actions, abandonnées exclues). {count(l.actions.length, 'action', 'actions')}.</p>
      {l.actions.length === 0 ? <p>Aucune action. Un analyste les importe du schéma (« En pratique ») : <code>fabrique actions import --plan {l.plan.id}</code>.</p> : null}
      {l.objectives.filter((o) => o.actions > 0 || l.actions.some((a) => a.objectiveCode === o.code)).map((o) => {
        const mine = l.actions.filter((a) => a.objectiveCode === o.code);
        return (
          <div key={o.code} className="fr-mb-4w">
            <h3 className="fr-h5"><span className="plan-code">{o.code}</span> {o.title} — {pct(o.progress)}</h3>
            <DataTable className="table--wrap" caption={`Actions de l’objectif ${o.code}`} hideCaption headers={['Action', 'Statut', 'Porteur', 'Échéance', 'Avancement']}
              rows={mine.map((a) => [<ActionLink a={a} />, a.statusLabel, a.owner.organisation ?? 'aucun', a.dueDate ? formatDate(a.dueDate) : '—', `${pct(a.effectiveProgress)}${a.progressComputed ? ' (sous-actions)' : ''}`])} />
          </div>
        );
      })}
    </section>
  );
}

/** Back office: the follow-up of a plan — the CTS dashboard and the actions by objective. */
export function FollowupPage({ id }: { id: string }) {
  const { user } = useAuth();
  const { path, query } = useLocation();
  const actions = useApi<ActionList>(`/admin/plans/${encodeURIComponent(id)}/actions`);
  const plan = actions.data?.plan;
  const title = plan ? `Suivi du schéma : ${plan.title}` : 'Suivi du schéma';
  // imports, new actions, indicators and measurements: analysts and administrators (the API decides the same)
  const manager = user?.role === 'analyst' || user?.role === 'admin';
  return (
    <Page title={title} crumbs={[{ label: 'Back-office', href: '/admin' }, ...(user?.role === 'owner' ? [{ label: 'Mes actions', href: '/admin/suivi' }] : [{ label: 'Schémas territoriaux de santé', href: '/admin/schemas' }, { label: 'Schéma', href: `/admin/schemas/${encodeURIComponent(id)}` }])]}>
      {/* owners see their own actions; the dashboard is the teams' (the API refuses it to them) */}
      {user && user.role !== 'owner' ? <Dashboard id={id} path={path} query={query.toString()} /> : null}
      {manager && actions.data ? <ActionTools planId={id} list={actions.data} onChange={actions.reload} /> : null}
      <ActionsByObjective res={actions} />
      {user && user.role !== 'owner' && actions.data ? <IndicatorsPanel planId={id} objectives={actions.data.objectives} canEdit={manager} /> : null}
    </Page>
  );
}

/** Back office: the actions assigned to the signed-in account (the home of an owner). */
export function FollowupMinePage() {
  const res = useApi<{ actions: (ActionView & { plan: { id: string; title: string } })[] }>('/admin/followup/actions');
  const list = res.data?.actions;
  return (
    <Page title="Mes actions de suivi" crumbs={[{ label: 'Back-office', href: '/admin' }]}>
      <p>Les actions du schéma territorial de santé dont votre compte a la charge : mettez à jour leur statut, leur avancement et leurs dates.</p>
      {res.loading && !list ? <Loading /> : null}
      <ErrorAlert message={res.error} />
      {list && list.length === 0 ? <p>Aucune action ne vous est affectée. Un analyste de l’ARS vous les affecte.</p> : null}
      {list && list.length ? (
        <DataTable className="table--wrap" caption="Actions qui vous sont affectées" headers={['Action', 'Schéma', 'Statut', 'Échéance', 'Avancement']}
          rows={list.map((a) => [<ActionLink a={a} />, <Link href={`/admin/schemas/${encodeURIComponent(a.plan.id)}/suivi`}>{a.plan.title}</Link>, a.statusLabel, a.dueDate ? formatDate(a.dueDate) : '—', pct(a.effectiveProgress)])} />
      ) : null}
    </Page>
  );
}
