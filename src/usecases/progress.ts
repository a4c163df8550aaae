/**
 * Progress of long use cases (analysis, synthesis generation, large imports). The CLI prints it as a bar, a job
 * stores it in its row so the web app can show it. `step` is a short stable code (e.g. `classify`), `label` its
 * French wording.
 */
export interface ProgressEvent {
  step: string;
  label: string;
  done: number;
  total: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

export const ignoreProgress: ProgressReporter = () => {};
