import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { errorMessage, post } from '../../api.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { CHANNEL_LABELS, collegeLabel, formatDate, kindLabel, nf } from '../../labels.ts';
import { MODERATION_PAGE_SIZES, REJECTION_REASONS, excerptTitle, rejectionReason } from '../../../../src/domain/moderation.ts';
import type { ConsultationDetail, Masked, MaskKind, Meeting, ModerationItem, Page as PageOf } from '../../types.ts';
import { ContributionDeletion } from '../../components/ContributionDeletion.tsx';
import { REPORT_REASON_SHORT, type ReportReason } from '../../../../src/domain/engagement.ts';
import { count } from '../../labels.ts';

type Status = 'pending' | 'published' | 'rejected';
type Action = 'publish' | 'reject' | 'pseudonymise';
const STATUSES: readonly (readonly [Status, string])[] = [['pending', 'À modérer'], ['published', 'Publiées'], ['rejected', 'Rejetées']];
const FILTERS = ['q', 'theme', 'meeting', 'channel'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type QueuePage = PageOf<ModerationItem> & { counts: Record<Status, number> };

const MASK_LABELS: Record<string, string | undefined> = { email: 'courriel', phone: 'téléphone', nir: 'NIR', id: 'identifiant', birthdate: 'date de naissance', address: 'adresse', name: 'nom' } satisfies Record<MaskKind, string>;
const maskLabel = (kind: string) => MASK_LABELS[kind] ?? kind;
const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n > 1 ? many : one}`;
const STATUS_BADGE: Record<string, string> = { pending: 'à modérer', published: 'publiée', rejected: 'rejetée' };

const SHORTCUTS: [string, string][] = [
  ['j ou ↓', 'contribution suivante'], ['k ou ↑', 'contribution précédente'], ['p', 'publier la contribution en cours'],
  ['r', 'rejeter la contribution en cours (le motif est demandé)'], ['x', 'sélectionner ou désélectionner la contribution en cours'],
  ['?', 'afficher ou masquer cette aide'],
];

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

/** The meeting as people know it: its title and date. */
function meetingLabel(m: Meeting | undefined): string | undefined {
  if (!m) return undefined;
  const when = m.date ? formatDate(m.date) : m.dateText;
  return when ? `${m.title}, ${when}` : m.title;
}

/** A shortcut key is for the queue unless the person is typing (a field, a form in a card, the filters). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return Boolean(el.closest('form, textarea, select, [contenteditable=""], [contenteditable="true"]'))
    || (el.tagName === 'INPUT' && !['checkbox', 'button', 'submit'].includes((el as HTMLInputElement).type));
}

export function ModerationPage({ slug }: { slug: string }) {
  const { path, query } = useLocation();
  const rawStatus = query.get('status');
  const status: Status = STATUSES.some(([s]) => s === rawStatus) ? rawStatus as Status : 'pending';
  const rawSize = Number(query.get('pageSize'));
  const pageSize: number = (MODERATION_PAGE_SIZES as readonly number[]).includes(rawSize) ? rawSize : 20;
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f)?.trim() ?? ''])) as Filters;
  const filtered = FILTERS.some((f) => filters[f]);

  /** The page's address for these criteria (what a shared or reloaded link shows). */
  const hrefFor = (o: { status?: Status; filters?: Filters; page?: number; pageSize?: number }) => {
    const q = new URLSearchParams();
    q.set('status', o.status ?? status);
    const f = o.filters ?? filters;
    for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
    const size = o.pageSize ?? pageSize;
    if (size !== 20) q.set('pageSize', String(size));
    const n = o.page ?? 1;
    if (n > 1) q.set('page', String(n));
    return `${path}?${q}`;
  };

  const apiQs = new URLSearchParams({ status, page: String(page), pageSize: String(pageSize) });
  for (const k of FILTERS) if (filters[k]) apiQs.set(k, filters[k]);
  const listKey = apiQs.toString();
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const list = useApi<QueuePage>(`/admin/consultations/${encodeURIComponent(slug)}/moderation?${listKey}`);
  const [msg, announce] = useAnnouncer();
  const [error, setError] = useState<string>();
  const [form, setForm] = useState<Filters>(filters);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [bulk, setBulk] = useState<'publish' | 'reject' | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<{ id: string; mode: 'reject' | 'edit' } | null>(null);
  const [help, setHelp] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const refocus = useRef<number | null>(null);

  const filterKey = FILTERS.map((f) => filters[f]).join('\u0000');
  useEffect(() => { setForm(filters); }, [filterKey]); // eslint-disable-line react-hooks/exhaustive-deps
  // a new list (filters, page, status) starts with nothing selected
  useEffect(() => { setSelected(new Set()); setAllMatching(false); setBulk(null); setOpen(null); }, [listKey]);

  const c = cons.data;
  const themeLabel = (code: string) => c?.themes.find((t) => t.code === code)?.label ?? code;
  const meetingOf = (id: string | null) => (id ? meetingLabel(c?.meetings.find((m) => m.id === id)) ?? id : undefined);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const selectionCount = allMatching ? total : selected.size;
  const statusLabel = STATUSES.find(([s]) => s === status)![1].toLowerCase();

  const cards = () => Array.from(listRef.current?.querySelectorAll<HTMLElement>('.moderation-item') ?? []);
  const focusCard = (i: number) => {
    const all = cards();
    if (all.length === 0) return;
    const el = all[Math.max(0, Math.min(i, all.length - 1))]!;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  };
  // after an action reloads the list, focus stays where it was (the next card when the decided one left the list)
  useEffect(() => {
    if (refocus.current === null || !list.data) return;
    const i = refocus.current;
    refocus.current = null;
    if (list.data.items.length) focusCard(i);
  }, [list.data]);

  const indexOf = (id: string) => items.findIndex((i) => i.id === id);

  async function act(item: ModerationItem, action: Action, extra: { reason?: string; text?: string } = {}) {
    setError(undefined);
    try {
      const r = await post<ModerationItem>(`/admin/contributions/${encodeURIComponent(item.id)}/moderation`, { action, ...extra });
      const title = excerptTitle(item.text, 60);
      announce(action === 'publish' ? `Contribution publiée. « ${title} »` : action === 'reject' ? `Contribution rejetée. « ${title} »`
        : `Pseudonymisation appliquée : ${r.masked.length} passage${r.masked.length > 1 ? 's' : ''} masqué${r.masked.length > 1 ? 's' : ''}.`);
      setOpen(null);
      setSelected((s) => { const n = new Set(s); n.delete(item.id); return n; });
      refocus.current = indexOf(item.id);
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  /** a contribution deleted or erased from its card (ContributionDeletion): it leaves the list */
  function removed(item: ModerationItem, mode: 'delete' | 'erase') {
    announce(`${mode === 'erase' ? 'Contribution effacée' : 'Contribution supprimée'}. « ${excerptTitle(item.text, 60)} »`);
    setOpen(null);
    setSelected((s) => { const n = new Set(s); n.delete(item.id); return n; });
    refocus.current = indexOf(item.id);
    list.reload();
  }

  const toggle = (id: string) => {
    // leaving "every match" keeps the page selected, minus (or plus) this one
    const base = allMatching ? new Set(items.map((i) => i.id)) : selected;
    setAllMatching(false);
    const n = new Set(base);
    if (n.has(id)) n.delete(id); else n.add(id);
    setSelected(n);
  };

  async function decide(action: 'publish' | 'reject', reason?: string) {
    setError(undefined);
    setBusy(true);
    try {
      const body = allMatching
        ? { action, reason, filter: { status, ...Object.fromEntries(FILTERS.filter((k) => filters[k]).map((k) => [k, filters[k]])), expected: total } }
        : { action, reason, ids: [...selected] };
      const r = await post<{ count: number }>(`/admin/consultations/${encodeURIComponent(slug)}/moderation`, body);
      announce(`${plural(r.count, 'contribution')} ${action === 'publish' ? (r.count > 1 ? 'publiées' : 'publiée') : (r.count > 1 ? 'rejetées' : 'rejetée')}.`);
      setSelected(new Set());
      setAllMatching(false);
      setBulk(null);
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  // keyboard shortcuts (never while typing: fields, the forms of a card, the filters)
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target)) return;
    // a confirmation dialog (deletion, erasure) sits inside its card: its keys are its own
    if ((e.target as HTMLElement | null)?.closest?.('dialog')) return;
    if (e.key === '?') { e.preventDefault(); setHelp((h) => !h); return; }
    const all = cards();
    const current = (document.activeElement as HTMLElement | null)?.closest?.('.moderation-item') as HTMLElement | null;
    const at = current ? all.indexOf(current) : -1;
    const item = at >= 0 ? items[at] : undefined;
    switch (e.key) {
      case 'j': case 'ArrowDown':
        // the arrows scroll the page as usual until a card has the focus
        if (e.key === 'ArrowDown' && at < 0) return;
        e.preventDefault(); focusCard(at + 1); return;
      case 'k': case 'ArrowUp':
        if (e.key === 'ArrowUp' && at < 0) return;
        e.preventDefault(); focusCard(at < 0 ? 0 : at - 1); return;
      case 'p':
        if (!item) return;
        e.preventDefault();
        if (item.status === 'published') announce('Cette contribution est déjà publiée.');
        else void act(item, 'publish');
        return;
      case 'r':
        if (!item) return;
        e.preventDefault();
        if (item.status === 'rejected') announce('Cette contribution est déjà rejetée.');
        else { setOpen({ id: item.id, mode: 'reject' }); announce('Motif du rejet demandé.'); }
        return;
      case 'x':
        if (!item) return;
        e.preventDefault();
        toggle(item.id);
        announce(selected.has(item.id) || allMatching ? 'Contribution désélectionnée.' : 'Contribution sélectionnée.');
        return;
      default:
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', h);
    return () => document.removeEventListener('keydown', h);
  }, []);

  function applyFilters(e: FormEvent) {
    e.preventDefault();
    navigate(hrefFor({ filters: Object.fromEntries(FILTERS.map((f) => [f, form[f].trim()])) as Filters, page: 1 }));
  }
  const setField = (k: keyof Filters) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const allOnPage = items.length > 0 && items.every((i) => selected.has(i.id));

  return (
    <Page title={`Modération : ${c?.title ?? slug}`} crumbs={adminCrumbs(slug, c?.title)}>
      <AdminNav slug={slug} current="/moderation" />
      <LiveRegion message={msg} id="moderation-annonce" />
      <ReportedSection slug={slug} announce={announce} onChanged={() => list.reload()} />

      <form onSubmit={applyFilters} className="filters fr-p-3w fr-mb-3w" role="search" aria-label="Filtrer la file de modération">
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Recherche dans le texte" hintText="Exemple : urgences, médecin traitant" nativeInputProps={{ type: 'search', name: 'q', value: form.q, onChange: setField('q') }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Thème" nativeSelectProps={{ name: 'theme', value: form.theme, onChange: setField('theme') }}>
              <option value="">Tous les thèmes</option>
              {c?.themes.map((t) => <option key={t.code} value={t.code}>{t.label}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Réunion" nativeSelectProps={{ name: 'meeting', value: form.meeting, onChange: setField('meeting') }}>
              <option value="">Toutes les réunions</option>
              {c?.meetings.map((m) => <option key={m.id} value={m.id}>{meetingLabel(m)}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Canal" nativeSelectProps={{ name: 'channel', value: form.channel, onChange: setField('channel') }}>
              <option value="">Tous les canaux</option>
              {Object.entries(CHANNEL_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
            </Select>
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-mt-2w">
          <li><Button type="submit" iconId="fr-icon-filter-line">Filtrer</Button></li>
          {filtered ? <li><Button type="button" priority="tertiary" onClick={() => navigate(hrefFor({ filters: { q: '', theme: '', meeting: '', channel: '' } }))}>Effacer les filtres</Button></li> : null}
        </ul>
      </form>

      <nav aria-label="Statut de modération" className="fr-mb-2w">
        <ul className="fr-tags-group">
          {STATUSES.map(([s, l]) => (
            <li key={s}>
              <Link href={hrefFor({ status: s })} className="fr-tag" aria-current={s === status ? 'page' : undefined}>
                {l}{list.data ? ` (${nf.format(list.data.counts[s])})` : ''}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <Accordion label="Raccourcis clavier" titleAs="h2" className="fr-mb-3w" expanded={help} onExpandedChange={(v) => setHelp(v)}>
        <p className="fr-text--sm">Placez-vous sur une contribution (touche j ou en cliquant dessus) ; les raccourcis sont inactifs pendant la saisie dans un champ.</p>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, what]) => <div key={k}><dt><kbd>{k}</kbd></dt><dd>{what}</dd></div>)}
        </dl>
      </Accordion>

      <ErrorAlert message={error} title="Action impossible" />
      <ErrorAlert message={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <p role="status" className="fr-mb-2w">
          {plural(total, 'contribution')} ({statusLabel}){filtered ? ' répondant aux filtres' : ''}{pages > 1 ? ` — page ${page} sur ${pages}` : ''}
        </p>
      ) : null}

      {items.length > 0 ? (
        <section className="bulk-bar fr-p-2w fr-mb-3w" aria-labelledby="bulk-h">
          <h2 id="bulk-h" className="fr-sr-only">Sélection et décision groupée</h2>
          <div className="bulk-bar__row">
            <div className="fr-checkbox-group fr-checkbox-group--sm">
              <input type="checkbox" id="select-page" checked={allOnPage || allMatching}
                onChange={() => { setAllMatching(false); setSelected(allOnPage ? new Set() : new Set(items.map((i) => i.id))); }} />
              <label className="fr-label" htmlFor="select-page">Tout sélectionner sur la page ({nf.format(items.length)})</label>
            </div>
            {total > items.length && !allMatching ? (
              <Button size="small" priority="tertiary" onClick={() => { setAllMatching(true); setBulk(null); }}>
                Sélectionner les {nf.format(total)} contributions du filtre
              </Button>
            ) : null}
            {allMatching ? <Button size="small" priority="tertiary" onClick={() => { setAllMatching(false); setSelected(new Set()); }}>Annuler la sélection</Button> : null}
          </div>
          <p className="fr-text--sm fr-mb-1w">
            {selectionCount === 0 ? 'Aucune contribution sélectionnée.'
              : allMatching ? `Toutes les contributions du filtre sont sélectionnées : ${plural(total, 'contribution')}.`
                : `${plural(selectionCount, 'contribution sélectionnée', 'contributions sélectionnées')}.`}
          </p>
          {selectionCount > 0 ? (
            <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-btns-group--sm">
              {status !== 'published' ? (
                <li><Button size="small" iconId="fr-icon-check-line" disabled={busy}
                  onClick={() => (selectionCount > pageSize ? setBulk('publish') : void decide('publish'))}>Publier la sélection ({nf.format(selectionCount)})</Button></li>
              ) : null}
              {status !== 'rejected' ? (
                <li><Button size="small" priority="secondary" iconId="fr-icon-close-line" disabled={busy} onClick={() => setBulk(bulk === 'reject' ? null : 'reject')}
                  nativeButtonProps={{ id: 'bulk-reject', 'aria-expanded': bulk === 'reject' }}>Rejeter la sélection…</Button></li>
              ) : null}
            </ul>
          ) : null}
          {bulk === 'publish' ? (
            <div className="confirm fr-p-2w" role="group" aria-labelledby="confirm-publish">
              <p id="confirm-publish" className="fr-mb-1w"><strong>Publier {plural(selectionCount, 'contribution')} d’un coup ?</strong> Elles deviendront visibles du public.</p>
              <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
                <li><Button size="small" disabled={busy} onClick={() => void decide('publish')} nativeButtonProps={{ autoFocus: true }}>Confirmer la publication de {nf.format(selectionCount)} contributions</Button></li>
                <li><Button size="small" priority="secondary" onClick={() => setBulk(null)}>Annuler</Button></li>
              </ul>
            </div>
          ) : null}
          {bulk === 'reject' ? (
            <ReasonForm idPrefix="bulk" submitLabel={`Rejeter ${plural(selectionCount, 'contribution')}`} busy={busy}
              onCancel={() => { setBulk(null); document.getElementById('bulk-reject')?.focus(); }} onSubmit={(reason) => void decide('reject', reason)} />
          ) : null}
        </section>
      ) : null}

      <ol className="moderation-list" ref={listRef}>
        {items.map((it) => (
          <ModerationCard key={it.id} item={it} themeLabel={themeLabel} meeting={meetingOf(it.meeting)} act={act} onRemoved={(m) => removed(it, m)}
            selected={allMatching || selected.has(it.id)} onToggle={toggle}
            mode={open?.id === it.id ? open.mode : 'none'} setMode={(m) => setOpen(m === 'none' ? null : { id: it.id, mode: m })} />
        ))}
      </ol>
      {list.data && items.length === 0 ? <p>{filtered ? 'Aucune contribution ne répond à ces filtres.' : 'Aucune contribution.'}</p> : null}

      <div className="page-size fr-mt-3w">
        <Select label="Contributions par page" nativeSelectProps={{ value: String(pageSize), onChange: (e) => navigate(hrefFor({ pageSize: Number(e.target.value) })) }}>
          {MODERATION_PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
        </Select>
      </div>
      {pages > 1 ? (
        <Pagination key={listKey} count={pages} defaultPage={Math.min(page, pages)} getPageLinkProps={(n) => ({ href: hrefFor({ page: n }) })} />
      ) : null}
    </Page>
  );
}

/** A rejection reason: one of the usual ones and/or the moderator's words. */
function ReasonForm({ idPrefix, submitLabel, busy, onSubmit, onCancel }: {
  idPrefix: string; submitLabel: string; busy?: boolean; onSubmit: (reason: string) => void; onCancel: () => void;
}) {
  const [choice, setChoice] = useState('');
  const [detail, setDetail] = useState('');
  const reason = rejectionReason(choice, detail);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  return (
    <form className="fr-mt-2w" onSubmit={(e) => { e.preventDefault(); if (reason) onSubmit(reason); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      <RadioButtons legend="Motif du rejet *" name={`${idPrefix}-motif`} orientation="horizontal" small
        hintText="Choisissez un motif, précisez-le au besoin (ou écrivez-le)"
        options={REJECTION_REASONS.map((r, i) => ({ label: r, nativeInputProps: { value: r, checked: choice === r, onChange: () => setChoice(r), ...(i === 0 ? { ref: first } : {}) } }))} />
      <Input label="Précision (facultatif si un motif est choisi)" nativeInputProps={{ id: `${idPrefix}-precision`, value: detail, maxLength: 900, onChange: (e) => setDetail(e.target.value) }} />
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        <li><Button type="submit" size="small" disabled={!reason || busy}>{submitLabel}</Button></li>
        <li><Button type="button" size="small" priority="secondary" onClick={onCancel}>Annuler</Button></li>
      </ul>
    </form>
  );
}

function ModerationCard({ item, themeLabel, meeting, act, onRemoved, selected, onToggle, mode, setMode }: {
  item: ModerationItem;
  onRemoved: (mode: 'delete' | 'erase') => void;
  themeLabel: (c: string) => string;
  meeting: string | undefined;
  act: (i: ModerationItem, a: Action, extra?: { reason?: string; text?: string }) => Promise<void>;
  selected: boolean;
  onToggle: (id: string) => void;
  mode: 'none' | 'reject' | 'edit';
  setMode: (m: 'none' | 'reject' | 'edit') => void;
}) {
  const [text, setText] = useState(item.text);
  const li = useRef<HTMLLIElement>(null);
  const hid = `mod-${item.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const title = excerptTitle(item.text);
  const meta = [meeting, CHANNEL_LABELS[item.channel] ?? item.channel, item.date && !meeting ? formatDate(item.date) : undefined].filter(Boolean).join(' · ');
  return (
    <li className={`moderation-item panel fr-p-3w fr-mb-3w${selected ? ' moderation-item--selected' : ''}`} aria-labelledby={`${hid}-h`} tabIndex={-1}
      ref={li} data-contribution={item.id}>
      <div className="moderation-item__head">
        <div className="fr-checkbox-group fr-checkbox-group--sm">
          <input type="checkbox" id={`${hid}-sel`} checked={selected} onChange={() => onToggle(item.id)} />
          <label className="fr-label" htmlFor={`${hid}-sel`}>Sélectionner<span className="fr-sr-only"> : {title}</span></label>
        </div>
        <Badge small noIcon severity={item.status === 'published' ? 'success' : item.status === 'rejected' ? 'error' : 'warning'}>
          {STATUS_BADGE[item.status] ?? item.status}
        </Badge>
      </div>
      <h2 id={`${hid}-h`} className="fr-h6 fr-mb-1w">{title}</h2>
      <p className="fr-text--sm fr-mb-1w moderation-item__meta">{meta}</p>
      <p className="fr-text--xs">
        Collège : {collegeLabel(item.college).toLowerCase()} · Nature : {kindLabel(item.kind).toLowerCase()}
        {item.themes.length ? ` · ${item.themes.map(themeLabel).join(', ')}` : ' · sans thème'}
        <span className="moderation-item__ref"> · réf. {item.id}</span>
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
          <li><Button size="small" iconId="fr-icon-check-line" onClick={() => void act(item, 'publish')} nativeButtonProps={{ 'aria-describedby': `${hid}-h`, title: 'Publier (raccourci : p)' }}>Publier</Button></li>
        ) : null}
        {item.status !== 'rejected' ? (
          <li><Button size="small" priority="secondary" iconId="fr-icon-close-line" onClick={() => setMode(mode === 'reject' ? 'none' : 'reject')} nativeButtonProps={{ 'aria-expanded': mode === 'reject', 'aria-describedby': `${hid}-h`, title: 'Rejeter (raccourci : r)' }}>Rejeter…</Button></li>
        ) : null}
        <li><Button size="small" priority="secondary" iconId="fr-icon-eye-off-line" onClick={() => void act(item, 'pseudonymise')} nativeButtonProps={{ 'aria-describedby': `${hid}-h` }}>Pseudonymiser</Button></li>
        <li><Button size="small" priority="tertiary" iconId="fr-icon-edit-line" onClick={() => setMode(mode === 'edit' ? 'none' : 'edit')} nativeButtonProps={{ 'aria-expanded': mode === 'edit', 'aria-describedby': `${hid}-h` }}>Corriger le texte public…</Button></li>
        <ContributionDeletion id={item.id} excerpt={item.text} onDone={onRemoved} asListItems />
      </ul>
      {mode === 'reject' ? (
        <ReasonForm idPrefix={hid} submitLabel="Confirmer le rejet" onCancel={() => { setMode('none'); li.current?.focus(); }} onSubmit={(reason) => void act(item, 'reject', { reason })} />
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

interface ReportedView {
  items: { contribution: ModerationItem; count: number; reasons: { reason: ReportReason; count: number }[]; details: { text: string; at: string }[]; firstAt: string; lastAt: string }[];
}

/** Published contributions reported by visitors, first on the page: keep (reports dismissed) or unpublish (rejected). */
function ReportedSection({ slug, announce, onChanged }: { slug: string; announce: (m: string) => void; onChanged: () => void }) {
  const res = useApi<ReportedView>(`/admin/consultations/${encodeURIComponent(slug)}/reports`);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const items = res.data?.items ?? [];
  async function settle(id: string, decision: 'keep' | 'unpublish', reason?: string) {
    setBusy(true);
    setError(null);
    try {
      await post(`/admin/consultations/${encodeURIComponent(slug)}/reports/${encodeURIComponent(id)}`, { decision, ...(reason ? { reason } : {}) });
      announce(decision === 'keep' ? 'Contribution gardée : signalements écartés.' : 'Contribution retirée de la publication.');
      setRejecting(null);
      res.reload();
      if (decision === 'unpublish') onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  if (res.error) return <ErrorAlert message={res.error} title="Signalements indisponibles" />;
  if (!res.data || items.length === 0) return null;
  return (
    <section aria-labelledby="signalements" className="reported fr-p-3w fr-mb-4w">
      <h2 id="signalements" className="fr-h4">Contributions signalées par des visiteurs ({nf.format(items.length)})</h2>
      <p className="fr-text--sm">Les plus signalées d’abord. Les précisions des visiteurs ne sont jamais publiées.</p>
      <ErrorAlert message={error ?? undefined} title="La décision n’a pas été enregistrée" />
      <ul className="reported-list">
        {items.map((it) => (
          <li key={it.contribution.id} className="reported-item fr-p-2w fr-mb-2w">
            <p className="fr-mb-1w"><strong>{count(it.count, 'signalement', 'signalements')}</strong> — {it.reasons.map((r) => `${REPORT_REASON_SHORT[r.reason]} (${nf.format(r.count)})`).join(', ')}</p>
            <blockquote className="fr-mb-1w"><p className="fr-mb-0">{it.contribution.text}</p></blockquote>
            {it.details.length ? (
              <ul className="fr-text--sm">
                {it.details.map((d, k) => <li key={k}>« {d.text} » ({formatDate(d.at)})</li>)}
              </ul>
            ) : null}
            <p className="fr-text--xs">Dernier signalement le {formatDate(it.lastAt)}.</p>
            {rejecting === it.contribution.id ? (
              <ReasonForm idPrefix={`signalement-${it.contribution.id}`} submitLabel="Retirer de la publication" busy={busy}
                onSubmit={(reason) => { void settle(it.contribution.id, 'unpublish', reason); }} onCancel={() => setRejecting(null)} />
            ) : (
              <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
                <li><Button type="button" size="small" priority="secondary" disabled={busy} onClick={() => { void settle(it.contribution.id, 'keep'); }}>Garder (écarter les signalements)</Button></li>
                <li><Button type="button" size="small" disabled={busy} onClick={() => setRejecting(it.contribution.id)}>Retirer de la publication…</Button></li>
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
