import { useState, type ReactNode } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { errorMessage, post } from '../../api.ts';
import { Link, useLocation } from '../../router.tsx';
import { CHANNEL_LABELS, collegeLabel, kindLabel, nf } from '../../labels.ts';
import type { ConsultationDetail, Masked, MaskKind, ModerationItem, Page as PageOf } from '../../types.ts';

const STATUSES = [['pending', 'À modérer'], ['published', 'Publiées'], ['rejected', 'Rejetées']] as const;
const MASK_LABELS: Record<string, string | undefined> = { email: 'courriel', phone: 'téléphone', nir: 'NIR', id: 'identifiant', birthdate: 'date de naissance', address: 'adresse', name: 'nom' } satisfies Record<MaskKind, string>;
const maskLabel = (kind: string) => MASK_LABELS[kind] ?? kind;

/** The original text with the masked spans highlighted. */
function withMarks(text: string, masked: Masked[]): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const [i, m] of [...masked].sort((a, b) => a.start - b.start).entries()) {
    if (m.start < at) continue;
    out.push(text.slice(at, m.start));
    out.push(<mark key={i} className="masked" title={`masqué : ${maskLabel(m.kind)}`}>{text.slice(m.start, m.end)}<span className="fr-sr-only"> (masqué : {maskLabel(m.kind)})</span></mark>);
    at = m.end;
  }
  out.push(text.slice(at));
  return out;
}

export function ModerationPage({ slug }: { slug: string }) {
  const { path, query } = useLocation();
  const status = query.get('status') ?? 'pending';
  const page = Number(query.get('page') ?? '1') || 1;
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const list = useApi<PageOf<ModerationItem>>(`/admin/consultations/${encodeURIComponent(slug)}/moderation?status=${status}&page=${page}&pageSize=20`);
  const [msg, announce] = useAnnouncer();
  const [error, setError] = useState<string>();
  const themeLabel = (code: string) => cons.data?.themes.find((t) => t.code === code)?.label ?? code;
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / 20));

  async function act(item: ModerationItem, action: 'publish' | 'reject' | 'pseudonymise', extra: { reason?: string; text?: string } = {}) {
    setError(undefined);
    try {
      const r = await post<ModerationItem>(`/admin/contributions/${encodeURIComponent(item.id)}/moderation`, { action, ...extra });
      announce(action === 'publish' ? 'Contribution publiée.' : action === 'reject' ? 'Contribution rejetée.' : `Pseudonymisation appliquée : ${r.masked.length} passage${r.masked.length > 1 ? 's' : ''} masqué${r.masked.length > 1 ? 's' : ''}.`);
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Page title={`Modération : ${cons.data?.title ?? slug}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="/moderation" />
      <LiveRegion message={msg} />
      <nav aria-label="Statut de modération" className="fr-mb-3w">
        <ul className="fr-tags-group">
          {STATUSES.map(([s, l]) => (
            <li key={s}>
              <Link href={`${path}?status=${s}`} className="fr-tag" aria-current={s === status ? 'page' : undefined} aria-pressed={undefined}>
                {l}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorAlert message={error} title="Action impossible" />
      <ErrorAlert message={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? <p role="status">{nf.format(list.data.total)} contribution{list.data.total > 1 ? 's' : ''} ({STATUSES.find((s) => s[0] === status)?.[1].toLowerCase()})</p> : null}
      <ol className="moderation-list">
        {list.data?.items.map((it) => <ModerationCard key={it.id} item={it} themeLabel={themeLabel} act={act} />)}
      </ol>
      {pages > 1 ? (
        <Pagination key={`${status}-${page}`} count={pages} defaultPage={page} getPageLinkProps={(n) => ({ href: `${path}?status=${status}&page=${n}` })} />
      ) : null}
    </Page>
  );
}

function ModerationCard({ item, themeLabel, act }: {
  item: ModerationItem;
  themeLabel: (c: string) => string;
  act: (i: ModerationItem, a: 'publish' | 'reject' | 'pseudonymise', extra?: { reason?: string; text?: string }) => Promise<void>;
}) {
  const [mode, setMode] = useState<'none' | 'reject' | 'edit'>('none');
  const [reason, setReason] = useState('');
  const [text, setText] = useState(item.text);
  const hid = `mod-${item.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <li className="moderation-item panel fr-p-3w fr-mb-3w" aria-labelledby={`${hid}-h`}>
      <h2 id={`${hid}-h`} className="fr-h6">
        Contribution {item.id}{' '}
        <Badge small noIcon severity={item.status === 'published' ? 'success' : item.status === 'rejected' ? 'error' : 'warning'}>
          {item.status === 'pending' ? 'à modérer' : item.status === 'published' ? 'publiée' : 'rejetée'}
        </Badge>
      </h2>
      <p className="fr-text--xs">
        {collegeLabel(item.college)} · {CHANNEL_LABELS[item.channel] ?? item.channel} · {kindLabel(item.kind)}
        {item.themes.length ? ` · ${item.themes.map(themeLabel).join(', ')}` : ' · sans thème'}
      </p>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <h3 className="fr-text--sm fr-mb-1w">Texte public (pseudonymisé)</h3>
          <p className="contribution__text">{item.text}</p>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <h3 className="fr-text--sm fr-mb-1w">Texte d’origine {item.masked.length ? `(${item.masked.length} passage${item.masked.length > 1 ? 's' : ''} masqué${item.masked.length > 1 ? 's' : ''})` : '(rien de masqué)'}</h3>
          {item.original !== undefined ? <p className="contribution__text original">{withMarks(item.original, item.masked)}</p> : <p className="fr-text--sm">{item.masked.length ? 'Non visible avec votre rôle.' : 'Identique au texte public.'}</p>}
        </div>
      </div>
      {item.reason ? <p className="fr-text--sm">Motif : {item.reason}</p> : null}
      <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-btns-group--sm">
        {item.status !== 'published' ? (
          <li><Button size="small" iconId="fr-icon-check-line" onClick={() => void act(item, 'publish')} nativeButtonProps={{ 'aria-describedby': `${hid}-h` }}>Publier</Button></li>
        ) : null}
        {item.status !== 'rejected' ? (
          <li><Button size="small" priority="secondary" iconId="fr-icon-close-line" onClick={() => setMode(mode === 'reject' ? 'none' : 'reject')} nativeButtonProps={{ 'aria-expanded': mode === 'reject', 'aria-describedby': `${hid}-h` }}>Rejeter…</Button></li>
        ) : null}
        <li><Button size="small" priority="secondary" iconId="fr-icon-eye-off-line" onClick={() => void act(item, 'pseudonymise')} nativeButtonProps={{ 'aria-describedby': `${hid}-h` }}>Pseudonymiser</Button></li>
        <li><Button size="small" priority="tertiary" iconId="fr-icon-edit-line" onClick={() => setMode(mode === 'edit' ? 'none' : 'edit')} nativeButtonProps={{ 'aria-expanded': mode === 'edit', 'aria-describedby': `${hid}-h` }}>Corriger le texte public…</Button></li>
      </ul>
      {mode === 'reject' ? (
        <form className="fr-mt-2w" onSubmit={(e) => { e.preventDefault(); void act(item, 'reject', { reason: reason.trim() }); }}>
          <Input label="Motif du rejet *" hintText="Ex. propos injurieux, hors sujet, doublon" nativeInputProps={{ required: true, value: reason, onChange: (e) => setReason(e.target.value), autoFocus: true }} />
          <Button type="submit" size="small" disabled={!reason.trim()}>Confirmer le rejet</Button>
        </form>
      ) : null}
      {mode === 'edit' ? (
        <form className="fr-mt-2w" onSubmit={(e) => { e.preventDefault(); void act(item, 'pseudonymise', { text }); }}>
          <Input label="Texte public" textArea nativeTextAreaProps={{ rows: 4, value: text, onChange: (e) => setText(e.target.value), autoFocus: true }} />
          <Button type="submit" size="small">Enregistrer le texte public</Button>
        </form>
      ) : null}
    </li>
  );
}
