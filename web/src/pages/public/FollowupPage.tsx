import { type ReactNode } from 'react';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { IndicatorChart, dayOrYear, indicatorLabel, targetText, withUnit } from '../../components/IndicatorChart.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { count, formatDate, nf } from '../../labels.ts';
import type { FollowupAction, FollowupIndicator, PublicFollowupView } from '../../types.ts';

type Status = FollowupAction['status'];
type ByStatus = Record<Status, number>;

export const STATUS_ORDER: Status[] = ['en_cours', 'engagee', 'realisee', 'proposee', 'abandonnee'];
const STATUS_LABEL: Record<Status, string> = { proposee: 'proposée', engagee: 'engagée', en_cours: 'en cours', realisee: 'réalisée', abandonnee: 'abandonnée' };
const STATUS_PLURAL: Record<Status, string> = { proposee: 'proposées', engagee: 'engagées', en_cours: 'en cours', realisee: 'réalisées', abandonnee: 'abandonnées' };
const STATUS_TITLE: Record<Status, string> = { proposee: 'Proposées', engagee: 'Engagées', en_cours: 'En cours', realisee: 'Réalisées', abandonnee: 'Abandonnées' };
const STATUS_BADGE: Record<Status, string> = {
  proposee: 'fr-badge--info', engagee: 'fr-badge--new', en_cours: 'fr-badge--new', realisee: 'fr-badge--success', abandonnee: 'fr-badge--warning',
};

/** A progress bar with its number printed beside it; « pas encore d’action » rather than 0 % when there is nothing to measure. */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <p className="fr-text--sm fr-mb-1w">{label} : aucune action en cours de suivi.</p>;
  const text = `${nf.format(value)} %`;
  return (
    <div className="followup-progress fr-mb-1w">
      <span className="followup-progress__label fr-text--sm">{label}</span>
      <span className="followup-progress__bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={text} aria-label={label}>
        <span className="followup-progress__fill" style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      <strong className="followup-progress__value">{text}</strong>
    </div>
  );
}

/** « 3 actions : 1 en cours, 2 proposées ». */
export function statusSummary(by: ByStatus): string {
  const total = STATUS_ORDER.reduce((s, k) => s + by[k], 0);
  if (total === 0) return 'Aucune action pour l’instant.';
  const parts = STATUS_ORDER.filter((k) => by[k] > 0).map((k) => `${nf.format(by[k])} ${by[k] >= 2 ? STATUS_PLURAL[k] : STATUS_LABEL[k]}`);
  return `${count(total, 'action', 'actions')} : ${parts.join(', ')}.`;
}

function fieldValue(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return 'non renseigné';
  switch (field) {
    case 'status': return STATUS_LABEL[v as Status] ?? String(v);
    case 'progress': return `${nf.format(Number(v))} %`;
    case 'startDate': case 'dueDate': return formatDate(String(v));
    case 'budget': return `${nf.format(Number(v))} €`;
    case 'scope': return v === 'national' ? 'nationale' : 'territoriale';
    case 'partners': return Array.isArray(v) && v.length ? v.join(', ') : 'aucun';
    case 'description': case 'title': return 'modifié';
    default: return String(v);
  }
}

/** The public timeline of an action: dated steps, the public fields changed and the comment; never who made them. */
export function Timeline({ entries }: { entries: FollowupAction['timeline'] }) {
  if (entries.length === 0) return null;
  return (
    <details className="followup-history fr-mt-1w">
      <summary className="fr-text--sm">Historique ({count(entries.length, 'étape', 'étapes')})</summary>
      <ol className="fr-text--sm fr-mt-1w">
        {entries.map((e, k) => (
          <li key={k} className="fr-mb-1w">
            <strong>{formatDate(e.date)}</strong> —{' '}
            {e.kind === 'created' ? 'action inscrite au suivi'
              : e.changes.length ? e.changes.map((c) => (c.field === 'title' || c.field === 'description'
                ? `${c.label} modifié${c.field === 'description' ? 'e' : ''}`
                : `${c.label} : ${fieldValue(c.field, c.before)} → ${fieldValue(c.field, c.after)}`)).join(' ; ')
              : 'commentaire'}
            {e.comment ? <> — «{'\u00a0'}{e.comment}{'\u00a0'}»</> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

function ActionItem({ a, children }: { a: FollowupAction; children?: ReactNode }) {
  const facts: string[] = [];
  facts.push(a.owner ? `Porteur : ${a.owner}` : 'Porteur : pas encore désigné');
  if (a.partners.length) facts.push(`Partenaires : ${a.partners.join(', ')}`);
  if (a.startDate || a.dueDate) facts.push([a.startDate ? `début le ${formatDate(a.startDate)}` : null, a.dueDate ? `échéance le ${formatDate(a.dueDate)}` : null].filter(Boolean).join(', ').replace(/^./, (c) => c.toUpperCase()));
  if (a.scope === 'national') facts.push('Portée nationale');
  if (a.budget !== null) facts.push(`Budget : ${nf.format(a.budget)} €`);
  return (
    <li className="followup-action fr-p-2w fr-mb-2w">
      <p className="fr-mb-1w">
        <strong>{a.title}</strong>{' '}
        <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${STATUS_BADGE[a.status]}`}>{STATUS_LABEL[a.status]}</span>
      </p>
      {a.status !== 'abandonnee' ? <ProgressBar value={a.progress} label={a.progressComputed ? 'Avancement (d’après ses sous-actions)' : 'Avancement'} /> : null}
      {a.statusReason ? <p className="fr-text--sm fr-mb-1w">Motif de l’abandon : {a.statusReason}</p> : null}
      <ul className="followup-facts fr-text--sm fr-mb-0">{facts.map((f) => <li key={f}>{f}</li>)}</ul>
      <Timeline entries={a.timeline} />
      {children}
    </li>
  );
}

/** Actions grouped by status (top-level ones; sub-actions listed under their action). */
export function ActionsByStatus({ actions, level }: { actions: FollowupAction[]; level: 3 | 4 | 5 }) {
  const top = actions.filter((a) => a.parent === null || !actions.some((b) => b.id === a.parent));
  if (top.length === 0) return <p className="fr-text--sm">Aucune action n’est encore inscrite au suivi.</p>;
  const H = `h${level}` as const;
  return (
    <>
      {STATUS_ORDER.filter((s) => top.some((a) => a.status === s)).map((s) => {
        const mine = top.filter((a) => a.status === s);
        return (
          <div key={s} className="fr-mb-2w">
            <H className="fr-text--md fr-mb-1w">{STATUS_TITLE[s]} ({nf.format(mine.length)})</H>
            <ul className="followup-actions">
              {mine.map((a) => {
                const children = actions.filter((c) => c.parent === a.id);
                return (
                  <ActionItem key={a.id} a={a}>
                    {children.length ? (
                      <>
                        <p className="fr-text--sm fr-text--bold fr-mt-2w fr-mb-1w">{count(children.length, 'sous-action', 'sous-actions')}</p>
                        <ul className="followup-actions">{children.map((c) => <ActionItem key={c.id} a={c} />)}</ul>
                      </>
                    ) : null}
                  </ActionItem>
                );
              })}
            </ul>
          </div>
        );
      })}
    </>
  );
}

/** Indicators without a measurement yet: one line each (a chart of a baseline and a target alone says nothing more). */
function UnmeasuredList({ items }: { items: FollowupIndicator[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="followup-unmeasured fr-text--sm">
      {items.map((i) => (
        <li key={i.id} className="fr-mb-1w">
          <strong>{indicatorLabel(i)}</strong> : départ {withUnit(i.baseline.value, i.unit)}, cible {targetText(i)}
          {i.dueDate ? <> (échéance {dayOrYear(i.dueDate)})</> : null} — aucune mesure pour l’instant.
        </li>
      ))}
    </ul>
  );
}

/** `level`: the heading level of each indicator. */
function Indicators({ items, level }: { items: FollowupIndicator[]; level: 3 | 4 | 5 }) {
  const measured = items.filter((i) => i.measurements.length > 0);
  const others = items.filter((i) => i.measurements.length === 0);
  return (
    <>
      {measured.map((i) => <IndicatorChart key={i.id} indicator={i} level={level} />)}
      {others.length ? (
        <>
          {measured.length ? <p className="fr-text--sm fr-text--bold fr-mb-1w">Sans mesure pour l’instant :</p> : null}
          <UnmeasuredList items={others} />
        </>
      ) : null}
    </>
  );
}

// the steps named here, agreed with their count (the server's labels are titles, in the plural)
const FUNNEL_UNITS: Record<string, [string, string]> = {
  contributions: ['contribution publiée', 'contributions publiées'],
  ideas: ['idée commune', 'idées communes'],
  objectives: ['objectif du schéma nourri par la consultation', 'objectifs du schéma nourris par la consultation'],
  engaged: ['action de ces objectifs engagée, en cours ou réalisée', 'actions de ces objectifs engagées, en cours ou réalisées'],
  done: ['action réalisée', 'actions réalisées'],
};

function Funnel({ f }: { f: NonNullable<PublicFollowupView['funnel']> }) {
  const max = Math.max(1, ...f.steps.map((s) => s.count));
  return (
    <ol className="followup-funnel">
      {f.steps.map((s) => (
        <li key={s.key} className="fr-mb-1w">
          <span className="followup-funnel__text"><strong>{nf.format(s.count)}</strong> {FUNNEL_UNITS[s.key]?.[s.count >= 2 ? 1 : 0] ?? s.label}</span>
          <span className="followup-funnel__bar" aria-hidden="true"><span style={{ width: `${(s.count / max) * 100}%` }} /></span>
        </li>
      ))}
    </ol>
  );
}

function TakenUp({ t, plan }: { t: NonNullable<PublicFollowupView['takenUp']>; plan: string }) {
  const unit = t.unit === 'proposition' ? ['proposition publiée', 'propositions publiées'] as const : ['contribution publiée', 'contributions publiées'] as const;
  const fem = (n: number, s: string) => `${nf.format(n)} ${s}${n >= 2 ? 's' : ''}`;
  return (
    <>
      {t.share !== null ? (
        <p className="followup-share fr-mb-1w"><strong className="followup-share__value">{nf.format(t.share)} %</strong> des {unit[1]} de la consultation « {t.consultation.title} » sont reprises par le schéma, entièrement ou en partie.</p>
      ) : <p>Aucune {unit[0]} dans la consultation « {t.consultation.title} ».</p>}
      <ul className="fr-text--sm">
        <li>{count(t.total, unit[0], unit[1])} au total</li>
        <li>{fem(t.counts.taken_up, 'reprise')}</li>
        <li>{fem(t.counts.partly, 'reprise')} en partie</li>
        <li>{nf.format(t.counts.national)} relevant du niveau national</li>
        <li>{fem(t.counts.not_taken_up, 'non reprise')}</li>
        <li>{nf.format(t.counts.undecided)} pas encore {t.counts.undecided >= 2 ? 'examinées' : 'examinée'}</li>
      </ul>
      <p className="fr-text--sm">
        Seules comptent les décisions confirmées par l’équipe ou indiquées par le schéma.{' '}
        <Link href={`/schemas/${encodeURIComponent(plan)}/couverture`}>Le détail, objectif par objectif, dans le rapport de couverture</Link>
      </p>
    </>
  );
}

/** « Le suivi du schéma »: per engagement and objective, progress, actions by status, indicators; the taken-up share and the funnel. */
export function FollowupPage({ id }: { id: string }) {
  const url = `/plans/${encodeURIComponent(id)}/followup`;
  const { data: v, error, loading } = useApi<PublicFollowupView>(url);
  const crumbs = [{ label: 'Consultations', href: '/' }, { label: 'Le schéma territorial de santé', href: `/schemas/${encodeURIComponent(id)}` }];
  if (loading && !v) return <Page title="Le suivi du schéma territorial de santé" crumbs={crumbs}><Loading what="Chargement du suivi" /></Page>;
  if (error || !v) return <Page title="Suivi indisponible" crumbs={crumbs}><ErrorAlert message={error ?? 'Suivi introuvable.'} /></Page>;
  const period = v.plan.period ? ` ${v.plan.period.start}-${v.plan.period.end}` : '';
  const codes = new Set(v.engagements.flatMap((e) => e.objectives.map((o) => o.code)));
  const planWide = v.indicators.filter((i) => i.objective === null || !codes.has(i.objective));
  return (
    <Page
      title={`Le suivi du schéma — ${v.plan.territoryName}${period}`}
      crumbs={crumbs}
      lead={<>Où en sont les actions du schéma territorial de santé, objectif par objectif{v.takenUp ? ', et ce que sont devenues les propositions de la consultation' : ''}.</>}
    >
      <p className="fr-text--sm">
        État au {formatDate(v.generatedAt.slice(0, 10))}. L’avancement d’un objectif est la moyenne pondérée de celui de ses actions, les actions abandonnées mises à part.{' '}
        <a className="fr-link fr-link--sm fr-link--download" href={`/api${url}.json`} download>Télécharger le suivi en données ouvertes (JSON)</a>
      </p>

      <section aria-labelledby="suivi-global" className="fr-mb-5w">
        <h2 id="suivi-global">Avancement du schéma</h2>
        <ProgressBar value={v.progress} label="Avancement de l’ensemble du schéma" />
        <p className="fr-text--sm">{statusSummary(v.byStatus)}</p>
      </section>

      {v.takenUp ? (
        <section aria-labelledby="suivi-repris" className="fr-mb-5w">
          <h2 id="suivi-repris">Ce que la consultation est devenue</h2>
          <TakenUp t={v.takenUp} plan={id} />
        </section>
      ) : null}

      {v.funnel ? (
        <section aria-labelledby="suivi-parcours" className="fr-mb-5w">
          <h2 id="suivi-parcours">Des contributions aux actions</h2>
          <Funnel f={v.funnel} />
        </section>
      ) : null}

      {v.engagements.map((e, k) => (
        <section key={e.code} aria-labelledby={`suivi-e${k}`} className="followup-engagement fr-mb-6w">
          <h2 id={`suivi-e${k}`}>Engagement : {e.title}</h2>
          <ProgressBar value={e.progress} label="Avancement de l’engagement" />
          <p className="fr-text--sm">{statusSummary(e.byStatus)}</p>
          {e.objectives.map((o, j) => {
            const inds = v.indicators.filter((i) => i.objective === o.code);
            return (
              <article key={o.code} aria-labelledby={`suivi-e${k}-o${j}`} className="followup-objective fr-p-2w fr-mb-3w">
                <h3 id={`suivi-e${k}-o${j}`} className="fr-h5">{o.title}</h3>
                <p className="fr-text--xs fr-mb-1w followup-defi">Défi : {o.defi.title}</p>
                <ProgressBar value={o.progress} label="Avancement de l’objectif" />
                <p className="fr-text--sm">{statusSummary(o.byStatus)}</p>
                {o.contributions ? (
                  <p className="fr-text--sm">{count(o.contributions, 'contribution publiée reprise', 'contributions publiées reprises')} dans cet objectif.</p>
                ) : null}
                <ActionsByStatus actions={o.actions} level={4} />
                {inds.length ? (
                  <>
                    <h4 className="fr-text--md fr-mb-1w">Indicateurs</h4>
                    <Indicators items={inds} level={5} />
                  </>
                ) : null}
              </article>
            );
          })}
        </section>
      ))}

      {planWide.length ? (
        <section aria-labelledby="suivi-indicateurs" className="fr-mb-5w">
          <h2 id="suivi-indicateurs">Indicateurs du schéma</h2>
          <p className="fr-text--sm">Les cibles de l’offre de soins (OQOS) et les autres indicateurs suivis pour l’ensemble du schéma : {count(planWide.length, 'indicateur', 'indicateurs')}.</p>
          <Indicators items={planWide} level={3} />
        </section>
      ) : null}
    </Page>
  );
}
