import { logTo } from '../../src/logger';

/** The hub's log lines, as written, while a test reads them (at debug level). */
export interface CapturedLog {
  /** Everything written so far. */
  text(): string;
  /** Every line, parsed. */
  records(): Record<string, unknown>[];
  /** Forgets what was written so far. */
  clear(): void;
  restore(): void;
}

/** Captures what every hub in this process logs until `restore()`. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const { restore } = logTo({ write: (line: string) => void lines.push(line) });
  return {
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => void lines.splice(0),
    restore,
  };
}
