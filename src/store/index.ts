export * from './store.ts';
export * from './errors.ts';
export { searchTerms, unaccent } from './search-terms.ts';
