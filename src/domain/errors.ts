/**
 * A failure the user can act on (unknown consultation, invalid field, conflicting import…). The code, not the
 * French message, decides how each face reports it: HTTP maps it to a status (src/server/errors.ts), the CLI to
 * an exit code (src/cli/main.ts).
 */
export const USER_ERROR_CODES = [
  'invalid', // the input is wrong (400 / exit 1)
  'not_found', // the thing named does not exist or is not visible to the actor (404)
  'conflict', // the state forbids it now: already exists, already imported, stale data (409)
  'forbidden', // the actor may not do this (403)
  'too_large', // the input exceeds a limit (413)
  'too_complex', // the input is readable but too costly to process (422)
  'unavailable', // try again later: busy, a job is running (503)
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export class UserError extends Error {
  constructor(readonly code: UserErrorCode, message: string, readonly field?: string) {
    super(message);
    this.name = 'UserError';
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
