import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { useAnnouncer, useApi, useDebounced } from '../../hooks.ts';
import { decidePlanLink, errorMessage, planLinksPath, suggestPlanLinks, undoPlanLink, type LinkDecisionBody } from '../../api.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { formatDate, nf } from '../../labels.ts';
import { LINK_KIND_LABELS, LINK_NOTE_MAX, LINK_STATUS_LABELS } from '../../../../src/domain/links.ts';
import { PLAN_FIELD_LABELS } from '../../../../src/domain/plan.ts';
import type { ConsultationDetail, LinkEvidence, LinkSourceKind, PlanDetail, PlanLink, PlanLinkSource, PlanLinksResponse } from '../../types.ts';

/** The three kinds of sources, as the tabs name them (plural) and as a sentence names one. */
const KINDS: readonly { kind: LinkSourceKind; label: string; one: string }[] = [
  { kind: 'planItem', label: 'Propositions du plan', one: 'proposition' },
  { kind: 'idea', label: 'Idées communes', one: 'idée' },
  { kind: 'contribution', label: 'Contributions', one: 'contribution' },
];
type Show = 'todo' | 'decided' | 'all';
const SHOWS: readonly (readonly [Show, string])[] = [['todo', 'À décider'], ['decided', 'Décidées'], ['all', 'Toutes']];

/** Keys of the review, shown in the page's help (the same set of keys as the moderation queue where they mean the same). */
const SHORTCUTS: [string, string][] = [
  ['j ou ↓', 'source suivante'], ['k ou ↑', 'source précédente'],
  ['l ou →', 'objectif suggéré suivant de la source'], ['h ou ←', 'objectif suggéré précédent'],
  ['c', 'confirmer : l’objectif en cours (le premier par défaut) reprend la source'],
  ['e', 'confirmer en partie (ce qui n’est pas repris est demandé)'],
  ['r', 'écarter l’objectif en cours (ou, sur une décision confirmée, ce lien)'],
  ['n', 'marquer « relève du niveau national » (le motif est demandé)'],
  ['x', 'marquer « non repris » (le motif est demandé)'],
  ['u', 'annuler la dernière décision prise sur cette page (à défaut, la plus récente de la source en cours)'],
  ['Échap', 'fermer le formulaire ouvert'],
  ['?', 'afficher ou masquer cette aide'],
];

const SHORTCUTS_KEY = 'fabrique.liens.raccourcis';

const EVIDENCE_LABELS: Record<LinkEvidence['kind'], string> = {
  reuse: 'Texte repris par le schéma',
  phrase: 'Expressions communes',
  lexicon: 'Lexique de la santé',
  field: 'Thèmes, parcours, mots clés de l’objectif',
  term: 'Termes communs',
};
const EVIDENCE_ORDER: readonly LinkEvidence['kind'][] = ['reuse', 'phrase', 'lexicon', 'field', 'term'];
const FIELD_NAMES: Record<string, string> = { ...(PLAN_FIELD_LABELS as Record<string, string>), enPratique: 'En pratique', themes: 'Thèmes', parcours: 'Parcours', motsCles: 'Mots clés', actions: 'Actions' };

/** Sources rendered at once; « Afficher les suivantes » adds as many. */
const PAGE = 20;
/** Candidates shown per source before « Afficher les autres » (the best ones: the others rarely fit). */
const TOP = 3;
/** Pieces of evidence of one kind shown before « et N autres ». */
const EVIDENCE_MAX = 8;

/** Where a plan item reads in the plan (the section of the document that lists it). */
const PLAN_ITEM_SECTIONS: Record<PlanDetail['consultationItems'][number]['section'], string> = {
  enjeux: 'les enjeux', defis_cts: 'les défis du conseil territorial de santé', cnr: 'les propositions du CNR en santé',
};

/** A contribution's moderation status, as its badge says it (the decisions of a non-public one wait for its publication). */
const MODERATION_BADGES: Record<NonNullable<PlanLinkSource['moderation']>, { label: string; severity: 'success' | 'warning' | 'error' }> = {
  published: { label: 'publiée', severity: 'success' },
  pending: { label: 'en attente', severity: 'warning' },
  rejected: { label: 'rejetée', severity: 'error' },
};
const notPublic = (s: PlanLinkSource) => s.source.kind === 'contribution' && s.moderation !== undefined && s.moderation !== 'published';
/** Said after a decision on a contribution that is not public (yet). */
const NOT_PUBLIC_YET = 'Cette contribution n’est pas publiée : la décision ne paraîtra dans le rapport de couverture, la restitution et la page publique du schéma qu’une fois la contribution publiée.';

/** « Lien confirmé : X reprend … » as the object of « Décision annulée : … » (one label, not two). */
const undoneText = (what: string) => {
  // the label's colon only (the first outside « »): one inside a quoted title (« Objectif : … ») stays
  let depth = 0;
  let i = -1;
  for (let k = 0; k < what.length && i < 0; k++) {
    if (what[k] === '«') depth++;
    else if (what[k] === '»') depth = Math.max(0, depth - 1);
    else if (depth === 0 && what.startsWith(' : ', k)) i = k;
  }
  const s = i >= 0 ? `${what.slice(0, i)}, ${what.slice(i + 3)}` : what;
  return s.charAt(0).toLowerCase() + s.slice(1);
};

/** Plan items by the section of the plan that lists them: « 20 propositions du CNR, 11 enjeux, 11 défis du CTS ». */
const SECTION_COUNTS: readonly [PlanDetail['consultationItems'][number]['section'], string, string][] = [
  ['cnr', 'proposition du CNR', 'propositions du CNR'], ['enjeux', 'enjeu', 'enjeux'], ['defis_cts', 'défi du CTS', 'défis du CTS'],
];
function sectionCounts(list: readonly PlanLinkSource[], items: PlanDetail['consultationItems']): string {
  const parts = SECTION_COUNTS.map(([section, one, many]) => {
    const n = list.filter((s) => items[Number(s.source.id)]?.section === section).length;
    return n ? `${nf.format(n)} ${n > 1 ? many : one}` : '';
  }).filter(Boolean);
  return parts.length ? parts.join(', ') : `${nf.format(list.length)} élément${list.length > 1 ? 's' : ''}`;
}

type Mode = 'partly' | 'national' | 'not_taken_up' | 'other';
interface Open { source: string; mode: Mode; target?: string }
interface Target { code: string; kind: 'objective' | 'defi'; title: string }

/** Case and accents aside, for the search. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const pct = (score: number | null) => `${Math.round(Math.max(0, Math.min(1, score ?? 0)) * 100)} %`;
const domId = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, '_');
/**
 * A source by what people know it by: an idea by its label, a plan item or a contribution by (the beginning of)
 * its text (a plan item's label is the heading the plan lists it under, shown beside it).
 */
const sourceTitle = (s: PlanLinkSource) => (s.source.kind === 'idea' && s.label?.trim() ? s.label.trim() : cut(s.text.replace(/\s+/g, ' ').trim(), 220));
const decided = (s: PlanLinkSource) => s.decisions.some((d) => d.status !== 'rejected');

/** Undo goes back from the newest decision of a source (the API refuses to undo under a later one); a stated link is the document's. */
const newestDecision = (s: PlanLinkSource): PlanLink | undefined =>
  [...s.decisions].filter((d) => d.status !== 'stated').sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''))[0];

/** A shortcut key is for the review unless the person is typing (a field, the forms of a card, the filters). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return Boolean(el.closest('form, textarea, select, [contenteditable=""], [contenteditable="true"]'))
    || (el.tagName === 'INPUT' && !['checkbox', 'button', 'submit', 'radio'].includes((el as HTMLInputElement).type));
}

/** The plan's objectives and défis by code (the API gives codes; people read titles). */
function targetsOf(p: PlanDetail | undefined): Map<string, Target> {
  const out = new Map<string, Target>();
  for (const e of p?.engagements ?? []) {
    for (const d of e.defis) {
      out.set(d.code, { code: d.code, kind: 'defi', title: d.title });
      for (const o of d.objectives) out.set(o.code, { code: o.code, kind: 'objective', title: o.title });
    }
  }
  return out;
}

/** What a decision did, in a sentence (announced, and listed on the source). */
function decisionText(d: PlanLink, targetName: (code: string) => string): string {
  if (d.status === 'rejected') return `Écarté : ${d.target ? targetName(d.target) : 'objectif'}`;
  if (d.kind === 'national' || d.kind === 'not_taken_up') return LINK_KIND_LABELS[d.kind];
  return `${LINK_KIND_LABELS[d.kind]} par ${d.target ? targetName(d.target) : 'le schéma'}`;
}

/**
 * Back office, traceability (issue 14): for each proposal the plan lists, each common idea or each contribution,
 * the plan's objectives ranked by the machine with why, and the person's decision (confirm, partly, reject,
 * national, not taken up), by mouse or keyboard; each decision is audited and can be undone.
 */
export function PlanLinksPage({ id }: { id: string }) {
  const { path, query } = useLocation();
  const rawKind = query.get('kind');
  const kind: LinkSourceKind = KINDS.some((k) => k.kind === rawKind) ? rawKind as LinkSourceKind : 'planItem';
  const only = query.get('source')?.trim() ?? '';
  const rawShow = query.get('show');
  const show: Show = SHOWS.some(([s]) => s === rawShow) ? rawShow as Show : 'all';
  const hrefFor = (o: { kind?: LinkSourceKind; source?: string | null; show?: Show }) => {
    const q = new URLSearchParams({ kind: o.kind ?? kind });
    const src = o.source === undefined ? (o.kind && o.kind !== kind ? '' : only) : o.source ?? '';
    if (src) q.set('source', src);
    const sh = o.show ?? show;
    if (sh !== 'all') q.set('show', sh);
    return `${path}?${q}`;
  };

  const plan = useApi<PlanDetail>(`/plans/${encodeURIComponent(id)}`);
  const list = useApi<PlanLinksResponse>(planLinksPath(id, kind));
  const targets = useMemo(() => targetsOf(plan.data), [plan.data]);
  const slug = list.data?.plan.consultation ?? plan.data?.consultation ?? null;
  const cons = useApi<ConsultationDetail>(slug ? `/admin/consultations/${encodeURIComponent(slug)}` : null);
  const themeLabel = (code: string) => cons.data?.themes.find((t) => t.code === code)?.label ?? code;
  // long lists (every contribution of a consultation) are shown a page at a time
  const [limit, setLimit] = useState(PAGE);
  const targetName = (code: string) => { const t = targets.get(code); return t ? `${code} « ${cut(t.title, 90)} »` : code; };
  const [msg, announce] = useAnnouncer();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const [help, setHelp] = useState(false);
  // single-key shortcuts can be turned off (WCAG 2.1.4), remembered on this browser
  const [shortcuts, setShortcuts] = useState(() => { try { return localStorage.getItem(SHORTCUTS_KEY) !== 'off'; } catch { return true; } });
  const toggleShortcuts = (on: boolean) => {
    setShortcuts(on);
    try { localStorage.setItem(SHORTCUTS_KEY, on ? 'on' : 'off'); } catch { /* private mode: for this page only */ }
    announce(on ? 'Raccourcis clavier activés.' : 'Raccourcis clavier désactivés.');
  };
  // the decisions taken on this page, newest last: « u » undoes them one by one
  const [history, setHistory] = useState<{ link: string; what: string; source: string }[]>([]);
  const listRef = useRef<HTMLOListElement>(null);
  const refocus = useRef<{ source: string; index: number; target?: string } | null>(null);

  const [search, setSearch] = useState('');
  const needle = fold(useDebounced(search, 200).trim());
  const all = list.data?.sources ?? [];
  const sources = all.filter((s) => (!only || s.source.id === only) && (show === 'all' || (show === 'decided') === decided(s))
    && (!needle || fold(`${s.label ?? ''} ${s.text} ${s.source.id}`).includes(needle)));
  const counts = { todo: all.filter((s) => !decided(s)).length, decided: all.filter(decided).length, all: all.length };
  const kindInfo = KINDS.find((k) => k.kind === kind)!;
  const p = list.data?.plan;
  const planTitle = p?.title ?? plan.data?.title;
  const planName = plan.data ? `${plan.data.title} — ${plan.data.territoryName}` : planTitle ?? id;

  useEffect(() => { setOpen(null); setLimit(PAGE); }, [kind, only, show, needle]);
  const shown = sources.slice(0, limit);

  const cards = () => Array.from(listRef.current?.querySelectorAll<HTMLElement>('.link-source') ?? []);
  const focusCard = (i: number) => {
    const els = cards();
    if (!els.length) return;
    const el = els[Math.max(0, Math.min(i, els.length - 1))]!;
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  };
  // after a decision reloads the list, the focus comes back to the same source (or the next one, when a filter hid it)
  useEffect(() => {
    const r = refocus.current;
    if (!r || !list.data) return;
    refocus.current = null;
    const els = cards();
    const el = els.find((e) => e.dataset.source === r.source);
    const cand = r.target ? el?.querySelector<HTMLElement>(`.link-candidate[data-target="${CSS.escape(r.target)}"]`) : null;
    if (cand) cand.focus();
    else if (el) el.focus();
    else focusCard(r.index);
  }, [list.data]);

  async function decide(src: PlanLinkSource, body: Omit<LinkDecisionBody, 'source'>, what: string) {
    setError(undefined);
    setBusy(src.source.id);
    try {
      const link = await decidePlanLink(id, { source: src.source, ...body });
      setHistory((h) => [...h, { link: link.id, what, source: src.source.id }]);
      announce(`${what}.${notPublic(src) ? ` ${NOT_PUBLIC_YET}` : ''} Touche u pour annuler.`);
      setOpen(null);
      // the decided candidate leaves the list: the focus goes to its source now, not to the page's body
      cards().find((el) => el.dataset.source === src.source.id)?.focus();
      refocus.current = { source: src.source.id, index: sources.indexOf(src) };
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
      announce(`Échec : ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  async function undo(link: string, what: string, source: string) {
    setError(undefined);
    setBusy(source);
    try {
      await undoPlanLink(id, link);
      // one step back: a link decided twice (confirmed, then rejected) keeps its earlier decision in the history
      setHistory((h) => { const i = h.map((x) => x.link).lastIndexOf(link); return i < 0 ? h : [...h.slice(0, i), ...h.slice(i + 1)]; });
      announce(`Décision annulée : ${undoneText(what)}.`);
      refocus.current = { source, index: Math.max(0, sources.findIndex((s) => s.source.id === source)) };
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
      announce(`Échec : ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  const undoLast = () => {
    const last = history[history.length - 1];
    if (last) void undo(last.link, last.what, last.source);
    else announce('Aucune décision à annuler sur cette page.');
  };

  async function suggest() {
    setError(undefined);
    setBusy('suggest');
    try {
      const r = await suggestPlanLinks(id, [kind]);
      announce(`Suggestions calculées : ${nf.format(r.suggested)} lien${r.suggested > 1 ? 's' : ''} proposé${r.suggested > 1 ? 's' : ''}. Les décisions déjà prises sont gardées.`);
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
      announce(`Échec : ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  const confirm = (src: PlanLinkSource, c: PlanLink) =>
    decide(src, { target: c.target, decision: 'confirm', kind: 'taken_up' }, `Lien confirmé : ${c.target ? targetName(c.target) : ''} reprend « ${cut(sourceTitle(src), 60)} »`);
  const reject = (src: PlanLinkSource, c: PlanLink, note?: string) =>
    decide(src, { target: c.target, decision: 'reject', ...(note ? { note } : {}) },
      `${c.status === 'confirmed' ? 'Lien écarté' : 'Suggestion écartée'} : ${c.target ? targetName(c.target) : ''}`);
  const openForm = (src: PlanLinkSource, mode: Mode, target?: string) => {
    setOpen({ source: src.source.id, mode, ...(target ? { target } : {}) });
    announce(mode === 'partly' ? 'Ce qui n’est pas repris est demandé.' : mode === 'not_taken_up' || mode === 'national' ? 'Le motif est demandé.'
      : 'Choisissez l’objectif.');
  };

  // keyboard shortcuts (never while typing: fields, the forms of a card, the filters)
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (!shortcuts || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target)) return;
    if ((e.target as HTMLElement | null)?.closest?.('dialog')) return;
    if (e.key === '?') { e.preventDefault(); setHelp((h) => !h); return; }
    const els = cards();
    const active = document.activeElement as HTMLElement | null;
    const card = active?.closest?.('.link-source') as HTMLElement | null;
    const at = card ? els.indexOf(card) : -1;
    const src = at >= 0 ? sources[at] : undefined;
    // one decision at a time: a key pressed twice quickly does not send it twice
    if (busy !== null && 'ceurnx'.includes(e.key)) { e.preventDefault(); return; }
    if (e.key === 'u') {
      e.preventDefault();
      // nothing decided on this page yet (reloaded since): the newest decision of the source in hand
      const d = history.length === 0 && src ? newestDecision(src) : undefined;
      if (d) void undo(d.id, decisionText(d, targetName), src!.source.id); else undoLast();
      return;
    }
    const candEl = active?.closest?.('.link-candidate') as HTMLElement | null;
    const candEls = card ? Array.from(card.querySelectorAll<HTMLElement>('.link-candidate')) : [];
    const ci = candEl ? candEls.indexOf(candEl) : -1;
    const cand = src ? (ci >= 0 ? src.candidates[ci] : src.candidates[0]) : undefined;
    const focusCand = (i: number) => { const el = candEls[Math.max(0, Math.min(i, candEls.length - 1))]; el?.focus(); el?.scrollIntoView({ block: 'nearest' }); };
    switch (e.key) {
      case 'j': case 'ArrowDown':
        // the arrows scroll the page as usual until a source has the focus
        if (e.key === 'ArrowDown' && at < 0) return;
        e.preventDefault(); focusCard(at + 1); return;
      case 'k': case 'ArrowUp':
        if (e.key === 'ArrowUp' && at < 0) return;
        e.preventDefault(); focusCard(at < 0 ? 0 : at - 1); return;
      case 'l': case 'ArrowRight':
        if (!src) return;
        e.preventDefault();
        if (!candEls.length) announce('Aucun objectif suggéré pour cette source.'); else focusCand(ci + 1);
        return;
      case 'h': case 'ArrowLeft':
        if (!src) return;
        e.preventDefault();
        if (!candEls.length) announce('Aucun objectif suggéré pour cette source.'); else focusCand(ci < 0 ? 0 : ci - 1);
        return;
      case 'c': case 'e': case 'r': {
        if (!src) return;
        e.preventDefault();
        // on a confirmed decision, « r » takes the link back (the person changed their mind)
        const row = active?.closest?.('.link-decision') as HTMLElement | null;
        const onRow = row ? src.decisions.find((d) => d.id === row.dataset.link && d.status === 'confirmed' && d.target) : undefined;
        if (e.key === 'r' && onRow) { void reject(src, onRow); return; }
        if (!cand) { announce('Aucun objectif suggéré pour cette source : marquez-la « non repris » (x) ou « niveau national » (n).'); return; }
        if (e.key === 'c') void confirm(src, cand);
        else if (e.key === 'r') void reject(src, cand);
        else openForm(src, 'partly', cand.target ?? undefined);
        return;
      }
      case 'n': case 'x':
        if (!src) return;
        e.preventDefault();
        openForm(src, e.key === 'n' ? 'national' : 'not_taken_up');
        return;
      default:
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', h);
    return () => document.removeEventListener('keydown', h);
  }, []);

  const closeForm = (source: string) => {
    setOpen(null);
    cards().find((e) => e.dataset.source === source)?.focus();
  };

  return (
    <Page
      title={`Liens avec le schéma : ${planName}`}
      crumbs={[{ label: 'Back-office', href: '/admin' }, { label: 'Schémas territoriaux de santé', href: '/admin/schemas' }, { label: planName, href: `/admin/schemas/${encodeURIComponent(id)}` }]}
    >
      <LiveRegion message={msg} id="liens-annonce" />
      <p>
        Pour chaque source, les objectifs du schéma que la machine propose, du plus proche au moins proche, avec ce qui les rapproche.
        Confirmez, écartez, ou marquez la source « relève du niveau national » ou « non reprise » avec un motif : seules les décisions
        confirmées paraissent dans le rapport de couverture, la restitution et la page publique du schéma. Chaque décision est inscrite au
        journal d’audit et peut être annulée.
      </p>
      {p?.consultation ?? plan.data?.consultation ? (
        <p className="fr-text--sm">Consultation : <Link href={`/admin/consultations/${encodeURIComponent((p?.consultation ?? plan.data?.consultation)!)}/analyse`}>{p?.consultation ?? plan.data?.consultation}</Link> · <Link href={`/schemas/${encodeURIComponent(id)}`}>page publique du schéma</Link></p>
      ) : (
        <p className="fr-text--sm"><Link href={`/schemas/${encodeURIComponent(id)}`}>Page publique du schéma</Link></p>
      )}

      <nav aria-label="Sources à relier" className="fr-mb-2w">
        <ul className="fr-tags-group">
          {KINDS.map((k) => (
            <li key={k.kind}>
              <Link href={hrefFor({ kind: k.kind, source: null })} className="fr-tag" aria-current={k.kind === kind ? 'page' : undefined}>{k.label}</Link>
            </li>
          ))}
        </ul>
      </nav>

      <div className="panel fr-p-3w fr-mb-3w links-tools">
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Rechercher dans les sources" hintText="Un mot du texte, de l’intitulé ou la référence"
              nativeInputProps={{ type: 'search', value: search, onChange: (e) => setSearch(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Afficher" nativeSelectProps={{ value: show, onChange: (e) => navigate(hrefFor({ show: e.target.value as Show })) }}>
              {SHOWS.map(([s, l]) => <option key={s} value={s}>{l}{list.data ? ` (${nf.format(counts[s])})` : ''}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
              <li>
                <Button iconId="fr-icon-refresh-line" disabled={busy !== null} onClick={() => void suggest()}>
                  {busy === 'suggest' ? 'Calcul en cours…' : 'Calculer les suggestions'}
                </Button>
              </li>
              <li>
                <Button priority="secondary" iconId="fr-icon-arrow-go-back-line" disabled={busy !== null || history.length === 0} onClick={undoLast}
                  nativeButtonProps={{ title: 'Annuler la dernière décision (raccourci : u)' }}>
                  Annuler la dernière décision
                </Button>
              </li>
            </ul>
          </div>
        </div>
        <p className="fr-text--xs fr-mb-0">Le calcul porte sur les {kindInfo.label.toLowerCase()} ; il remplace les suggestions non décidées et garde toutes les décisions.</p>
      </div>

      <Accordion label="Raccourcis clavier" titleAs="h2" className="fr-mb-3w" expanded={help} onExpandedChange={(v) => setHelp(v)}>
        <div className="fr-checkbox-group fr-checkbox-group--sm fr-mb-2w">
          <input type="checkbox" id="liens-raccourcis" checked={shortcuts} onChange={(e) => toggleShortcuts(e.target.checked)} />
          <label className="fr-label" htmlFor="liens-raccourcis">Raccourcis clavier activés (mémorisé sur ce navigateur)</label>
        </div>
        <p className="fr-text--sm">Placez-vous sur une source (touche j, ou en cliquant dessus) ; les raccourcis sont inactifs pendant la saisie dans un champ.</p>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, what]) => <div key={k}><dt><kbd>{k}</kbd></dt><dd>{what}</dd></div>)}
        </dl>
      </Accordion>

      <ErrorAlert message={error} title="Action impossible" />
      <ErrorAlert message={list.error} />
      <ErrorAlert message={plan.error} title="Schéma introuvable" />
      {list.loading && !list.data ? <Loading what="Chargement des liens" /> : null}
      {list.data ? (
        <p role="status" className="fr-mb-2w">
          {only ? <>Une seule source affichée. <Link href={hrefFor({ source: null })}>Voir toutes les {kindInfo.label.toLowerCase()}</Link></>
            : kind === 'planItem' && plan.data
              // the plan lists the CNR's proposals, and its own enjeux and défis du CTS: counted apart
              ? (sources.length === all.length ? `${nf.format(all.length)} élément${all.length > 1 ? 's' : ''} listé${all.length > 1 ? 's' : ''} par le schéma : ${sectionCounts(all, plan.data.consultationItems)}.`
                : `${sectionCounts(sources, plan.data.consultationItems)} (${SHOWS.find(([s]) => s === show)![1].toLowerCase()}${needle ? ', selon la recherche' : ''}) sur ${nf.format(all.length)} éléments listés par le schéma (${sectionCounts(all, plan.data.consultationItems)}).`)
              : `${nf.format(sources.length)} ${sources.length > 1 ? kindInfo.label.toLowerCase() : kindInfo.one} (${SHOWS.find(([s]) => s === show)![1].toLowerCase()}${needle ? ', selon la recherche' : ''}) sur ${nf.format(all.length)}.`}
        </p>
      ) : null}
      {list.data && all.length === 0 ? <p>Aucune source de ce type pour ce schéma{kind === 'planItem' ? ' (le document ne liste pas de propositions issues de la consultation)' : kind === 'contribution' ? ' : une contribution paraît ici une fois les suggestions calculées' : ''}.</p> : null}
      {list.data && all.length > 0 && sources.length === 0 ? <p>Aucune source ne répond à ce filtre.</p> : null}

      <ol className="link-sources" ref={listRef}>
        {shown.map((s) => (
          <SourceCard
            key={s.source.id} s={s} kindOne={kindInfo.one} targets={targets} targetName={targetName} themeLabel={themeLabel} planItems={plan.data?.consultationItems ?? []} busy={busy === s.source.id}
            open={open?.source === s.source.id ? open : null}
            onConfirm={(c) => void confirm(s, c)}
            onReject={(c, note) => void reject(s, c, note)}
            onOpen={(mode, target) => openForm(s, mode, target)}
            onClose={() => closeForm(s.source.id)}
            onDecide={(body, what) => void decide(s, body, what)}
            onUndo={(d) => void undo(d.id, decisionText(d, targetName), s.source.id)}
          />
        ))}
      </ol>
      {sources.length > shown.length ? (
        <Button priority="secondary" onClick={() => {
          const first = shown.length;
          setLimit((l) => l + PAGE);
          // the first source added takes the focus, so that the keyboard goes on from there
          setTimeout(() => focusCard(first), 0);
        }}>
          Afficher les {nf.format(Math.min(PAGE, sources.length - shown.length))} suivantes ({nf.format(sources.length - shown.length)} restantes)
        </Button>
      ) : null}
    </Page>
  );
}

function Score({ value }: { value: number | null }) {
  const v = Math.max(0, Math.min(1, value ?? 0));
  return (
    <span className="link-score">
      <span className="link-score__bar" aria-hidden="true"><span className="link-score__fill" style={{ width: `${Math.round(v * 100)}%` }} /></span>
      <span className="link-score__text">score {pct(value)}</span>
    </span>
  );
}

/** Why a candidate was ranked: grouped by kind of evidence, the plan's line when known. */
function Evidence({ items }: { items: LinkEvidence[] }) {
  if (!items.length) return <p className="fr-text--xs fr-mb-1w">Aucun élément d’explication fourni.</p>;
  const groups = EVIDENCE_ORDER.map((k) => [k, items.filter((e) => e.kind === k)] as const).filter(([, es]) => es.length);
  return (
    <dl className="link-evidence fr-text--sm">
      {groups.map(([k, es]) => (
        <div key={k}>
          <dt>{EVIDENCE_LABELS[k]}</dt>
          <dd>
            {es.slice(0, EVIDENCE_MAX).map((e, i, shown) => (
              <span key={i} className={`link-evidence__item link-evidence__item--${e.kind}`}>
                {e.kind === 'reuse' || e.kind === 'phrase' ? `« ${cut(e.text, 200)} »` : e.text}
                {e.field || e.line ? <span className="link-evidence__where"> ({[e.field ? FIELD_NAMES[e.field] ?? e.field : '', e.line ? `ligne ${e.line}` : ''].filter(Boolean).join(', ')})</span> : null}
                {i < shown.length - 1 ? ' · ' : ''}
              </span>
            ))}
            {es.length > EVIDENCE_MAX ? <span className="link-evidence__where"> et {nf.format(es.length - EVIDENCE_MAX)} autres</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function SourceCard({ s, kindOne, targets, targetName, themeLabel, planItems, busy, open, onConfirm, onReject, onOpen, onClose, onDecide, onUndo }: {
  s: PlanLinkSource; kindOne: string; targets: Map<string, Target>; targetName: (code: string) => string; themeLabel: (code: string) => string; planItems: PlanDetail['consultationItems']; busy: boolean; open: Open | null;
  onConfirm: (c: PlanLink) => void; onReject: (c: PlanLink, note?: string) => void; onOpen: (mode: Mode, target?: string) => void; onClose: () => void;
  onDecide: (body: Omit<LinkDecisionBody, 'source'>, what: string) => void; onUndo: (d: PlanLink) => void;
}) {
  const hid = `src-${domId(s.source.id)}`;
  const title = sourceTitle(s);
  const showText = s.text.trim() && s.text.replace(/\s+/g, ' ').trim() !== title;
  const answered = s.decisions.filter((d) => d.status !== 'rejected');
  const [more, setMore] = useState(false);
  const item = s.source.kind === 'planItem' ? planItems[Number(s.source.id)] : undefined;
  const where = s.theme ? themeLabel(s.theme)
    : item ? [PLAN_ITEM_SECTIONS[item.section], s.label?.trim() || item.group].filter(Boolean).join(' · ') : undefined;
  const newest = newestDecision(s);
  const state = answered.length ? answered.map((d) => LINK_KIND_LABELS[d.kind]).filter((v, i, a) => a.indexOf(v) === i).join(', ') : 'à décider';
  return (
    <li className={`link-source panel fr-p-3w fr-mb-3w${answered.length ? ' link-source--decided' : ''}`} tabIndex={-1} aria-labelledby={hid} data-source={s.source.id} aria-busy={busy || undefined}>
      <div className="link-source__head">
        <Badge small noIcon severity={answered.length ? 'success' : 'new'}>{state}</Badge>
        {s.source.kind === 'contribution' && s.moderation ? (
          <Badge small severity={MODERATION_BADGES[s.moderation].severity} className="fr-ml-1w"><span className="fr-sr-only">Modération : </span>{MODERATION_BADGES[s.moderation].label}</Badge>
        ) : null}
        <span className="fr-text--xs link-source__ref">{s.source.kind === 'planItem' && /^\d+$/.test(s.source.id) ? `${kindOne} n° ${Number(s.source.id) + 1}` : `${kindOne} · réf. ${s.source.id}`}{where ? ` · ${where}` : ''}</span>
      </div>
      <h2 id={hid} className="fr-h6 fr-mb-1w">{title}</h2>
      {showText ? <p className="fr-text--sm link-source__text">{cut(s.text, 700)}</p> : null}
      {notPublic(s) ? (
        <p className="fr-text--sm fr-mb-2w link-source__unpublished">
          {s.moderation === 'rejected' ? 'Contribution rejetée à la modération' : 'Contribution en attente de modération'} : les décisions prises ici ne paraîtront dans le rapport de couverture, la restitution et la page publique du schéma qu’une fois la contribution publiée.
        </p>
      ) : null}

      {s.decisions.length ? (
        <div className="link-decisions fr-mb-2w">
          <h3 className="fr-text--md fr-mb-1w">Décisions</h3>
          <ul className="link-decisions__list">
            {s.decisions.map((d) => (
              <li key={d.id} className="link-decision" data-link={d.id}>
                <Badge small noIcon severity={d.status === 'rejected' ? 'error' : d.kind === 'taken_up' || d.kind === 'partly' ? 'success' : 'info'}>{LINK_STATUS_LABELS[d.status]}</Badge>{' '}
                <span>{decisionText(d, targetName)}</span>
                {d.note ? <span className="link-decision__note"> — {d.kind === 'partly' ? 'non repris : ' : 'motif : '}{d.note}</span> : null}
                <span className="fr-text--xs link-decision__who">{d.decidedBy ? ` · ${d.decidedBy}` : ''}{d.decidedAt ? `, ${formatDate(d.decidedAt.slice(0, 10))}` : ''}</span>
                {d.status === 'confirmed' && d.target ? (
                  <Button size="small" priority="tertiary" iconId="fr-icon-close-line" className="fr-ml-1w" disabled={busy} onClick={() => onReject(d)}
                    nativeButtonProps={{ 'aria-describedby': hid, title: 'Écarter ce lien (raccourci : r)' }}>Écarter ce lien</Button>
                ) : null}
                {d.status !== 'stated' && d.id === newest?.id ? (
                  <Button size="small" priority="tertiary" iconId="fr-icon-arrow-go-back-line" className="fr-ml-1w" disabled={busy} onClick={() => onUndo(d)}
                    nativeButtonProps={{ 'aria-describedby': hid }}>Annuler cette décision</Button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h3 className="fr-text--md fr-mb-1w">Objectifs suggérés</h3>
      {s.candidates.length && s.nothingFits ? (
        <p className="fr-text--sm link-nothing">
          Aucun objectif au-dessus du seuil{s.threshold !== undefined ? ` (score ${pct(s.threshold)})` : ''} : les suggestions ci-dessous sont faibles, la {kindOne} n’est peut-être pas reprise par le schéma.
        </p>
      ) : null}
      {s.candidates.length ? (
        <ol className="link-candidates" id={`${hid}-cands`}>
          {s.candidates.slice(0, more ? undefined : TOP).map((c, i) => {
            const t = c.target ? targets.get(c.target) : undefined;
            const cid = `${hid}-c${i}`;
            return (
              <li key={c.id} className="link-candidate fr-p-2w fr-mb-1w" tabIndex={-1} aria-labelledby={cid} data-target={c.target ?? ''}>
                <div className="link-candidate__head">
                  <h4 id={cid} className="fr-text--md fr-mb-0 link-candidate__title">
                    <span className="link-candidate__rank">{i + 1}.<span className="fr-sr-only"> suggestion :</span></span>{' '}
                    <span className="link-candidate__code">{c.target}</span> {t ? t.title : 'élément inconnu du schéma'}
                    {t?.kind === 'defi' ? <span className="fr-text--xs"> (défi)</span> : null}
                  </h4>
                  <Score value={c.score} />
                </div>
                <Evidence items={c.evidence} />
                <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-btns-group--sm fr-mb-0">
                  <li><Button size="small" iconId="fr-icon-check-line" disabled={busy} onClick={() => onConfirm(c)} nativeButtonProps={{ 'aria-describedby': cid, title: 'Confirmer : repris (raccourci : c)' }}>Repris</Button></li>
                  <li><Button size="small" priority="secondary" disabled={busy} onClick={() => onOpen('partly', c.target ?? undefined)} nativeButtonProps={{ 'aria-describedby': cid, 'aria-expanded': open?.mode === 'partly' && open.target === c.target, title: 'Repris en partie (raccourci : e)' }}>Repris en partie…</Button></li>
                  <li><Button size="small" priority="tertiary" iconId="fr-icon-close-line" disabled={busy} onClick={() => onReject(c)} nativeButtonProps={{ 'aria-describedby': cid, title: 'Écarter (raccourci : r)' }}>Écarter</Button></li>
                </ul>
                {open?.mode === 'partly' && open.target === c.target ? (
                  <NoteForm id={`${cid}-partly`} label="Ce qui n’est pas repris *" hint="Ce que la source demande et que l’objectif ne reprend pas" required textArea
                    submitLabel="Confirmer : repris en partie" onCancel={onClose}
                    onSubmit={(note) => onDecide({ target: c.target, decision: 'confirm', kind: 'partly', note }, `Lien confirmé en partie : ${c.target ? targetName(c.target) : ''}`)} />
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {s.candidates.length > TOP ? (
        <Button size="small" priority="tertiary" iconId={more ? 'fr-icon-arrow-up-s-line' : 'fr-icon-arrow-down-s-line'} onClick={() => setMore(!more)}
          nativeButtonProps={{ 'aria-expanded': more, 'aria-controls': `${hid}-cands`, 'aria-describedby': hid }}>
          {more ? 'Masquer les suggestions les moins proches' : `Afficher ${s.candidates.length - TOP > 1 ? `les ${s.candidates.length - TOP} autres objectifs suggérés` : 'l’autre objectif suggéré'}`}
        </Button>
      ) : null}
      {s.candidates.length ? null : (
        <p className="fr-text--sm link-nothing">Aucun objectif au-dessus du seuil : rien dans le schéma ne semble reprendre cette {kindOne}.</p>
      )}

      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w fr-mb-0">
        <li><Button size="small" priority="secondary" disabled={busy} onClick={() => onOpen('national')} nativeButtonProps={{ 'aria-describedby': hid, 'aria-expanded': open?.mode === 'national', title: 'Niveau national (raccourci : n)' }}>Niveau national…</Button></li>
        <li><Button size="small" priority="secondary" disabled={busy} onClick={() => onOpen('not_taken_up')} nativeButtonProps={{ 'aria-describedby': hid, 'aria-expanded': open?.mode === 'not_taken_up', title: 'Non repris (raccourci : x)' }}>Non repris…</Button></li>
        <li><Button size="small" priority="tertiary" disabled={busy || targets.size === 0} onClick={() => onOpen('other')} nativeButtonProps={{ 'aria-describedby': hid, 'aria-expanded': open?.mode === 'other' }}>Relier à un autre objectif…</Button></li>
      </ul>
      {open?.mode === 'national' ? (
        <NoteForm id={`${hid}-national`} label="Motif" hint="Pourquoi la source relève du niveau national (facultatif)" submitLabel="Marquer : niveau national" onCancel={onClose}
          onSubmit={(note) => onDecide({ decision: 'national', note: note || null }, `Marqué « relève du niveau national » : « ${cut(title, 60)} »`)} />
      ) : null}
      {open?.mode === 'not_taken_up' ? (
        <NoteForm id={`${hid}-ntu`} label="Motif *" hint="Pourquoi le schéma ne reprend pas la source" required submitLabel="Marquer : non repris" onCancel={onClose}
          onSubmit={(note) => onDecide({ decision: 'not_taken_up', note }, `Marqué « non repris » : « ${cut(title, 60)} »`)} />
      ) : null}
      {open?.mode === 'other' ? (
        <OtherTargetForm id={`${hid}-other`} targets={targets} onCancel={onClose}
          onSubmit={(target, kind, note) => onDecide({ target, decision: 'confirm', kind, ...(note ? { note } : {}) }, `Lien confirmé : ${targetName(target)} ${kind === 'partly' ? 'reprend en partie' : 'reprend'} « ${cut(title, 60)} »`)} />
      ) : null}
    </li>
  );
}

/** A short text the decision carries (what is left out, a reason); Échap cancels. */
function NoteForm({ id, label, hint, required, textArea, submitLabel, onSubmit, onCancel }: {
  id: string; label: string; hint: string; required?: boolean; textArea?: boolean; submitLabel: string; onSubmit: (note: string) => void; onCancel: () => void;
}) {
  const [note, setNote] = useState('');
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  const ok = !required || note.trim().length > 0;
  const submit = (e: FormEvent) => { e.preventDefault(); if (ok) onSubmit(note.trim()); };
  const field = { id, value: note, maxLength: LINK_NOTE_MAX, required, onChange: (e: { target: { value: string } }) => setNote(e.target.value), ref };
  return (
    <form className="fr-mt-2w link-form" onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      {textArea ? <Input label={label} hintText={hint} textArea nativeTextAreaProps={{ ...field, rows: 3 }} /> : <Input label={label} hintText={hint} nativeInputProps={field} />}
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        <li><Button type="submit" size="small" disabled={!ok}>{submitLabel}</Button></li>
        <li><Button type="button" size="small" priority="secondary" onClick={onCancel}>Annuler</Button></li>
      </ul>
    </form>
  );
}

/** A link the machine did not suggest: any objective (or défi) of the plan, taken up wholly or partly. */
function OtherTargetForm({ id, targets, onSubmit, onCancel }: {
  id: string; targets: Map<string, Target>; onSubmit: (target: string, kind: 'taken_up' | 'partly', note: string) => void; onCancel: () => void;
}) {
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<'taken_up' | 'partly'>('taken_up');
  const [note, setNote] = useState('');
  const ref = useRef<HTMLSelectElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  const ok = target !== '' && (kind === 'taken_up' || note.trim().length > 0);
  return (
    <form className="fr-mt-2w link-form" onSubmit={(e) => { e.preventDefault(); if (ok) onSubmit(target, kind, note.trim()); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      <Select label="Objectif ou défi du schéma *" nativeSelectProps={{ id, value: target, onChange: (e) => setTarget(e.target.value), ref, required: true }}>
        <option value="">— Choisir —</option>
        {[...targets.values()].map((t) => <option key={t.code} value={t.code}>{t.code} — {t.kind === 'defi' ? 'Défi : ' : ''}{cut(t.title, 90)}</option>)}
      </Select>
      <RadioButtons legend="Le schéma la reprend" name={`${id}-kind`} orientation="horizontal" small
        options={[
          { label: 'entièrement', nativeInputProps: { value: 'taken_up', checked: kind === 'taken_up', onChange: () => setKind('taken_up') } },
          { label: 'en partie', nativeInputProps: { value: 'partly', checked: kind === 'partly', onChange: () => setKind('partly') } },
        ]} />
      {kind === 'partly' ? (
        <Input label="Ce qui n’est pas repris *" textArea nativeTextAreaProps={{ id: `${id}-note`, rows: 3, value: note, maxLength: LINK_NOTE_MAX, required: true, onChange: (e) => setNote(e.target.value) }} />
      ) : null}
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        <li><Button type="submit" size="small" disabled={!ok}>Confirmer ce lien</Button></li>
        <li><Button type="button" size="small" priority="secondary" onClick={onCancel}>Annuler</Button></li>
      </ul>
    </form>
  );
}
