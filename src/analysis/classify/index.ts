/** Multi-label text classification: trained (TF-IDF + one-vs-rest logistic regression), zero-shot, kinds, JSONL. */
export {
  TextClassifier, CLASSIFIER_VERSION, examplesSha256,
  type LabelledText, type ClassifierOptions, type Calibration, type LabelProbability, type ExplanationTerm, type Prediction,
  type ClassifierMetadata, type ClassifierJSON,
} from './classifier.ts';
export { ZeroShotClassifier, type ZeroShotOptions, type ZeroShotJSON } from './zeroshot.ts';
export { kindCues, CUE_PREFIX } from './cues.ts';
export { trainKindClassifier, predictKind } from './kind.ts';
export { trainOneVsRest, fitPlatt, applyPlatt, mulberry32, type LinearModel, type LinearTrainOptions, type Platt } from './linear.ts';
export {
  runClassify, parseInputJsonl, parseTrainingJsonl, toOutputRow, JsonlError,
  type RunClassifyOptions, type RunClassifySummary, type InputRow, type TrainingRow, type OutputRow,
} from './jsonl.ts';
