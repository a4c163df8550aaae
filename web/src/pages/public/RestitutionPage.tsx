import { useEffect, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Download } from '@codegouvfr/react-dsfr/Download';
import { Link } from '../../router.tsx';
import { Page, Loading } from '../../components/Page.tsx';
import { ConsultationNav } from './ConsultationPage.tsx';
import { useApi } from '../../hooks.ts';
import type { ConsultationDetail, PublicEasyRead } from '../../types.ts';

/** A size in French: « 412 ko », « 1,3 Mo ». */
function fileSize(bytes: number): string {
  if (bytes < 1000 * 1000) return `${Math.max(1, Math.round(bytes / 1000))} ko`;
  return `${(bytes / 1e6).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** The published restitution as a PDF: its size asked first (HEAD), no link when the server cannot print it. */
function PdfDownload({ slug, title }: { slug: string; title: string }) {
  const href = `/api/consultations/${encodeURIComponent(slug)}/restitution.pdf`;
  const [size, setSize] = useState<number | null | 'none'>(null);
  useEffect(() => {
    let live = true;
    fetch(href, { method: 'HEAD' })
      .then((r) => { if (live) setSize(r.ok ? Number(r.headers.get('content-length') ?? 0) : 'none'); })
      .catch(() => live && setSize('none'));
    return () => { live = false; };
  }, [href]);
  if (size === 'none') return null;
  return (
    <Download label={`Télécharger la restitution — ${title}`} details={size === null ? 'PDF – taille en cours de calcul' : `PDF – ${fileSize(size)}`}
      linkProps={{ href, download: true }} />
  );
}

export function RestitutionPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const url = `/api/consultations/${encodeURIComponent(slug)}/restitution`;
  const [state, setState] = useState<'loading' | 'ok' | 'none' | 'error'>('loading');
  // why there is none: never published yet, or withdrawn for an update (the API says which, in French)
  const [why, setWhy] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const easy = useApi<PublicEasyRead>(`/consultations/${encodeURIComponent(slug)}/facile`);
  useEffect(() => {
    let live = true;
    fetch(url, { method: 'GET', headers: { accept: 'text/html' } })
      .then(async (r) => {
        if (r.status === 404) {
          const body = await r.json().catch(() => null) as { error?: { message?: string } } | null;
          if (live) setWhy(body?.error?.message ?? null);
        }
        if (live) setState(r.ok ? 'ok' : r.status === 404 ? 'none' : 'error');
      })
      .catch(() => live && setState('error'));
    return () => {
      live = false;
    };
  }, [url]);
  function fit() {
    const doc = frame.current?.contentDocument;
    if (doc && frame.current) frame.current.style.height = `${Math.max(600, doc.documentElement.scrollHeight + 24)}px`;
  }
  const c = cons.data;
  return (
    <Page title={c ? `Restitution : ${c.title}` : 'Restitution'} crumbs={[{ label: 'Consultations', href: '/' }, { label: c?.title ?? slug, href: `/consultations/${slug}` }]}>
      <ConsultationNav slug={slug} current="/restitution" open={c?.status === 'open'} />
      {state === 'loading' ? <Loading what="Chargement de la restitution" /> : null}
      {state === 'none' ? (
        <Alert severity="info" title="Pas de restitution en ligne" description={why ?? 'La synthèse de cette consultation n’a pas encore été publiée. Elle le sera après l’analyse des contributions et sa vérification.'} />
      ) : null}
      {state === 'error' ? <Alert severity="error" title="Restitution indisponible" description="Le document n’a pas pu être chargé. Réessayez plus tard." /> : null}
      {state === 'ok' ? (
        <>
          <p>
            La synthèse publiée est affichée ci-dessous. Chaque chiffre et chaque citation renvoie à sa source.{' '}
            <a href={url} target="_blank" rel="noopener" title="Ouvrir la restitution dans un nouvel onglet">
              Ouvrir la restitution seule (nouvel onglet)
            </a>
          </p>
          <PdfDownload slug={slug} title={c?.title ?? slug} />
          {easy.data ? (
            <p><Link href={`/consultations/${slug}/facile`}>Lire le résumé en version facile à lire</Link></p>
          ) : null}
          <iframe ref={frame} src={url} title="Synthèse de restitution publiée" className="restitution-frame" onLoad={fit} />
        </>
      ) : null}
    </Page>
  );
}
