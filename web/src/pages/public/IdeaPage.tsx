import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { count } from '../../labels.ts';
import type { IdeaFollowupView } from '../../types.ts';
import { FOLLOWUP_TITLE, FollowedElements } from './ContributionPage.tsx';

/** « Que sont devenues vos propositions ? » for one common idea: its contributions, the objectives that take it up and their actions. */
export function IdeaPage({ id }: { id: string }) {
  const { data: v, error, loading } = useApi<IdeaFollowupView>(`/ideas/${encodeURIComponent(id)}/followup`);
  const crumbs = [{ label: 'Consultations', href: '/' }, ...(v ? [{ label: v.consultation.title, href: `/consultations/${encodeURIComponent(v.consultation.slug)}` }] : [])];
  if (loading && !v) return <Page title={FOLLOWUP_TITLE} crumbs={crumbs}><Loading what="Chargement de l’idée commune" /></Page>;
  if (error || !v) return <Page title="Idée commune introuvable" crumbs={crumbs}><ErrorAlert title="Idée commune introuvable" message={error ?? 'Cette idée commune n’existe pas ou ne réunit aucune contribution publiée.'} /></Page>;
  const i = v.idea;
  return (
    <Page title={FOLLOWUP_TITLE} crumbs={crumbs} lead={<>Ce qu’est devenue l’idée commune « {i.label} », exprimée dans {count(i.contributions, 'contribution publiée', 'contributions publiées')} de la consultation « {v.consultation.title} ».</>}>
      {i.parent ? <p className="fr-text--sm">Elle fait partie de l’idée commune <Link href={`/idees/${encodeURIComponent(i.parent.id)}`}>« {i.parent.label} »</Link>.</p> : null}
      {i.children.length ? (
        <section aria-labelledby="sous-idees">
          <h2 id="sous-idees" className="fr-h4">{i.children.length >= 2 ? 'Ses idées plus précises' : 'Son idée plus précise'}</h2>
          <ul>{i.children.map((c) => <li key={c.id}><Link href={`/idees/${encodeURIComponent(c.id)}`}>{c.label}</Link> — {count(c.contributions, 'contribution', 'contributions')}</li>)}</ul>
        </section>
      ) : null}
      {v.examples.length ? (
        <section aria-labelledby="exemples">
          <h2 id="exemples" className="fr-h4">{v.examples.length >= 2 ? 'Quelques contributions' : 'Sa contribution'}</h2>
          <ul className="followup-examples">
            {v.examples.map((e) => (
              <li key={e.id} className="fr-mb-1w">
                <span className="followup-example">«{'\u00a0'}{e.text}{'\u00a0'}»</span>{' '}
                <Link href={`/contributions/${encodeURIComponent(e.id)}`}>Suivre cette contribution</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <FollowedElements elements={v.elements} others={v.others} what="idée" />
    </Page>
  );
}
