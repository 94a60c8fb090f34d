/**
 * `npm run drill [-- --short] [--only slack,sigterm,restarts,soak,hostile | <drill> …] [--minutes N] [--strict]`: fault and
 * load drills against real hub processes (`node bin/hub.js serve`). Each drill prints what it
 * measured as a table; the run exits 1 when an invariant is broken (README "Reliability").
 */
import { hostile } from './hostile';
import { cleanUpAll, type DrillOptions, type Report } from './lib';
import { restarts } from './restarts';
import { sigterm } from './sigterm';
import { slackOutage } from './slack-outage';
import { soak } from './soak';

const DRILLS: Record<string, (opts: DrillOptions) => Promise<Report>> = {
  slack: slackOutage,
  sigterm,
  restarts,
  soak,
  hostile,
};

function parseArgs(argv: string[]): { opts: DrillOptions; only: string[] } {
  const short = argv.includes('--short');
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const minutes = value('--minutes') !== undefined ? Number(value('--minutes')) : short ? 1 : 5;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes needs a positive number');
  // Drills may also be named as plain arguments: `npm run drill -- hostile`.
  const named = argv.filter((a, i) => !a.startsWith('--') && !['--only', '--minutes'].includes(argv[i - 1]));
  const only =
    value('--only')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? (named.length ? named : Object.keys(DRILLS));
  const unknown = only.filter((name) => !DRILLS[name]);
  if (unknown.length) throw new Error(`unknown drill(s): ${unknown.join(', ')}; known: ${Object.keys(DRILLS).join(', ')}`);
  return { opts: { short, minutes, strict: argv.includes('--strict') }, only };
}

async function main(): Promise<number> {
  const { opts, only } = parseArgs(process.argv.slice(2));
  process.on('uncaughtException', (err) => {
    console.error(`uncaught: ${err.stack ?? err}`);
    void cleanUpAll().finally(() => process.exit(2));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: tearing down`);
      void cleanUpAll().finally(() => process.exit(130));
    });
  }
  const started = Date.now();
  const reports: Report[] = [];
  const crashed: string[] = [];
  for (const name of only) {
    const at = Date.now();
    console.log(`\n== drill ${name}${opts.short ? ' (short)' : ''} ==`);
    try {
      const report = await DRILLS[name](opts);
      report.figure('drill time', `${Math.round((Date.now() - at) / 1000)} s`);
      report.print();
      reports.push(report);
    } catch (err) {
      console.error(`drill ${name} could not finish: ${(err as Error).stack ?? err}`);
      crashed.push(name);
    } finally {
      await cleanUpAll();
    }
  }
  const failed = reports.flatMap((r) => r.failed(opts.strict).map((c) => `${r.drill}: ${c.name} (${c.detail})`));
  const known = reports.flatMap((r) => r.knownBugs.map((c) => `${c.name} (${c.detail}): ${c.known}`));
  console.log(
    `\n${reports.length} drill(s) in ${Math.round((Date.now() - started) / 1000)} s; ${failed.length} broken invariant(s)${crashed.length ? `; did not finish: ${crashed.join(', ')}` : ''}`,
  );
  for (const line of failed) console.log(`  FAILED ${line}`);
  for (const line of known) console.log(`  KNOWN BUG${opts.strict ? ' (fails with --strict)' : ' (reported; --strict fails on it)'}: ${line}`);
  return failed.length || crashed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err: Error) => {
    console.error(err.message);
    await cleanUpAll();
    process.exit(2);
  },
);
