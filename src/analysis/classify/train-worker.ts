/**
 * Worker thread body: trains a theme classifier from examples sent page by page, then answers with the model
 * serialised (JSON text), so neither the fitting nor the serialisation runs on the server's event loop.
 *   in:  { type: 'examples', items: LabelledText[] } …, then { type: 'train', themes: Theme[], seed?: number }
 *   out: { type: 'trained', version, metadata, modelJson, examples } | { type: 'skipped', examples, labels }
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Theme } from '../../domain/theme.ts';
import { CLASSIFIER_VERSION, TextClassifier, type LabelledText } from './classifier.ts';

/** Fewer labelled examples than this (or a single label) and a trained model is not worth it (as in the analysis). */
export const MIN_TRAINING = 20;

export type TrainRequest = { type: 'examples'; items: LabelledText[] } | { type: 'train'; themes: Theme[]; seed?: number };
export type TrainReply =
  | { type: 'trained'; version: string; metadata: TextClassifier['metadata']; modelJson: string; examples: number }
  | { type: 'skipped'; examples: number; labels: number };

/** The version a theme model is stored under: the classifier version and the identity of its training data. */
export function themeModelVersion(model: TextClassifier): string {
  return `${CLASSIFIER_VERSION}+${model.metadata.trainingSha256.slice(0, 12)}`;
}

export function trainThemes(examples: LabelledText[], themes: Theme[], seed?: number): TrainReply {
  const labels = new Set(examples.flatMap((e) => e.labels)).size;
  if (examples.length < MIN_TRAINING || labels < 2) return { type: 'skipped', examples: examples.length, labels };
  const model = TextClassifier.train(examples, { themes, ...(seed !== undefined ? { seed } : {}) });
  return { type: 'trained', version: themeModelVersion(model), metadata: model.metadata, modelJson: JSON.stringify(model.toJSON()), examples: examples.length };
}

// only when this module is the worker's entry (see src/workers/start.ts), not when imported elsewhere
if (parentPort && (workerData as { entry?: string } | null)?.entry === import.meta.url) {
  const port = parentPort;
  const examples: LabelledText[] = [];
  port.on('message', (m: TrainRequest) => {
    if (m.type === 'examples') { for (const e of m.items) examples.push(e); return; }
    port.postMessage(trainThemes(examples, m.themes, m.seed));
  });
}
