/** The error codes the API hands to clients in `extensions.code`. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/** A refusal the client caused; its message is safe to show. Everything else is masked. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, when there is one (e.g. `input.email`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unauthenticated = (message = 'A valid token is required: send "Authorization: Bearer <token>".') =>
  new DomainError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const badInput = (message: string, field?: string) => new DomainError('BAD_USER_INPUT', message, field);
export const notFound = (what: string, id: string) => new DomainError('NOT_FOUND', `${what} ${id} does not exist.`);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
