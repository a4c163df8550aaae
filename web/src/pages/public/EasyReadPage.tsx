/** The easy-to-read summary (FALC) of a consultation's restitution: /consultations/:slug/facile. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, Loading } from '../../components/Page.tsx';
import { ConsultationNav } from './ConsultationPage.tsx';
import { useApi } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { formatDate } from '../../labels.ts';
import type { ConsultationDetail, PublicEasyRead } from '../../types.ts';

export function EasyReadPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const s = useApi<PublicEasyRead>(`/consultations/${encodeURIComponent(slug)}/facile`);
  const c = cons.data;
  const title = s.data?.summary.title ?? 'Facile à lire';
  return (
    <Page title={title} crumbs={[{ label: 'Consultations', href: '/' }, { label: c?.title ?? slug, href: `/consultations/${slug}` }]}>
      <ConsultationNav slug={slug} current="/facile" open={c?.acceptsContributions ?? false} />
      {s.loading && !s.data ? <Loading what="Chargement du texte facile à lire" /> : null}
      {s.error ? <Alert severity="info" title="Pas encore de texte facile à lire" description={s.error} /> : null}
      {s.data ? (
        <div className="easy-read">
          {s.data.summary.sections.map((sec, i) => (
            <section key={i} aria-labelledby={`facile-${i}`}>
              <h2 id={`facile-${i}`}>{sec.heading}</h2>
              {sec.text.split('\n').filter((l) => l.trim()).map((line, k) => <p key={k}>{line}</p>)}
            </section>
          ))}
          <p className="fr-text--sm fr-mt-4w">
            Texte publié le {formatDate(s.data.publishedAt)}. Le document complet : <Link href={`/consultations/${slug}/restitution`}>la restitution</Link>.
          </p>
        </div>
      ) : null}
    </Page>
  );
}
