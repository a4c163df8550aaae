/** A job (analysis, synthesis, import of a large file) followed while it runs: polled every second, shown as a status and a progress bar. */
import { ApiError, get } from '../api.ts';
import type { JobView } from '../types.ts';

export type { JobView };

const STATE_LABEL: Record<JobView['state'], string> = { queued: 'En attente', running: 'En cours', done: 'Terminée', failed: 'Échec' };
const STATE_BADGE: Record<JobView['state'], string> = { queued: 'fr-badge--info', running: 'fr-badge--new', done: 'fr-badge--success', failed: 'fr-badge--error' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the job until it is done (returns it) or failed (throws its error); `onUpdate` gets every state seen. */
export async function followJob(job: JobView, onUpdate: (j: JobView) => void, everyMs = 1000): Promise<JobView> {
  let current = job;
  onUpdate(current);
  while (current.state === 'queued' || current.state === 'running') {
    await sleep(everyMs);
    current = await get<JobView>(`/admin/jobs/${encodeURIComponent(job.id)}`);
    onUpdate(current);
  }
  if (current.state === 'failed') {
    // an import to confirm answers like the direct import's 409 (field « force »)
    const e = current.error;
    throw new ApiError(e?.code === 'conflict' ? 409 : 500, e?.code ?? 'job_failed', e?.message ?? 'La tâche a échoué.', [], e?.field);
  }
  return current;
}

export function JobProgress({ job, title }: { job: JobView; title: string }) {
  const { done, total, label } = job.progress;
  const percent = total > 0 ? Math.round((100 * Math.min(done, total)) / total) : 0;
  return (
    <div className="job-progress fr-mt-2w" role="status" aria-live="polite">
      <p className="fr-mb-1w">
        {title} : <span className={`fr-badge fr-badge--sm ${STATE_BADGE[job.state]}`}>{STATE_LABEL[job.state]}</span>
        {label && job.state === 'running' ? <span className="fr-text--sm fr-ml-1w">{label}</span> : null}
      </p>
      {job.state === 'queued' || job.state === 'running' ? (
        <progress className="job-progress__bar" max={100} value={job.state === 'queued' ? undefined : percent} aria-label={`${title} : ${percent} %`}>
          {percent} %
        </progress>
      ) : null}
    </div>
  );
}
