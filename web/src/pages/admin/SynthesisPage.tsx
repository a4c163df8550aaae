import { useCallback, useEffect, useState } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Page, ErrorAlert, LiveRegion, Loading } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useAnnouncer, useApi } from '../../hooks.ts';
import { ApiError, errorMessage, get, post, put } from '../../api.ts';
import { Link } from '../../router.tsx';
import { nf } from '../../labels.ts';
import { followJob, JobProgress } from '../../components/JobProgress.tsx';
import type { ConsultationDetail, JobView, Verification } from '../../types.ts';

interface Block { type: string; key?: string; text?: string; placeholder?: string }
interface Section { key: string; title: string; blocks: Block[]; sections: Section[] }
interface SynthesisDoc { title: string; sections: Section[]; generatedAt: string }
interface EditorialField { key: string; text: string; placeholder: string; where: string }
/** What the synthesis job gives as its result (src/jobs/handlers.ts). */
interface GenerationResult { id: string; verification: Verification; notices: string[] }

function editorialFields(doc: SynthesisDoc): EditorialField[] {
  const out: EditorialField[] = [];
  const walk = (s: Section, trail: string[]) => {
    const here = [...trail, s.title];
    for (const b of s.blocks) {
      if (b.type === 'editorial' && b.key) out.push({ key: b.key, text: b.text ?? '', placeholder: b.placeholder ?? '', where: here.join(' › ') });
    }
    for (const c of s.sections) walk(c, here);
  };
  for (const s of doc.sections) walk(s, []);
  return out;
}

const FORMATS = [['html', 'HTML'], ['pdf', 'PDF'], ['docx', 'DOCX (Word)'], ['md', 'Markdown']] as const;

export function SynthesisPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const [level, setLevel] = useState<'departement' | 'region'>('departement');
  const [territory, setTerritory] = useState('');
  const [result, setResult] = useState<GenerationResult | null>(null);
  const [generationJob, setGenerationJob] = useState<JobView | null>(null);
  const [doc, setDoc] = useState<SynthesisDoc | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const [published, setPublished] = useState<string | null>(null);
  const [msg, announce] = useAnnouncer();

  useEffect(() => {
    if (cons.data && !territory) setTerritory(cons.data.territory.code);
  }, [cons.data, territory]);

  const params = new URLSearchParams({ level, ...(territory ? { territory } : {}) });
  const scope = { level, ...(territory ? { territory } : {}) };
  const base = `/admin/consultations/${encodeURIComponent(slug)}/synthesis`;

  const loadDoc = useCallback(async () => {
    try {
      const d = await get<SynthesisDoc>(`${base}?format=json&${params}`);
      setDoc(d);
      setTexts(Object.fromEntries(editorialFields(d).map((f) => [f.key, f.text])));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) setError(errorMessage(e));
      setDoc(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, params.toString()]);

  useEffect(() => {
    if (territory) void loadDoc();
  }, [loadDoc, territory]);

  async function generate() {
    setBusy('generate');
    setError(undefined);
    try {
      // generated as a job (on this server or a worker): followed until done, then the stored document is reloaded
      const job = await followJob(await post<JobView>(base, scope), setGenerationJob);
      const r = job.result as GenerationResult;
      setResult(r);
      announce(r.verification.ok ? `Synthèse générée et vérifiée : ${r.verification.checked.figures} chiffres et ${r.verification.checked.quotes} citations contrôlés, aucune erreur.` : `Synthèse générée : ${r.verification.failures.length} erreurs de vérification.`);
      await loadDoc();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function saveEditorial() {
    setBusy('editorial');
    setError(undefined);
    try {
      await put(`${base}/editorial`, { ...scope, texts });
      announce('Textes éditoriaux enregistrés. Régénérez la synthèse pour les voir dans le document.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function publish() {
    setBusy('publish');
    setError(undefined);
    try {
      const r = await post<{ id: string; publishedAt: string }>(`${base}/publish`, scope);
      setPublished(r.publishedAt);
      announce('Restitution publiée.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const fields = doc ? editorialFields(doc) : [];
  return (
    <Page title={`Synthèse : ${cons.data?.title ?? slug}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="/synthese" />
      <LiveRegion message={msg} />
      {!cons.data && cons.loading ? <Loading /> : null}
      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="gen-titre">
        <h2 id="gen-titre" className="fr-h5">1. Générer et vérifier</h2>
        <p className="fr-text--sm">Chaque chiffre est recalculé et chaque citation retrouvée dans sa source : un document qui échoue à la vérification ne peut être ni téléchargé ni publié.</p>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Niveau" nativeSelectProps={{ value: level, onChange: (e) => setLevel(e.target.value as 'departement' | 'region') }}>
              <option value="departement">Départemental (synthèse de restitution)</option>
              <option value="region">Régional (consolidation)</option>
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="Territoire (code INSEE)" nativeInputProps={{ value: territory, onChange: (e) => setTerritory(e.target.value.trim()) }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Button onClick={() => void generate()} disabled={busy !== null} iconId="fr-icon-file-text-line">
              {busy === 'generate' ? 'Génération…' : 'Générer la synthèse'}
            </Button>
          </div>
        </div>
      </section>
      {generationJob && generationJob.state !== 'done' ? <JobProgress job={generationJob} title="Génération de la synthèse" /> : null}
      <ErrorAlert message={error} title="Action impossible" />
      {result ? (
        result.verification.ok ? (
          <Alert severity="success" className="fr-mb-3w" title="Vérification réussie" description={`${nf.format(result.verification.checked.figures)} chiffres et ${nf.format(result.verification.checked.quotes)} citations recalculés et retrouvés dans leurs sources : aucune erreur.`} />
        ) : (
          <div className="fr-mb-4w">
            <Alert severity="error" title={`${result.verification.failures.length} erreur${result.verification.failures.length > 1 ? 's' : ''} de vérification`} description="Corrigez les données (import, modération, groupes) puis régénérez." />
            <DataTable caption="Erreurs de vérification" headers={['Emplacement', 'Problème']} rows={result.verification.failures.map((f) => [<code>{f.path}</code>, f.message])} className="fr-mt-2w" />
          </div>
        )
      ) : null}
      {result?.notices.length ? (
        <Alert severity="info" className="fr-mb-3w" title="Remarques" description={<ul>{result.notices.map((n, i) => <li key={i}>{n}</li>)}</ul>} />
      ) : null}

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="edito-titre">
        <h2 id="edito-titre" className="fr-h5">2. Textes éditoriaux</h2>
        {!doc ? <p>Générez d’abord la synthèse.</p> : fields.length === 0 ? <p>Ce modèle n’a pas de partie rédactionnelle.</p> : (
          <form onSubmit={(e) => { e.preventDefault(); void saveEditorial(); }}>
            {fields.map((f) => (
              <Input key={f.key} label={f.where} hintText={f.placeholder} textArea
                nativeTextAreaProps={{ rows: 3, name: f.key, value: texts[f.key] ?? '', onChange: (e) => setTexts((t) => ({ ...t, [f.key]: e.target.value })) }} />
            ))}
            <Button type="submit" disabled={busy !== null}>Enregistrer les textes</Button>
          </form>
        )}
      </section>

      <section className="panel fr-p-3w fr-mb-4w" aria-labelledby="dl-titre">
        <h2 id="dl-titre" className="fr-h5">3. Télécharger</h2>
        {doc ? (
          <>
            <p className="fr-text--sm">Dernière génération : {new Date(doc.generatedAt).toLocaleString('fr-FR')}.</p>
            <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm">
              {FORMATS.map(([f, l]) => (
                <li key={f}>
                  <a className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={`/api${base}?format=${f}&${params}`} download>
                    Télécharger en {l}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : <p>Aucune synthèse générée pour ce niveau et ce territoire.</p>}
      </section>

      <section className="panel fr-p-3w" aria-labelledby="pub-titre">
        <h2 id="pub-titre" className="fr-h5">4. Publier la restitution</h2>
        <p className="fr-text--sm">La synthèse est reconstruite et vérifiée une dernière fois, puis publiée sur la page publique de la consultation.</p>
        <Button onClick={() => void publish()} disabled={busy !== null || !doc} iconId="fr-icon-send-plane-line">
          {busy === 'publish' ? 'Publication…' : 'Publier'}
        </Button>
        {published ? (
          <Alert severity="success" className="fr-mt-3w" title="Restitution publiée"
            description={<>Publiée le {new Date(published).toLocaleString('fr-FR')}. <Link href={`/consultations/${slug}/restitution`}>Voir la page publique</Link></>} />
        ) : null}
      </section>
    </Page>
  );
}
