import { UserError, type UserErrorCode } from '../domain/errors.ts';

/**
 * A storage failure the user can act on (unknown consultation, conflicting import…); message in French. Each
 * throw site names its code, which decides the HTTP status and the CLI exit code (never the message).
 */
export class StoreError extends UserError {
  constructor(code: UserErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'StoreError';
  }
}
