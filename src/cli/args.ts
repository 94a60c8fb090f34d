import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong usage: the CLI prints the one-line reason and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

function strict<O extends Options>(argv: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

/** Parses `argv` strictly; unknown options or stray arguments are a UsageError. */
export function parse<O extends Options>(argv: string[], options: O) {
  return strict(argv, options, false).values;
}

/** As `parse`, for a command that also takes file names. */
export function parseWithFile<O extends Options>(argv: string[], options: O) {
  return strict(argv, options, true);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** A duration like `90d`, `12h`, `30m`, `45s` or `0`, in seconds. */
export function duration(name: string, value: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(value.trim());
  if (!match || (match[1] !== '0' && !match[2])) throw new UsageError(`--${name} takes a duration such as 90d, 12h, 30m, 45s or 0`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value;
}
