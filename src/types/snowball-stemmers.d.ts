// The package ships no type declarations (CommonJS).
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export interface SnowballFactory {
    newStemmer(algorithm: string): Stemmer;
    algorithms(): string[];
  }
}
