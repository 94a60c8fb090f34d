import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './schema';

/** A CLI run is a fresh Node process that loads the sources through tsx: about a second or two each. */
const RUN_TIMEOUT = 30_000;

export interface Run {
  code: number | null;
  stdout: string;
  /** With stack frames defused (see `shown`). */
  stderr: string;
}

/** Runs `node bin/hub.js ...args` to completion (killed after RUN_TIMEOUT) and collects its output. */
export function hub(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hub.js'), ...args], {
      cwd,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub ${args.join(' ')} did not exit within ${RUN_TIMEOUT} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, RUN_TIMEOUT);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: shown(stderr) });
    });
  });
}

/**
 * A child's output for an assertion message. Stack frames ("    at f (file:1:2)") are defused:
 * Vitest would otherwise take them for frames of the assertion and try to source-map them.
 */
export function shown(text: string): string {
  return text.replace(/^(\s+)at /gm, '$1@ ');
}

/** The lines a run wrote to a stream, without the trailing newline. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
}

/** Wrong usage: exit 2, nothing on stdout, one line on stderr that starts with "hub:". */
export function expectUsageError(run: Run, mentions?: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(/^hub: \S/);
  if (mentions) expect(run.stderr).toMatch(mentions);
}

/** A refusal: exit 1, nothing on stdout, one line on stderr. */
export function expectRefusal(run: Run, mentions: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(/^hub: \S/);
  expect(run.stderr).toMatch(mentions);
}
