// Minimal typings for the untyped `snowball-stemmers` package (CommonJS).
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export interface SnowballFactory {
    newStemmer(algorithm: string): Stemmer;
    algorithms(): string[];
  }
}
