import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace, so that equal content always gives
 * the same text whichever database (jsonb reorders keys) or code path produced it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, (v as Record<string, unknown>)[k]]),
    );
  });
}

/** The sha256 (hex) of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
