import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { count, formatDate } from '../../labels.ts';
import type { ContributionFollowupView } from '../../types.ts';
import { ReportContribution } from './Engagement.tsx';
import { ActionsByStatus, ProgressBar, statusSummary } from './FollowupPage.tsx';

type Element = ContributionFollowupView['elements'][number];
type Other = ContributionFollowupView['others'][number];

export const FOLLOWUP_TITLE = 'Que sont devenues vos propositions ?';

/** The plan elements a contribution or an idea is taken up in, each with its progress and its actions. */
export function FollowedElements({ elements, others, what }: { elements: Element[]; others: Other[]; what: 'contribution' | 'idée' }) {
  return (
    <>
      <section aria-labelledby="devenir" className="fr-mt-5w">
        <h2 id="devenir">Ce que le schéma territorial de santé en fait</h2>
        {elements.length === 0 && others.length === 0 ? (
          <p>Aucune décision n’est encore publiée : l’équipe n’a pas encore relié cette {what} à un objectif du schéma.</p>
        ) : null}
        {elements.length === 0 && others.length > 0 ? <p>Le schéma ne la reprend pas dans un de ses objectifs.</p> : null}
        {elements.map((e, k) => (
          <article key={`${e.plan.id}:${e.code}`} aria-labelledby={`devenir-${k}`} className="followup-objective fr-p-2w fr-mb-3w">
            <h3 id={`devenir-${k}`} className="fr-h5">{e.kind === 'objective' ? 'Objectif' : 'Défi'} : {e.title}</h3>
            <p className="fr-text--sm fr-mb-1w">
              <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${e.outcome === 'taken_up' ? 'fr-badge--success' : 'fr-badge--info'}`}>{e.outcomeLabel}</span>{' '}
              dans le schéma territorial de santé ({e.plan.territoryName})
              {e.throughIdea ? <> avec l’idée commune <Link href={`/idees/${encodeURIComponent(e.throughIdea.id)}`}>« {e.throughIdea.label} »</Link></> : null}.
            </p>
            {e.note ? <p className="fr-text--sm">Ce qui reste de côté : {e.note}</p> : null}
            <ProgressBar value={e.progress} label={e.kind === 'objective' ? 'Avancement de l’objectif' : 'Avancement du défi'} />
            <p className="fr-text--sm">{statusSummary(e.byStatus)}</p>
            <ActionsByStatus actions={e.actions} level={4} />
            <p className="fr-text--sm fr-mb-0"><Link href={`/schemas/${encodeURIComponent(e.plan.id)}/suivi`}>Tout le suivi du schéma</Link></p>
          </article>
        ))}
        {others.map((o, k) => (
          <div key={k} className="fr-callout fr-mb-3w">
            <p className="fr-callout__title fr-text--md">{o.outcomeLabel}</p>
            <p className="fr-callout__text fr-text--sm">{o.note ?? 'Aucune raison n’a été indiquée.'} ({o.plan.title})</p>
          </div>
        ))}
      </section>
    </>
  );
}

/** « Que sont devenues vos propositions ? » for one published contribution: its text, its ideas, the objectives and their actions. */
export function ContributionPage({ id }: { id: string }) {
  const { data: v, error, loading } = useApi<ContributionFollowupView>(`/contributions/${encodeURIComponent(id)}/followup`);
  const crumbs = [{ label: 'Consultations', href: '/' }, ...(v ? [{ label: v.consultation.title, href: `/consultations/${encodeURIComponent(v.consultation.slug)}` },
    { label: 'Contributions', href: `/consultations/${encodeURIComponent(v.consultation.slug)}/contributions` }] : [])];
  if (loading && !v) return <Page title={FOLLOWUP_TITLE} crumbs={crumbs}><Loading what="Chargement de la contribution" /></Page>;
  if (error || !v) return <Page title="Contribution introuvable" crumbs={crumbs}><ErrorAlert title="Contribution introuvable" message={error ?? 'Cette contribution n’existe pas ou n’est pas publiée.'} /></Page>;
  const c = v.contribution;
  const meta = [c.kindLabel, c.meeting, c.date ? formatDate(c.date) : null].filter(Boolean).join(' · ');
  return (
    <Page title={FOLLOWUP_TITLE} crumbs={crumbs} lead={<>Ce qu’est devenue cette contribution à la consultation « {v.consultation.title} ».</>}>
      <blockquote className="followup-quote fr-p-2w fr-mb-2w">
        <p className="fr-mb-1w">«{'\u00a0'}{c.text}{'\u00a0'}»</p>
        {meta ? <p className="fr-text--xs fr-mb-0">{meta}</p> : null}
      </blockquote>
      <ReportContribution id={id} />
      {v.ideas.length ? (
        <section aria-labelledby="idees">
          <h2 id="idees" className="fr-h4">{v.ideas.length >= 2 ? 'Ses idées communes' : 'Son idée commune'}</h2>
          <ul>
            {v.ideas.map((i) => (
              <li key={i.id}><Link href={`/idees/${encodeURIComponent(i.id)}`}>{i.label}</Link> — {count(i.contributions, 'contribution', 'contributions')}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <FollowedElements elements={v.elements} others={v.others} what="contribution" />
    </Page>
  );
}
