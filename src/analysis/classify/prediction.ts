/** What a classifier returns for one text: shared by the trained and the zero-shot classifiers. */
export interface LabelProbability { label: string; p: number }
export interface ExplanationTerm {
  /** the label explained (the most probable one) */
  label: string;
  /** word(s) of the input, as written */
  word: string;
  /** contribution to the label's score (weight × feature value, summed over the word's features) */
  weight: number;
}
export interface Prediction {
  /** every label with its probability, most probable first */
  labels: LabelProbability[];
  explanation: ExplanationTerm[];
  /** zero-shot only: no theme is supported (best score under the threshold, no domain word): « hors sujet » */
  offTopic?: boolean;
}
