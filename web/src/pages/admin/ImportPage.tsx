import { useRef, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Page, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { AdminNav, adminCrumbs } from './AdminNav.tsx';
import { useApi } from '../../hooks.ts';
import { ApiError, del, errorMessage, upload } from '../../api.ts';
import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { formatDateTime, nf } from '../../labels.ts';
import { followJob, JobProgress } from '../../components/JobProgress.tsx';
import type { ConsultationDetail, ImportedDocument, ImportResult, ImportWarning, JobView } from '../../types.ts';

const OUTCOME: Record<ImportResult['outcome'], string> = {
  imported: 'Fichier importé',
  replaced: 'Fichier réimporté (version précédente remplacée)',
  unchanged: 'Fichier déjà importé : rien n’a changé',
};

function where(w: ImportWarning): string {
  const s = w.source;
  if (!s) return '—';
  const parts: string[] = [];
  if (s.sheet) parts.push(`feuille ${s.sheet}`);
  if (s.row) parts.push(`ligne ${s.row}`);
  if (s.page) parts.push(`page ${s.page}`);
  if (s.lineStart && !s.row) parts.push(`ligne ${s.lineStart}`);
  return parts.join(', ') || '—';
}

/** How each reader is named to the person importing (the code stays in the API's answer, for tools). */
const PARSER_LABELS: Record<string, string> = {
  tabular: 'tableur', 'cnr-ateliers': 'comptes-rendus d’ateliers CNR Santé', restitution: 'synthèse de restitution', json: 'fichier Fabrique',
};

const count = (n: number, word: string) => `${nf.format(n)} ${word}${n >= 2 ? 's' : ''}`;

export function ImportPage({ slug }: { slug: string }) {
  const cons = useApi<ConsultationDetail>(`/admin/consultations/${encodeURIComponent(slug)}`);
  const fileRef = useRef<HTMLInputElement>(null);
  const [map, setMap] = useState('');
  const [sheet, setSheet] = useState('');
  const [themes, setThemes] = useState('');
  const [publish, setPublish] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ImportResult | null>(null);
  const [importJob, setImportJob] = useState<JobView | null>(null);
  const [following, setFollowing] = useState(false);
  /** the server's question when the document is about other départements (409, field « force ») */
  const [mismatch, setMismatch] = useState<string>();
  const documents = useApi<{ items: ImportedDocument[] }>(`/admin/consultations/${encodeURIComponent(slug)}/documents`);
  const [deleted, setDeleted] = useState<string>();
  const dialog = useConfirmDialog('confirmer-suppression-document');

  function askDelete(d: ImportedDocument) {
    dialog.ask({
      title: `Supprimer « ${d.fileName} » ?`,
      body: <>
        <p>Le document importé le {formatDateTime(d.importedAt)} sera supprimé avec {d.meetings > 0 ? <>ses {nf.format(d.meetings)} réunion{d.meetings > 1 ? 's' : ''} et </> : null}
          ses {nf.format(d.contributions)} contribution{d.contributions > 1 ? 's' : ''}, ainsi que tout ce qui en dérive (idées communes, citations).</p>
        <p>Les chiffres de la consultation reviendront à ce qu’ils étaient avant l’import ; les restitutions publiées qui comptaient ces contributions ne seront plus affichées jusqu’à leur republication. Cette action est définitive et inscrite au journal.</p>
      </>,
      confirmLabel: 'Supprimer le document',
      run: async () => {
        await del(`/admin/documents/${encodeURIComponent(d.id)}`);
        setResult(null);
        setDeleted(`« ${d.fileName} » a été supprimé, avec ses ${nf.format(d.contributions)} contributions.`);
        documents.reload();
      },
    });
  }

  async function submit(e: Pick<FormEvent, 'preventDefault'>, force = false) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    setError(undefined);
    setMismatch(undefined);
    setDeleted(undefined);
    setResult(null);
    setImportJob(null);
    if (!file) {
      setError('Choisissez un fichier.');
      fileRef.current?.focus();
      return;
    }
    setProgress(0);
    try {
      const r = await upload<ImportResult | JobView>(`/admin/consultations/${encodeURIComponent(slug)}/imports`, file, setProgress, { map: map.trim(), themes: themes.trim(), sheet: sheet.trim(), publish: publish ? '1' : '0', force: force ? '1' : '' });
      if (r.status === 202) {
        // a large file is imported as a job (on this server or a worker): its result is the same as a direct import's
        setProgress(null);
        setFollowing(true);
        const job = await followJob(r.body as JobView, setImportJob);
        setResult(job.result as ImportResult);
      } else {
        setResult(r.body as ImportResult);
      }
      documents.reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.field === 'force') setMismatch(err.message);
      else setError(errorMessage(err));
    } finally {
      setProgress(null);
      setFollowing(false);
    }
  }

  const pct = progress === null ? 0 : Math.round(progress * 100);
  return (
    <Page title={`Import : ${cons.data?.title ?? slug}`} crumbs={adminCrumbs(slug, cons.data?.title)}>
      <AdminNav slug={slug} current="/import" />
      <p>
        Tableurs (CSV, TSV, XLSX, exports Decidim et Polis) et documents (comptes-rendus d’ateliers en PDF, DOCX, Markdown
        ou texte). Le fichier est lu et vérifié en entier avant tout enregistrement : en cas d’erreur, rien n’est importé.
      </p>
      <form onSubmit={submit} className="panel fr-p-3w fr-mb-4w">
        <div className="fr-upload-group fr-mb-3w">
          <label className="fr-label" htmlFor="import-fichier">
            Fichier à importer *
            <span className="fr-hint-text">Taille maximale : 50 Mo. Formats : csv, tsv, xlsx, txt, md, pdf, docx.</span>
          </label>
          <input ref={fileRef} className="fr-upload" type="file" id="import-fichier" name="file" accept=".csv,.tsv,.xlsx,.txt,.md,.pdf,.docx" />
        </div>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-8">
            <Input label="Correspondance des colonnes (facultatif)" hintText="Ex. texte=Votre avis,theme=Thème" nativeInputProps={{ name: 'map', value: map, onChange: (e) => setMap(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="Feuille (XLSX, facultatif)" nativeInputProps={{ name: 'sheet', value: sheet, onChange: (e) => setSheet(e.target.value) }} />
          </div>
          <div className="fr-col-12 fr-col-md-8">
            <Input label="Correspondance des thèmes (facultatif)" hintText="Valeur du fichier = code d’un thème de la consultation. Ex. 2=1,3=4 ; 5= : sans thème" nativeInputProps={{ name: 'themes', value: themes, onChange: (e) => setThemes(e.target.value) }} />
          </div>
        </div>
        <Checkbox className="fr-mt-2w" options={[{
          label: 'Publier le document en bloc, en mon nom',
          hintText: 'Sinon ses contributions (pseudonymisées) attendent la modération une à une.',
          nativeInputProps: { name: 'publish', checked: publish, onChange: (e) => setPublish(e.target.checked) },
        }]} />
        <Button type="submit" className="fr-mt-2w" disabled={progress !== null || following} iconId="fr-icon-upload-line">Importer</Button>
        {progress !== null ? (
          <div className="fr-mt-3w">
            <label htmlFor="import-progression" className="fr-label">Envoi du fichier : {pct} %{pct === 100 ? ' — lecture et vérification par le serveur…' : ''}</label>
            <progress id="import-progression" className="upload-progress" max={100} value={pct}>{pct} %</progress>
          </div>
        ) : null}
        {importJob && importJob.state !== 'done' ? <JobProgress job={importJob} title="Import du fichier" /> : null}
      </form>
      <div aria-live="polite">
        <ErrorAlert message={error} title="Import refusé" />
        {mismatch ? (
          <Alert severity="warning" title="Ce fichier concerne un autre territoire" className="fr-mb-3w" description={<>
            <span>{mismatch}</span>
            <span className="fr-btns-group fr-btns-group--inline-sm fr-mt-2w" style={{ display: 'flex' }}>
              <Button type="button" onClick={(e) => { void submit(e, true); }}>Importer quand même</Button>
              <Button type="button" priority="secondary" onClick={() => setMismatch(undefined)}>Annuler</Button>
            </span>
          </>} />
        ) : null}
        {deleted ? <Alert severity="success" small description={deleted} className="fr-mb-3w" /> : null}
        {result ? (
          <section aria-labelledby="resultat-titre">
            <h2 id="resultat-titre">Résultat de l’import</h2>
            <Alert severity={result.outcome === 'unchanged' ? 'info' : 'success'} title={OUTCOME[result.outcome]}
              description={`${result.fileName} (${PARSER_LABELS[result.parser] ?? result.parser}) : ${[
                count(result.contributions, 'contribution'), ...(result.meetings ? [count(result.meetings, 'réunion')] : []),
                ...(result.syntheses ? [count(result.syntheses, 'synthèse')] : []), count(result.warnings.length, 'anomalie'),
              ].join(', ')}. ${result.publication ? `Publié en bloc par ${result.publication.by}.` : 'Contributions en attente de modération.'}`} />
            <h3 className="fr-mt-4w">Rapport d’anomalies</h3>
            {result.warnings.length === 0 ? (
              <p>Aucune anomalie relevée.</p>
            ) : (
              <DataTable
                caption={`Anomalies relevées dans ${result.fileName}`}
                headers={['Emplacement', 'Niveau', 'Anomalie']}
                rows={result.warnings.map((w) => [
                  where(w),
                  <Badge small noIcon severity={w.level === 'error' ? 'error' : w.level === 'warning' ? 'warning' : 'info'}>{w.level === 'warning' ? 'avertissement' : w.level === 'error' ? 'erreur' : 'information'}</Badge>,
                  w.message,
                ])}
              />
            )}
          </section>
        ) : null}
      </div>
      <section aria-labelledby="documents-titre" className="fr-mt-6w">
        <h2 id="documents-titre">Documents importés</h2>
        <ErrorAlert message={documents.error} />
        {documents.data && documents.data.items.length === 0 ? <p>Aucun document importé dans cette consultation.</p> : null}
        {documents.data && documents.data.items.length > 0 ? (
          <DataTable
            caption="Documents importés dans la consultation, du plus récent au plus ancien" hideCaption
            headers={['Fichier', 'Importé le', 'Contributions', 'Réunions', 'Publication', 'Action']}
            rows={documents.data.items.map((d) => [
              d.fileName,
              formatDateTime(d.importedAt),
              nf.format(d.contributions),
              nf.format(d.meetings),
              d.publishedBy ? `en bloc par ${d.publishedBy}` : 'modération une à une',
              <Button type="button" size="small" priority="secondary" iconId="fr-icon-delete-line" onClick={() => askDelete(d)}
                title={`Supprimer le document « ${d.fileName} »`}>Supprimer</Button>,
            ])}
          />
        ) : null}
      </section>
      {dialog.element}
    </Page>
  );
}
