import { DomainError } from './errors';

const MAX_ID = 2 ** 31 - 1;

/** An opaque global ID: base64url of `Type:id`. */
export function toGlobalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** Splits a global ID; null when it is not one. */
export function fromGlobalId(globalId: string): { type: string; id: number } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(decoded);
  if (!match || Buffer.from(decoded).toString('base64url') !== globalId) return null;
  const id = Number(match[2]);
  // Keys are 32-bit integers in both databases: anything larger names nothing.
  return id <= MAX_ID ? { type: match[1], id } : null;
}

/** The database id behind a global ID of one of `types`; anything else is NOT_FOUND. */
export function dbId(types: string | readonly string[], globalId: string, what = Array.isArray(types) ? 'Object' : String(types)): number {
  const parsed = fromGlobalId(globalId);
  const allowed = typeof types === 'string' ? [types] : types;
  if (!parsed || !allowed.includes(parsed.type)) {
    throw new DomainError('NOT_FOUND', `${what} ${JSON.stringify(globalId)} does not exist.`);
  }
  return parsed.id;
}
