/** A storage failure the user can act on (unknown consultation, conflicting import…); message in French. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
