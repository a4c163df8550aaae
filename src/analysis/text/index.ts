/** French text core: normalisation, tokens, stems, stopwords, terms, sparse vectors and TF-IDF. */
export { normalizeText, foldAccents, stem, stemKey } from '../../text/french.ts';
export { tokenize, tokenSpans, isAcronym, ELISIONS, type TokenSpan } from './tokenize.ts';
export { FRENCH_STOPWORDS, isStopword } from './stopwords.ts';
export { analyze, terms, charNgrams, CHAR_NGRAM_PREFIX, type AnalyzerOptions, type Analysis } from './terms.ts';
export {
  type SparseVector, EMPTY_VECTOR, sparseVector, countIds, dot, norm, cosine, l2normalize, addScaledToDense, dotDense,
  SparseAccumulator, sparseSum, centroid, topEntries, sparseToJSON, sparseFromJSON,
} from './sparse.ts';
export { Vocabulary, TfidfVectorizer, type TfidfOptions, type TfidfJSON } from './tfidf.ts';
