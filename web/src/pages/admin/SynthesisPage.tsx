import { useCallback, useEffect, useState } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Page, ErrorAlert, LiveRegion, Loading } from '../../components/Page.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { ApiError, errorMessage, get, post, put, type ApiProblem } from '../../api.ts';
import { Link } from '../../router.tsx';
import { formatDateTime, nf } from '../../labels.ts';
import { synthesisTerritories } from '../../../../src/domain/geography.ts';
import { followJob, JobProgress } from '../../components/JobProgress.tsx';
import type { ConsultationDetail, JobView, Verification } from '../../types.ts';
import { EasyReadEditor } from './EasyReadEditor.tsx';

interface IdeaItem { key: string; label: string; figure: string; quotes: string[]; children: IdeaItem[]; residual?: boolean }
interface Block { type: string; key?: string; text?: string; placeholder?: string; optional?: boolean; items?: IdeaItem[] }
interface Section { key: string; title: string; blocks: Block[]; sections: Section[] }
interface SynthesisDoc {
  title: string; sections: Section[]; generatedAt: string;
  figures: { key: string; value: number }[];
  quotes: { id: string; contribution: string; text: string }[];
}
interface EmblematicAction { title: string; description: string; owner?: string; territory?: string }
interface Problem { code: 'placeholder' | 'verification' | 'stale'; section: string; message: string }
/** GET …/synthesis/draft (src/usecases/syntheses.ts synthesisDraft). */
interface Draft {
  doc: SynthesisDoc | null;
  changes: { published: number; withdrawn: number; changed: number; groups: boolean; national: number; summary: string } | null;
  stale: boolean;
  problems: Problem[];
  verification: { ok: boolean; failures: number; checked: { figures: number; quotes: number } } | null;
  national: { type: 'contribution' | 'group'; id: string }[];
  editorial: { texts: Record<string, string>; actions?: Record<string, EmblematicAction[]> };
}
interface EditorialField { key: string; placeholder: string; where: string; optional: boolean }
/** What the synthesis job gives as its result (src/jobs/handlers.ts). */
interface GenerationResult { id: string; verification: Verification; notices: string[] }

function editorialFields(doc: SynthesisDoc): EditorialField[] {
  const out: EditorialField[] = [];
  const walk = (s: Section, trail: string[]) => {
    const here = [...trail, s.title];
    for (const b of s.blocks) {
      if (b.type === 'editorial' && b.key) out.push({ key: b.key, placeholder: b.placeholder ?? '', where: here.join(' › '), optional: !!b.optional });
    }
    for (const c of s.sections) walk(c, here);
  };
  for (const s of doc.sections) walk(s, []);
  return out;
}

/** The proposals of each theme, as the draft groups them: ideas (markable when they are idea groups) and their quoted proposals. */
function proposalIdeas(doc: SynthesisDoc): { theme: string; title: string; items: IdeaItem[] }[] {
  const out: { theme: string; title: string; items: IdeaItem[] }[] = [];
  const walk = (s: Section, parent: Section | undefined) => {
    if (/^theme\.[^.]+\.propositions$/.test(s.key)) {
      const items = s.blocks.flatMap((b) => (b.type === 'ideas' ? b.items ?? [] : []));
      if (items.length > 0) out.push({ theme: s.key.split('.')[1]!, title: parent?.title ?? s.title, items });
    }
    for (const c of s.sections) walk(c, s);
  };
  for (const s of doc.sections) walk(s, undefined);
  return out;
}

const FORMATS = [['html', 'HTML'], ['pdf', 'PDF'], ['docx', 'DOCX (Word)'], ['md', 'Markdown']] as const;
const NO_ACTION: EmblematicAction = { title: '', description: '', owner: '', territory: '' };

function ProblemList({ problems }: { problems: ApiProblem[] }) {
  return (
    <ul className="fr-mb-0">
      {problems.map((p, i) => <li key={i}><strong>{p.section}</strong> : {p.message}</li>)}
    </ul>
  );
}

export function SynthesisPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const [level, setLevel] = useState<'departement' | 'region'>('departement');
  const [territory, setTerritory] = useState('');
  const [result, setResult] = useState<GenerationResult | null>(null);
  const [generationJob, setGenerationJob] = useState<JobView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [refused, setRefused] = useState<ApiProblem[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [published, setPublished] = useState<string | null>(null);
  const [actionTheme, setActionTheme] = useState('');
  const [newAction, setNewAction] = useState<EmblematicAction>(NO_ACTION);
  const [msg, announce] = useAnnouncer();

  // the territories this level can be written for, by name (a région's consultation: each of its départements)
  const territories = cons.data ? synthesisTerritories(cons.data.territory, level) : [];
  useEffect(() => {
    if (cons.data && !territories.some((t) => t.code === territory)) setTerritory(territories[0]?.code ?? '');
    if (cons.data && !actionTheme && cons.data.themes[0]) setActionTheme(cons.data.themes[0].code);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cons.data, level, territory, actionTheme]);

  const params = new URLSearchParams({ level, ...(territory ? { territory } : {}) });
  const scope = { level, ...(territory ? { territory } : {}) };
  const base = `/admin/consultations/${encodeURIComponent(slug)}/synthesis`;

  const loadDraft = useCallback(async (resetTexts = true) => {
    try {
      const d = await get<Draft>(`${base}/draft?${params}`);
      setDraft(d);
      if (resetTexts && d.doc) setTexts(Object.fromEntries(editorialFields(d.doc).map((f) => [f.key, d.editorial.texts[f.key] ?? ''])));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) setError(errorMessage(e));
      setDraft(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, params.toString()]);

  useEffect(() => {
    if (territory) void loadDraft();
  }, [loadDraft, territory]);

  async function act(name: string, fn: () => Promise<void>) {
    setBusy(name);
    setError(undefined);
    setRefused(null);
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.problems.length > 0) setRefused(e.problems);
      else setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const generate = () => act('generate', async () => {
    // generated as a job (on this server or a worker): followed until done, then the stored draft is reloaded
    const job = await followJob(await post<JobView>(base, scope), setGenerationJob);
    const r = job.result as GenerationResult;
    setResult(r);
    announce(r.verification.ok ? `Brouillon généré et vérifié : ${r.verification.checked.figures} chiffres et ${r.verification.checked.quotes} citations contrôlés, aucune erreur.` : 'Brouillon généré : des vérifications échouent, voir la liste.');
    await loadDraft(false);
  });

  const saveEditorial = () => act('editorial', async () => {
    await put(`${base}/editorial`, { ...scope, texts });
    announce('Textes enregistrés : ils seront repris dans le document publié.');
    await loadDraft(false);
  });

  const saveActions = (theme: string, list: EmblematicAction[], said: string) => act('actions', async () => {
    await put(`${base}/editorial`, { ...scope, actions: { [theme]: list } });
    announce(said);
    await loadDraft(false);
  });

  // `count`: the proposals the mark covers, as the checkbox shows them (the idea's proposals in this document's territory)
  const toggleNational = (type: 'contribution' | 'group', id: string, national: boolean, count: number) => act('national', async () => {
    await put(`/admin/consultations/${encodeURIComponent(slug)}/national`, { type, id, national });
    const what = `${nf.format(count)} proposition${count > 1 ? 's' : ''}`;
    const counted = type === 'group' ? `Idée marquée « niveau national » : ses ${what} dans ce territoire ${count > 1 ? 'seront comptées' : 'sera comptée'}` : 'Proposition marquée « niveau national » : elle sera comptée';
    announce(national
      ? `${counted} dans la rubrique « Propositions relevant du niveau national » de son thème après régénération du brouillon.`
      : `Marque « niveau national » retirée (${what}). Régénérez le brouillon.`);
    await loadDraft(false);
  });

  const publish = () => act('publish', async () => {
    const r = await post<{ id: string; publishedAt: string }>(`${base}/publish`, scope);
    setPublished(r.publishedAt);
    announce('Restitution publiée.');
    await loadDraft(false);
  });

  const doc = draft?.doc ?? null;
  const fields = doc ? editorialFields(doc) : [];
  const themes = cons.data?.themes ?? [];
  const actions = draft?.editorial.actions ?? {};
  const marked = new Set((draft?.national ?? []).map((m) => `${m.type}:${m.id}`));
  const quoteById = new Map((doc?.quotes ?? []).map((q) => [q.id, q]));
  const figureValue = new Map((doc?.figures ?? []).map((f) => [f.key, f.value]));
  const pending = (draft?.problems ?? []).filter((p) => p.code !== 'stale');

  return (
    <Page title={`Synthèse : ${cons.data?.title ?? slug}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="/synthese" />
      <LiveRegion message={msg} />
      {!cons.data && cons.loading ? <Loading /> : null}

      {draft?.stale ? (
        <div className="fr-alert fr-alert--warning fr-mb-3w" role="status">
          <h2 className="fr-alert__title">Les données ont changé depuis la génération du brouillon</h2>
          <p>{draft.changes?.summary || 'Le brouillon ne correspond plus aux données.'} Régénérez-le pour mettre à jour ses chiffres et ses citations : les textes rédigés, les citations choisies et les intitulés renommés sont conservés.</p>
          <Button className="fr-mt-2w" onClick={() => void generate()} disabled={busy !== null} iconId="fr-icon-refresh-line">
            {busy === 'generate' ? 'Régénération…' : 'Régénérer'}
          </Button>
        </div>
      ) : null}

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="gen-titre">
        <h2 id="gen-titre" className="fr-h5">1. Générer et vérifier le brouillon</h2>
        <p className="fr-text--sm">Chaque chiffre est recalculé et chaque citation retrouvée dans sa source. Quand les données changent (contributions publiées, retirées ou modifiées), régénérez le brouillon : les textes rédigés sont conservés.</p>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Niveau" nativeSelectProps={{ value: level, onChange: (e) => setLevel(e.target.value as 'departement' | 'region') }}>
              <option value="departement">Départemental (synthèse de restitution)</option>
              <option value="region">Régional (consolidation)</option>
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Territoire" nativeSelectProps={{ value: territory, onChange: (e) => setTerritory(e.target.value) }}>
              {territories.map((t) => <option key={t.code} value={t.code}>{level === 'departement' ? `${t.name} (${t.code})` : t.name}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Button onClick={() => void generate()} disabled={busy !== null} iconId="fr-icon-file-text-line">
              {busy === 'generate' ? 'Génération…' : doc ? 'Régénérer le brouillon' : 'Générer le brouillon'}
            </Button>
          </div>
        </div>
        {doc ? <p className="fr-text--sm fr-mt-2w fr-mb-0">Brouillon généré le {formatDateTime(doc.generatedAt)}.</p> : null}
      </section>
      {generationJob && generationJob.state !== 'done' ? <JobProgress job={generationJob} title="Génération de la synthèse" /> : null}
      <ErrorAlert message={error} title="Action impossible" />
      {result?.verification.ok && draft && !draft.stale ? (
        <Alert severity="success" className="fr-mb-3w" title="Vérification réussie" description={`${nf.format(result.verification.checked.figures)} chiffres et ${nf.format(result.verification.checked.quotes)} citations recalculés et retrouvés dans leurs sources : aucune erreur.`} />
      ) : null}
      {result?.notices.length ? (
        <Alert severity="info" className="fr-mb-3w" title="Remarques" description={<ul>{result.notices.map((n, i) => <li key={i}>{n}</li>)}</ul>} />
      ) : null}

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="edito-titre">
        <h2 id="edito-titre" className="fr-h5">2. Textes à rédiger</h2>
        {!doc ? <p>Générez d’abord le brouillon.</p> : fields.length === 0 ? <p>Ce modèle n’a pas de partie rédactionnelle.</p> : (
          <form onSubmit={(e) => { e.preventDefault(); void saveEditorial(); }}>
            {fields.map((f) => (
              <Input key={f.key} label={`${f.where}${f.optional ? ' (facultatif)' : ''}`} hintText={f.placeholder} textArea
                nativeTextAreaProps={{ rows: 3, name: f.key, value: texts[f.key] ?? '', onChange: (e) => setTexts((t) => ({ ...t, [f.key]: e.target.value })) }} />
            ))}
            <Button type="submit" disabled={busy !== null}>Enregistrer les textes</Button>
          </form>
        )}
      </section>

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="actions-titre">
        <h2 id="actions-titre" className="fr-h5">3. Actions emblématiques déjà en cours</h2>
        <p className="fr-text--sm">Présentées dans la rubrique « Actions emblématiques déjà en cours » de chaque thème, avant les actions citées par les participants.</p>
        {themes.filter((t) => (actions[t.code] ?? []).length > 0).map((t) => (
          <div key={t.code} className="fr-mb-2w">
            <h3 className="fr-h6 fr-mb-1w">{t.label}</h3>
            <ul>
              {(actions[t.code] ?? []).map((a, i, list) => (
                <li key={i} className="fr-mb-1w">
                  <strong>{a.title}</strong>{a.description ? ` — ${a.description}` : ''}{a.owner ? ` (porteur : ${a.owner}` : ''}{a.owner && a.territory ? `, ${a.territory})` : a.owner ? ')' : a.territory ? ` (${a.territory})` : ''}
                  {' '}
                  <Button priority="tertiary no outline" size="small" disabled={busy !== null}
                    onClick={() => void saveActions(t.code, list.filter((_, j) => j !== i), `Action « ${a.title} » retirée.`)}>
                    Retirer<span className="fr-sr-only"> l’action « {a.title} »</span>
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <form onSubmit={(e) => {
          e.preventDefault();
          const clean = { title: newAction.title.trim(), description: newAction.description.trim(), ...(newAction.owner?.trim() ? { owner: newAction.owner.trim() } : {}), ...(newAction.territory?.trim() ? { territory: newAction.territory.trim() } : {}) };
          void saveActions(actionTheme, [...(actions[actionTheme] ?? []), clean], `Action « ${clean.title} » ajoutée.`).then(() => setNewAction(NO_ACTION));
        }}>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
              <Select label="Thème" nativeSelectProps={{ value: actionTheme, onChange: (e) => setActionTheme(e.target.value) }}>
                {themes.map((t) => <option key={t.code} value={t.code}>{t.label}</option>)}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input label="Intitulé de l’action" nativeInputProps={{ required: true, maxLength: 300, value: newAction.title, onChange: (e) => setNewAction((a) => ({ ...a, title: e.target.value })) }} />
            </div>
            <div className="fr-col-12">
              <Input label="Description" textArea nativeTextAreaProps={{ rows: 2, maxLength: 5000, value: newAction.description, onChange: (e) => setNewAction((a) => ({ ...a, description: e.target.value })) }} />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input label="Porteur (facultatif)" nativeInputProps={{ maxLength: 300, value: newAction.owner ?? '', onChange: (e) => setNewAction((a) => ({ ...a, owner: e.target.value })) }} />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input label="Territoire (facultatif)" nativeInputProps={{ maxLength: 300, value: newAction.territory ?? '', onChange: (e) => setNewAction((a) => ({ ...a, territory: e.target.value })) }} />
            </div>
          </div>
          <Button type="submit" disabled={busy !== null || !actionTheme} iconId="fr-icon-add-line">Ajouter l’action</Button>
        </form>
      </section>

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="national-titre">
        <h2 id="national-titre" className="fr-h5">4. Propositions relevant du niveau national</h2>
        <p className="fr-text--sm">Cochez une idée ou une proposition qui relève d’une évolution nationale : elle sera présentée dans la rubrique « Propositions relevant du niveau national » de son thème après régénération. Seules les propositions y sont comptées : le nombre indiqué pour une idée est celui de ses propositions dans ce territoire.</p>
        {!doc ? <p>Générez d’abord le brouillon.</p> : proposalIdeas(doc).length === 0 ? <p>Le brouillon ne contient aucune proposition.</p> : proposalIdeas(doc).map((t) => (
          <details key={t.theme} className="fr-mb-2w">
            <summary>{t.title}</summary>
            {t.items.map((it) => {
              const group = it.key.startsWith('g:') ? it.key.slice(2) : undefined;
              const quotes = it.quotes.flatMap((id) => quoteById.get(id) ?? []);
              // the number the national section will count for this idea: its proposals in the document's territory
              const proposals = figureValue.get(it.figure) ?? 0;
              const ideaOption = group ? [{ label: `Idée entière : ${it.label} (${nf.format(proposals)} proposition${proposals > 1 ? 's' : ''})`, nativeInputProps: {
                checked: marked.has(`group:${group}`), disabled: busy !== null, onChange: (e: React.ChangeEvent<HTMLInputElement>) => void toggleNational('group', group, e.target.checked, proposals),
              } }] : [];
              const quoteOptions = quotes.map((q) => ({ label: q.text.length > 160 ? `${q.text.slice(0, 160)}…` : q.text, nativeInputProps: {
                checked: marked.has(`contribution:${q.contribution}`), disabled: busy !== null, onChange: (e: React.ChangeEvent<HTMLInputElement>) => void toggleNational('contribution', q.contribution, e.target.checked, 1),
              } }));
              if (ideaOption.length === 0 && quoteOptions.length === 0) return null;
              const markedHere = quotes.filter((q) => marked.has(`contribution:${q.contribution}`)).length;
              return (
                <div key={it.key} className="fr-ml-2w fr-mt-1w">
                  {ideaOption.length > 0 ? <Checkbox small legend={it.label} options={ideaOption} /> : <p className="fr-mb-1w">{it.label}</p>}
                  {quoteOptions.length > 0 ? (
                    <details className="fr-ml-2w fr-mb-2w">
                      <summary>Propositions citées ({nf.format(quoteOptions.length)}{markedHere > 0 ? `, dont ${nf.format(markedHere)} marquée${markedHere > 1 ? 's' : ''}` : ''})</summary>
                      <Checkbox small legend={`Propositions de l’idée « ${it.label} »`} options={quoteOptions} />
                    </details>
                  ) : null}
                </div>
              );
            })}
          </details>
        ))}
      </section>

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="dl-titre">
        <h2 id="dl-titre" className="fr-h5">5. Télécharger</h2>
        {!doc ? <p>Aucun brouillon généré pour ce niveau et ce territoire.</p> : draft?.stale ? (
          <p>Le brouillon ne correspond plus aux données : régénérez-le pour le télécharger.</p>
        ) : (
          <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
            {FORMATS.map(([f, l]) => (
              <li key={f}>
                <a className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={`/api${base}?format=${f}&${params}`} download>
                  Télécharger en {l}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel fr-p-3w" aria-labelledby="pub-titre">
        <h2 id="pub-titre" className="fr-h5">6. Publier la restitution</h2>
        <p className="fr-text--sm">La synthèse est reconstruite et vérifiée une dernière fois, puis publiée sur la page publique de la consultation. Elle est refusée tant qu’un texte reste à rédiger ou qu’une vérification échoue.</p>
        {doc && !draft?.stale && pending.length > 0 ? (
          <div className="fr-mb-2w">
            <p className="fr-mb-1w"><strong>Avant de publier ({pending.length}) :</strong></p>
            <ProblemList problems={pending} />
          </div>
        ) : null}
        {doc && !draft?.stale && pending.length === 0 ? <p className="fr-mb-2w">Rien ne s’oppose à la publication.</p> : null}
        <Button onClick={() => void publish()} disabled={busy !== null || !doc} iconId="fr-icon-send-plane-line">
          {busy === 'publish' ? 'Publication…' : 'Publier'}
        </Button>
        {refused ? (
          <div className="fr-alert fr-alert--error fr-mt-3w" role="alert">
            <h3 className="fr-alert__title">Publication refusée : {refused.length} point{refused.length > 1 ? 's' : ''} à corriger</h3>
            <ProblemList problems={refused} />
          </div>
        ) : null}
        {published ? (
          <Alert severity="success" className="fr-mt-3w" title="Restitution publiée"
            description={<>Publiée le {formatDateTime(published)}. <Link href={`/consultations/${slug}/restitution`}>Voir la page publique</Link></>} />
        ) : null}
      </section>

      <EasyReadEditor slug={slug} />
    </Page>
  );
}
