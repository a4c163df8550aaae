import { useCallback, useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Page, Loading, ErrorAlert, LiveRegion } from '../../components/Page.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { errorMessage, post } from '../../api.ts';
import { Link, useLocation, navigate } from '../../router.tsx';
import { collegeLabel, kindLabel, nf } from '../../labels.ts';
import { undoneMessage } from '../../../../src/domain/ideas.ts';
import { followJob, JobProgress } from '../../components/JobProgress.tsx';
import type { ConsultationDetail, GroupMember, GroupsResponse, IdeaGroupView, JobView, PlanSummary, Stats } from '../../types.ts';

/** GET /admin/consultations/:slug/figures: the public figures, and apart the contributions that are not public. */
interface AnalysisFigures { public: Stats; withheld: { pending: number; rejected: number; other: number } }

interface Grab { contribution: string; from: string; target: number }

const cut = (s: string, n = 280) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function AnalysisPage({ slug }: { slug: string }) {
  const { path, query } = useLocation();
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const firstTheme = cons.data?.themes[0]?.code ?? '';
  const theme = query.get('theme') ?? firstTheme;
  const groups = useApi<GroupsResponse>(cons.data ? `/admin/consultations/${encodeURIComponent(slug)}/groups${theme ? `?theme=${encodeURIComponent(theme)}` : ''}` : null);
  const figures = useApi<AnalysisFigures>(`/admin/consultations/${encodeURIComponent(slug)}/figures`);
  // the newest plan answering this consultation: each idea links to its review against the plan's objectives
  const plan = useApi<{ items: PlanSummary[] }>(`/plans?consultation=${encodeURIComponent(slug)}`).data?.items[0];
  const [msg, announce] = useAnnouncer();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const [analysisJob, setAnalysisJob] = useState<JobView | null>(null);
  const [mergeSel, setMergeSel] = useState<string[]>([]);
  const [mergeLabel, setMergeLabel] = useState('');
  const [grab, setGrab] = useState<Grab | null>(null);
  const [dragOver, setDragOver] = useState<string | null>(null);

  const items = groups.data?.items ?? [];
  // the contributions of the groups shown, with the groups (reloaded with them after every change)
  const texts = groups.data?.contributions ?? {};
  const ordered = useMemo(() => {
    const tops = items.filter((g) => !g.parent || !items.some((p) => p.id === g.parent));
    const out: { g: IdeaGroupView; depth: number }[] = [];
    for (const t of tops) {
      out.push({ g: t, depth: 0 });
      for (const c of items.filter((x) => x.parent === t.id)) out.push({ g: c, depth: 1 });
    }
    return out;
  }, [items]);
  const label = useCallback((id: string) => items.find((g) => g.id === id)?.label ?? id, [items]);
  const themeLabel = (code: string) => cons.data?.themes.find((t) => t.code === code)?.label ?? code;

  async function run<T>(what: string, fn: () => Promise<T>, done: (r: T) => string) {
    setError(undefined);
    setBusy(what);
    try {
      const r = await fn();
      announce(done(r));
      groups.reload();
      figures.reload();
    } catch (err) {
      setError(errorMessage(err));
      announce(`Échec : ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  const move = (contribution: string, from: string, to: string) =>
    run('move', () => post(`/admin/contributions/${encodeURIComponent(contribution)}/move`, { from, to }),
      () => `Contribution déplacée de « ${cut(label(from), 60)} » vers « ${cut(label(to), 60)} ».`);

  function grabKeys(e: KeyboardEvent<HTMLButtonElement>, contribution: string, from: string) {
    if (!grab || grab.contribution !== contribution) return;
    const targets = ordered.filter((o) => o.g.id !== from);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = targets.length;
      if (!n) return;
      const t = (grab.target + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      setGrab({ ...grab, target: t });
      announce(`Destination : ${cut(targets[t]!.g.label, 80)} (${t + 1} sur ${n}). Entrée pour déposer.`);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const to = targets[grab.target];
      setGrab(null);
      if (to) void move(contribution, from, to.g.id);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setGrab(null);
      announce('Déplacement annulé.');
    }
  }

  function toggleGrab(contribution: string, from: string) {
    if (grab?.contribution === contribution) {
      setGrab(null);
      announce('Déplacement annulé.');
      return;
    }
    const targets = ordered.filter((o) => o.g.id !== from);
    setGrab({ contribution, from, target: 0 });
    announce(`Contribution saisie. Flèches haut et bas pour choisir le groupe de destination, Entrée pour déposer, Échap pour annuler. Destination : ${cut(targets[0]?.g.label ?? 'aucune', 80)}.`);
  }

  function onDrop(e: DragEvent, to: string) {
    e.preventDefault();
    setDragOver(null);
    try {
      const d = JSON.parse(e.dataTransfer.getData('application/json')) as { contribution: string; from: string };
      if (d.from !== to) void move(d.contribution, d.from, to);
    } catch {
      /* not ours */
    }
  }

  const targetsOfGrab = grab ? ordered.filter((o) => o.g.id !== grab.from) : [];
  const grabTarget = grab ? targetsOfGrab[grab.target]?.g.id : undefined;

  return (
    <Page title={`Analyse : ${cons.data?.title ?? slug}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="/analyse" />
      <LiveRegion id="analyse-annonce" message={msg} />
      <div className="panel fr-p-3w fr-mb-3w">
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Thème examiné" nativeSelectProps={{ value: theme, onChange: (e) => navigate(`${path}?theme=${encodeURIComponent(e.target.value)}`) }}>
              {cons.data?.themes.map((t) => <option key={t.code} value={t.code}>{t.label}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
              <li>
                <Button iconId="fr-icon-refresh-line" disabled={busy !== null}
                  onClick={() => void run('analyze', async () => {
                    // the analysis runs as a job (on this server or a worker): followed until done, then the page refreshes
                    const job = await followJob(await post<JobView>(`/admin/consultations/${encodeURIComponent(slug)}/analyze`, {}), setAnalysisJob);
                    return job.result as { grouping: { groups: number; subIdeas: number; grouped: number; nonAnswers?: number } };
                  }, (r) => `Analyse terminée : ${r.grouping.groups} idées communes, ${r.grouping.subIdeas} sous-idées, ${r.grouping.grouped} contributions` +
                    (r.grouping.nonAnswers ? ` ; ${r.grouping.nonAnswers} non-réponse${r.grouping.nonAnswers > 1 ? 's' : ''} (« RAS », « aucune idée »…) mise${r.grouping.nonAnswers > 1 ? 's' : ''} de côté, non regroupée${r.grouping.nonAnswers > 1 ? 's' : ''}.` : '.'))}>
                  {busy === 'analyze' ? 'Analyse en cours…' : 'Lancer l’analyse'}
                </Button>
              </li>
              <li>
                <Button priority="secondary" iconId="fr-icon-arrow-go-back-line" disabled={busy !== null}
                  onClick={() => void run('undo', () => post<{ undone: { action: string } }>('/admin/undo'), (r) => undoneMessage(r.undone.action))}>
                  Annuler la dernière action
                </Button>
              </li>
            </ul>
          </div>
        </div>
      </div>
      {figures.data ? <FiguresPanel f={figures.data} themeLabel={themeLabel} /> : null}
      <ErrorAlert message={figures.error} />
      {analysisJob && analysisJob.state !== 'done' ? <JobProgress job={analysisJob} title="Analyse" /> : null}
      <ErrorAlert message={error} title="Action impossible" />
      <ErrorAlert message={groups.error} />

      <section aria-labelledby="fusion-titre" className="panel fr-p-3w fr-mb-3w">
        <h2 id="fusion-titre" className="fr-h6">Fusionner des groupes</h2>
        <p className="fr-text--sm">Cochez au moins deux groupes ci-dessous ({mergeSel.length} sélectionné{mergeSel.length > 1 ? 's' : ''}). Le premier coché absorbe les autres.</p>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-8">
            <Input label="Intitulé du groupe fusionné (facultatif)" nativeInputProps={{ value: mergeLabel, onChange: (e) => setMergeLabel(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Button disabled={mergeSel.length < 2 || busy !== null} iconId="fr-icon-git-merge-line"
              onClick={() => void run('merge', () => post('/admin/groups/merge', { ids: mergeSel, ...(mergeLabel.trim() ? { label: mergeLabel.trim() } : {}) }),
                () => { const n = mergeSel.length; setMergeSel([]); setMergeLabel(''); return `${n} groupes fusionnés.`; })}>
              Fusionner la sélection
            </Button>
          </div>
        </div>
      </section>

      {grab ? (
        <div className="panel grab-panel fr-p-2w fr-mb-3w" role="region" aria-label="Déplacement en cours">
          <p className="fr-mb-1w">
            Contribution sélectionnée : <strong>{cut(texts[grab.contribution]?.text ?? grab.contribution, 120)}</strong>
          </p>
          <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
            <div className="fr-col-12 fr-col-md-8">
              <Select label="Déplacer vers…" nativeSelectProps={{ id: 'deplacer-vers', value: String(grab.target), onChange: (e) => setGrab({ ...grab, target: Number(e.target.value) }) }}>
                {targetsOfGrab.map((o, i) => <option key={o.g.id} value={i}>{o.depth ? '— ' : ''}{cut(o.g.label, 90)}</option>)}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-4">
              <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
                <li><Button onClick={() => { const to = targetsOfGrab[grab.target]; setGrab(null); if (to) void move(grab.contribution, grab.from, to.g.id); }}>Déplacer</Button></li>
                <li><Button priority="tertiary" onClick={() => { setGrab(null); announce('Déplacement annulé.'); }}>Annuler</Button></li>
              </ul>
            </div>
          </div>
        </div>
      ) : null}

      {groups.loading && !groups.data ? <Loading what="Chargement des groupes" /> : null}
      {groups.data && ordered.length === 0 ? <p>Aucun groupe pour ce thème : lancez l’analyse.</p> : null}
      {groups.data ? <p className="fr-text--sm">{nf.format(ordered.length)} groupes. Glissez-déposez une contribution vers un autre groupe, ou utilisez son bouton « Déplacer » puis les flèches et Entrée.</p> : null}
      <ol className="group-list">
        {ordered.map(({ g, depth }) => (
          <li key={g.id}
            className={`group-card panel fr-p-2w fr-mb-2w ${depth ? 'group-card--sub' : ''} ${dragOver === g.id || grabTarget === g.id ? 'group-card--target' : ''}`}
            aria-labelledby={`g-${g.id}-h`}
            onDragOver={(e) => { e.preventDefault(); setDragOver(g.id); }}
            onDragLeave={() => setDragOver((d) => (d === g.id ? null : d))}
            onDrop={(e) => onDrop(e, g.id)}
            data-group={g.id}>
            <GroupCard
              g={g} depth={depth} texts={texts} themeLabel={themeLabel}
              total={g.size + (depth ? 0 : items.filter((x) => x.parent === g.id).reduce((n, x) => n + x.size, 0))}
              selectedForMerge={mergeSel.includes(g.id)}
              toggleMerge={(on) => setMergeSel((s) => (on ? [...s, g.id] : s.filter((x) => x !== g.id)))}
              rename={(l) => run('rename', () => post(`/admin/groups/${encodeURIComponent(g.id)}/rename`, { label: l }), () => `Groupe renommé : ${l}.`)}
              split={(members) => run('split', () => post(`/admin/groups/${encodeURIComponent(g.id)}/split`, { members }), () => `Groupe scindé : ${members.length} contribution${members.length > 1 ? 's' : ''} dans un nouveau groupe.`)}
              grab={grab} toggleGrab={toggleGrab} grabKeys={grabKeys}
              setTheme={(c, t, accept) => run('theme', () => post(`/admin/contributions/${encodeURIComponent(c)}/themes`, { theme: t, accept }),
                () => (accept ? `Thème retenu : ${themeLabel(t)}.` : `Suggestion retirée : ${themeLabel(t)}.`))}
              themes={cons.data?.themes.map((t) => ({ code: t.code, label: t.label })) ?? []}
              linksHref={plan ? `/admin/schemas/${encodeURIComponent(plan.id)}/liens?kind=idea&source=${encodeURIComponent(g.id)}` : undefined}
            />
          </li>
        ))}
      </ol>
    </Page>
  );
}

/** The same public figures as the public site (names and numbers), then, apart, what they leave out. */
function FiguresPanel({ f, themeLabel }: { f: AnalysisFigures; themeLabel: (code: string) => string }) {
  const p = f.public;
  const w = f.withheld;
  const withheld = w.pending + w.rejected + w.other;
  return (
    <section aria-labelledby="chiffres-titre" className="panel fr-p-3w fr-mb-3w">
      <h2 id="chiffres-titre" className="fr-h6">Chiffres publics</h2>
      <p className="fr-text--sm fr-mb-1w">Les mêmes que sur le site public (« En chiffres ») et dans la restitution : contributions publiées seulement.</p>
      <p className="fr-mb-1w"><strong>{nf.format(p.contributions)}</strong> contribution{p.contributions > 1 ? 's' : ''} publiée{p.contributions > 1 ? 's' : ''} · {nf.format(p.meetings)} réunion{p.meetings > 1 ? 's' : ''} · {nf.format(p.documents)} document{p.documents > 1 ? 's' : ''} source{p.documents > 1 ? 's' : ''}{p.participants !== null ? ` · ${nf.format(p.participants)} participants aux réunions (totaux indiqués par ${nf.format(p.meetingsWithParticipants)} réunion${p.meetingsWithParticipants > 1 ? 's' : ''})` : ''}</p>
      <ul className="fr-text--sm fr-mb-2w">
        {Object.entries(p.byTheme).sort((a, b) => b[1] - a[1]).map(([code, n]) => (
          <li key={code}>{themeLabel(code)} : {nf.format(n)} contribution{n > 1 ? 's' : ''} publiée{n > 1 ? 's' : ''}</li>
        ))}
        {p.withoutTheme ? <li>Sans thème : {nf.format(p.withoutTheme)} contribution{p.withoutTheme > 1 ? 's' : ''} publiée{p.withoutTheme > 1 ? 's' : ''}</li> : null}
      </ul>
      <h3 className="fr-text--md fr-mb-1w">Hors chiffres publics</h3>
      <p className="fr-text--sm fr-mb-0">
        {withheld === 0 ? 'Aucune contribution en attente ou rejetée.' : <>
          {nf.format(w.pending)} à modérer · {nf.format(w.rejected)} rejetée{w.rejected > 1 ? 's' : ''}{w.other ? ` · ${nf.format(w.other)} d’un autre statut` : ''} : elles ne sont comptées dans aucun chiffre public.
        </>}
      </p>
    </section>
  );
}

function GroupCard({ g, depth, total, texts, themeLabel, selectedForMerge, toggleMerge, rename, split, grab, toggleGrab, grabKeys, setTheme, themes, linksHref }: {
  g: IdeaGroupView; depth: number; total: number; texts: Record<string, GroupMember>; themeLabel: (c: string) => string;
  selectedForMerge: boolean; toggleMerge: (on: boolean) => void;
  rename: (l: string) => Promise<void>; split: (members: string[]) => Promise<void>;
  grab: Grab | null; toggleGrab: (c: string, from: string) => void;
  grabKeys: (e: KeyboardEvent<HTMLButtonElement>, c: string, from: string) => void;
  setTheme: (c: string, t: string, accept: boolean) => Promise<void>;
  themes: { code: string; label: string }[];
  linksHref?: string;
}) {
  const [renaming, setRenaming] = useState(false);
  const [newLabel, setNewLabel] = useState(g.label);
  const [splitSel, setSplitSel] = useState<string[]>([]);
  const [open, setOpen] = useState(g.members.length > 0 && g.members.length <= 8);
  const H = depth ? 'h3' : 'h2';
  const hid = `g-${g.id}-h`;
  return (
    <>
      <div className="group-card__head">
        <H id={hid} className="fr-h6 fr-mb-1w">
          {depth ? 'Sous-idée : ' : ''}{g.label} <span className="fr-text--sm group-size">({total} contribution{total > 1 ? 's' : ''}{total !== g.size ? ` dont ${g.size} hors sous-idées` : ''}{g.labelByHuman ? ', intitulé revu' : ''})</span>
        </H>
        <div className="fr-checkbox-group fr-checkbox-group--sm">
          <input type="checkbox" id={`merge-${g.id}`} checked={selectedForMerge} onChange={(e) => toggleMerge(e.target.checked)} />
          <label className="fr-label" htmlFor={`merge-${g.id}`}>Sélectionner pour la fusion<span className="fr-sr-only"> : {g.label}</span></label>
        </div>
      </div>
      <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-btns-group--sm fr-mb-0">
        <li><Button size="small" priority="tertiary" iconId="fr-icon-edit-line" onClick={() => setRenaming(!renaming)} nativeButtonProps={{ 'aria-expanded': renaming, 'aria-describedby': hid }}>Renommer</Button></li>
{g.members.length ? (
        <li><Button size="small" priority="tertiary" onClick={() => setOpen(!open)} nativeButtonProps={{ 'aria-expanded': open, 'aria-describedby': hid }}>{open ? 'Masquer les contributions' : `Afficher ${g.members.length > 1 ? `les ${g.members.length} contributions` : 'la contribution'}`}</Button></li>
        ) : null}
        {splitSel.length ? (
          <li><Button size="small" priority="secondary" iconId="fr-icon-scissors-line" onClick={() => void split(splitSel).then(() => setSplitSel([]))} nativeButtonProps={{ 'aria-describedby': hid }}>Scinder : nouveau groupe avec {splitSel.length} contribution{splitSel.length > 1 ? 's' : ''}</Button></li>
        ) : null}
        {linksHref ? <li><Link href={linksHref} className="fr-btn fr-btn--sm fr-btn--tertiary" aria-describedby={hid}>Objectifs du schéma</Link></li> : null}
      </ul>
      {renaming ? (
        <form className="fr-mt-1w rename-form" onSubmit={(e) => { e.preventDefault(); if (newLabel.trim()) void rename(newLabel.trim()).then(() => setRenaming(false)); }}>
          <Input label="Nouvel intitulé" nativeInputProps={{ value: newLabel, autoFocus: true, onChange: (e) => setNewLabel(e.target.value) }} />
          <Button type="submit" size="small">Enregistrer l’intitulé</Button>
        </form>
      ) : null}
      {open ? (
        <ul className="member-list fr-mt-1w">
          {g.members.map((m) => {
            const it = texts[m];
            const grabbed = grab?.contribution === m;
            const suggested = it?.themes.filter((a) => a.by === 'model') ?? [];
            return (
              <li key={m} className={`member ${grabbed ? 'member--grabbed' : ''}`} draggable
                onDragStart={(e) => { e.dataTransfer.setData('application/json', JSON.stringify({ contribution: m, from: g.id })); e.dataTransfer.effectAllowed = 'move'; }}
                data-contribution={m}>
                <div className="member__row">
                  <div className="fr-checkbox-group fr-checkbox-group--sm member__check">
                    <input type="checkbox" id={`split-${g.id}-${m}`} checked={splitSel.includes(m)}
                      onChange={(e) => setSplitSel((s) => (e.target.checked ? [...s, m] : s.filter((x) => x !== m)))} />
                    <label className="fr-label" htmlFor={`split-${g.id}-${m}`}><span className="fr-sr-only">Inclure dans la scission : {cut(it?.text ?? m, 60)}</span></label>
                  </div>
                  <p className="member__text fr-mb-0" id={`t-${g.id}-${m}`}>
                    {it ? cut(it.text) : m}
                    {it ? <span className="fr-text--xs member__meta"> — {kindLabel(it.kind)}, {collegeLabel(it.college)}</span> : null}
                  </p>
                  <button type="button" className={`fr-btn fr-btn--sm ${grabbed ? '' : 'fr-btn--tertiary'} fr-icon-drag-move-2-line fr-btn--icon-left move-btn`}
                    aria-pressed={grabbed} aria-describedby={`t-${g.id}-${m}`}
                    onClick={() => toggleGrab(m, g.id)} onKeyDown={(e) => grabKeys(e, m, g.id)}>
                    Déplacer
                  </button>
                </div>
                {suggested.length || it ? (
                  <div className="member__themes fr-text--xs">
                    {suggested.map((a) => (
                      <span key={a.theme} className="suggested">
                        Thème suggéré : {themeLabel(a.theme)}{a.probability !== undefined ? ` (${Math.round(a.probability * 100)} %)` : ''}{' '}
                        <button type="button" className="fr-link fr-link--sm" onClick={() => void setTheme(m, a.theme, true)} aria-describedby={`t-${g.id}-${m}`}>Accepter</button>{' '}
                        <button type="button" className="fr-link fr-link--sm" onClick={() => void setTheme(m, a.theme, false)} aria-describedby={`t-${g.id}-${m}`}>Refuser</button>
                      </span>
                    ))}
                    <label className="fr-sr-only" htmlFor={`th-${g.id}-${m}`}>Corriger le thème</label>
                    <select id={`th-${g.id}-${m}`} className="fr-select theme-fix" value="" aria-describedby={`t-${g.id}-${m}`}
                      onChange={(e) => { if (e.target.value) void setTheme(m, e.target.value, true); }}>
                      <option value="">Corriger le thème…</option>
                      {themes.map((t) => <option key={t.code} value={t.code}>{cut(t.label, 60)}</option>)}
                    </select>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
