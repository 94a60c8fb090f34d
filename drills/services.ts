/**
 * A PostgreSQL cluster and a Redis server of the drill's own, on their own ports and in a temporary
 * directory: the drill stops and starts them, never the machine's shared ones (5432, 6379).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onCleanup } from './lib';

const run = promisify(execFile);

/** The first port from `preferred` on that nothing listens on. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${preferred}`);
}

function pgBin(): string {
  for (const version of ['15', '16', '17', '14']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
}

/** Runs a command as the postgres user when we are root (initdb refuses root). */
async function asPostgres(cmd: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const { stdout } = asRoot ? await run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : await run(cmd, args);
  return stdout;
}

export interface PgCluster {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** initdb in a temporary directory, started on a free port from 55432, with a database `hub`. */
export async function startPostgres(): Promise<PgCluster> {
  const bin = pgBin();
  const port = await freePort(55432);
  const base = mkdtempSync(join(tmpdir(), 'hub-drill-pg-'));
  const data = join(base, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(base, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const ctl = (args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100`;
  const start = async () => {
    await ctl(['-o', options, '-l', join(base, 'log'), '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await ctl(['-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  onCleanup(async () => {
    await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  });
  await start();
  await run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'hub']).catch(async () => {
    await asPostgres(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'hub']);
  });
  return { port, url: `postgres://postgres@127.0.0.1:${port}/hub`, stop, start };
}

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server on a free port from 56379, no persistence, daemonised. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort(56379);
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-redis-'));
  const start = async () => {
    await run('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      dir,
      '--pidfile',
      join(dir, 'redis.pid'),
      '--logfile',
      join(dir, 'redis.log'),
    ]);
    for (let i = 0; i < 100; i++) {
      if (await answers()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on ${port} did not answer`);
  };
  const answers = () =>
    run('redis-cli', ['-p', String(port), 'ping']).then(
      (r) => r.stdout.includes('PONG'),
      () => false,
    );
  const stop = async () => {
    await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    for (let i = 0; i < 100; i++) {
      if (!(await answers())) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on ${port} did not stop`);
  };
  onCleanup(async () => {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}
