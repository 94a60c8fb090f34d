import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type LogFn, type Logger } from 'pino';
import type { LogLevel } from './config';

/**
 * Secrets as they appear in text: hub tokens, Slack tokens, Slack signatures, bearer credentials and
 * passwords in URLs. Every log line is scrubbed of them, messages and errors included, because an
 * error message from a library may quote what it was given.
 */
const SECRET_TEXT: [RegExp, string][] = [
  [/\bmh_[A-Za-z0-9_-]+/g, 'mh_[redacted]'],
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\bv0=[0-9a-f]{16,}/g, 'v0=[redacted]'],
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, '$1 [redacted]'],
  [/(\/\/[^/:@\s]+):[^/@\s]+@/g, '$1:[redacted]@'],
];

/** Replaces every secret-looking part of a text. */
export function scrub(text: string): string {
  return SECRET_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** Field names whose values are never written, wherever they sit in a logged object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'x-slack-signature',
  'connectionParams',
];

/** Errors are left to the `err` serializer, which scrubs their message and stack. */
function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.includes(key) ? '[redacted]' : scrubValue(v, depth + 1);
  return out;
}

function serializeError(err: unknown): unknown {
  return scrubValue(pino.stdSerializers.err(err as Error));
}

const stderr = pino.destination({ fd: 2, sync: true });
/** Where lines go: stderr, or what a test reads (`logTo`); every child logger follows a change. */
let destination: DestinationStream = stderr;

/** The hub's logger: JSON lines on stderr (pipe them through `npx pino-pretty` to read them), `LOG_LEVEL`. */
const root: Logger = pino(
  {
    level: process.env.LOG_LEVEL || 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (object) => scrubValue(object) as Record<string, unknown> },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as Parameters<LogFn>);
      },
    },
  },
  { write: (line: string) => destination.write(line) },
);

/** What one request logs under: its child logger (with its id) and fields for its access line. */
export interface RequestScope {
  log: Logger;
  access: Record<string, unknown>;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `request`'s logger as `log`, for everything it calls (resolvers, services, errors). */
export function inRequest<T>(request: RequestScope, fn: () => T): T {
  return scope.run(request, fn);
}

/** Adds fields to the access line of the request under way (none outside a request). */
export function annotateRequest(fields: Record<string, unknown>): void {
  const current = scope.getStore();
  if (current) Object.assign(current.access, fields);
}

/** The logger every module writes to: inside a request, the request's child logger. */
export function rootLogger(): Logger {
  return root;
}

/** Sets the lowest level written. */
export function setLogLevel(level: LogLevel): void {
  root.level = level;
}

/** Sends the hub's log to `to` at `level` (tests read it) until `restore`. */
export function logTo(to: DestinationStream, level: LogLevel = 'debug'): { restore(): void } {
  const previous = { destination, level: root.level };
  destination = to;
  root.level = level;
  return {
    restore: () => {
      destination = previous.destination;
      root.level = previous.level;
    },
  };
}

const current = (): Logger => scope.getStore()?.log ?? root;

function method(level: 'debug' | 'info' | 'warn' | 'error'): LogFn {
  return ((...args: Parameters<LogFn>) => current()[level](...args)) as LogFn;
}

export const log = { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
