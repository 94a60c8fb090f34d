import { badInput } from './errors';

/** Limits the API promises (README "Validation"). */
export const LIMITS = {
  name: 200,
  body: 10_000,
  uri: 2_000,
  short: 50,
  slackId: 64,
  metricKey: 200,
  metrics: 1_000,
  params: 100_000,
  tags: 100,
  tagValue: 5_000,
  kpiValues: 10_000,
};

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * Text the databases can store: no NUL character (PostgreSQL refuses it in text and JSON, SQLite
 * cuts strings at it) and no lone UTF-16 surrogate (not Unicode; PostgreSQL's jsonb refuses it).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the databases can store (and so compare against) this text. */
export function isStorable(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** A `@mention`: `@` and a handle, not inside a word or an email address. */
export const MENTION = /(?<![\w@.])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/gi;

/** The handle an email address suggests: its local part, lower case, other characters as `-`. */
export function handleOf(address: string): string {
  const local = address
    .slice(0, address.lastIndexOf('@'))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 48);
  return local.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'user';
}

function storable(field: string, text: string): string {
  if (UNSTORABLE.test(text)) throw badInput(`${field} contains a character that cannot be stored (NUL or a lone surrogate).`, field);
  return text;
}

/** A required text: trimmed, not empty, at most `max` characters. */
export function requiredText(field: string, value: string, max: number): string {
  const text = storable(field, value).trim();
  if (!text) throw badInput(`${field} must not be empty.`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters (got ${text.length}).`, field);
  return text;
}

/** An optional text: `undefined` stays undefined (leave as is), empty or null becomes null. */
export function optionalText(field: string, value: string | null | undefined, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const text = storable(field, value).trim();
  if (!text) return null;
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters (got ${text.length}).`, field);
  return text;
}

export function email(field: string, value: string): string {
  const text = requiredText(field, value, 320).toLowerCase();
  if (!EMAIL.test(text)) throw badInput(`${field} is not a valid email address.`, field);
  return text;
}

export function finite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput(`${field} must be a finite number.`, field);
  return value;
}

export function optionalFinite(field: string, value: number | null | undefined): number | null | undefined {
  return value === undefined || value === null ? value : finite(field, value);
}

/** The deepest a JSON input may nest (objects and arrays). */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests deeper than `max`, found without recursion (a deep value must not overflow the stack). */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export function jsonObject(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badInput(`${field} must be a JSON object.`, field);
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw badInput(`${field} must nest at most ${MAX_JSON_DEPTH} levels deep.`, field);
  const json = JSON.stringify(value);
  if (json.length > LIMITS.params) {
    throw badInput(`${field} must be at most ${LIMITS.params} characters as JSON.`, field);
  }
  // Every key and string value, however deep, must be storable too.
  JSON.parse(json, (key: string, v: unknown) => {
    storable(field, key);
    return typeof v === 'string' ? storable(field, v) : v;
  });
  return value as Record<string, unknown>;
}

/** How far in the future an observation's time may be: clocks disagree a little, never by more. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A valid date-time no later than now plus `MAX_CLOCK_SKEW_MS`: when something was observed. */
export function pastDate(field: string, value: Date): Date {
  validDate(field, value);
  if (value.getTime() > Date.now() + MAX_CLOCK_SKEW_MS)
    throw badInput(`${field} must not be in the future (more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead).`, field);
  return value;
}

export function validDate(field: string, value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} must be a valid date-time.`, field);
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) throw badInput(`${field} must be between the years 1 and 9999.`, field);
  return value;
}

export interface MetricInput {
  key: string;
  value: number;
}

/** Validates metrics; a key given twice keeps its last value, in first-seen order. */
export function metrics(field: string, values: readonly MetricInput[]): MetricInput[] {
  if (values.length > LIMITS.metrics) throw badInput(`${field} takes at most ${LIMITS.metrics} metrics.`, field);
  const byKey = new Map<string, number>();
  values.forEach((m, i) => {
    byKey.set(requiredText(`${field}[${i}].key`, m.key, LIMITS.metricKey), finite(`${field}[${i}].value`, m.value));
  });
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** A key and value attached to a run or a version (MLflow's tags). */
export interface Tag {
  key: string;
  value: string;
}

/** Validates tags; a key given twice keeps its last value, in first-seen order. */
export function tags(field: string, values: readonly Tag[]): Tag[] {
  if (values.length > LIMITS.tags) throw badInput(`${field} takes at most ${LIMITS.tags} tags.`, field);
  const byKey = new Map<string, string>();
  values.forEach((t, i) => {
    const value = storable(`${field}[${i}].value`, t.value);
    if (value.length > LIMITS.tagValue)
      throw badInput(`${field}[${i}].value must be at most ${LIMITS.tagValue} characters (got ${value.length}).`, `${field}[${i}].value`);
    byKey.set(requiredText(`${field}[${i}].key`, t.key, LIMITS.metricKey), value);
  });
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** Merges new metric values into existing ones: existing keys keep their place, new keys follow. */
export function mergeMetrics(existing: readonly MetricInput[], updates: readonly MetricInput[]): MetricInput[] {
  const byKey = new Map(existing.map((m) => [m.key, m.value]));
  for (const m of updates) byKey.set(m.key, m.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/**
 * Applies the fields of `updates` (undefined = leave as is) that differ from `entity`'s, and
 * returns them as `{ field: { from, to } }`: what an update event records.
 */
export function applyChanges<T extends object>(
  entity: T,
  updates: Partial<Record<keyof T, unknown>>,
): Record<string, { from: unknown; to: unknown }> {
  const result: Record<string, { from: unknown; to: unknown }> = {};
  const target = entity as Record<string, unknown>;
  for (const [key, to] of Object.entries(updates)) {
    const from = target[key] ?? null;
    if (to === undefined || JSON.stringify(from) === JSON.stringify(to)) continue;
    result[key] = { from, to };
    target[key] = to;
  }
  return result;
}

/** The `[before, after]` pairs that differ, as an update event records them. */
export function changesOf(pairs: Record<string, [unknown, unknown]>): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(
    Object.entries(pairs)
      .filter(([, [from, to]]) => JSON.stringify(from) !== JSON.stringify(to))
      .map(([key, [from, to]]) => [key, { from, to }]),
  );
}

export function oneOf<T extends string>(field: string, value: T, allowed: Record<string, T>): T {
  if (!Object.values(allowed).includes(value)) throw badInput(`${field} has an unknown value "${value}".`, field);
  return value;
}
