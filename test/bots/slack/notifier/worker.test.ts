import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../../src/domain/enums';
import { toGlobalId } from '../../../../src/domain/ids';
import { userService } from '../../../../src/domain/user/user.service';
import { AcknowledgeDriftDocument, AddCommentDocument, FlagDriftDocument, SfEventsDocument } from '../../../../src/generated/operations';
import { ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { goalWithModel } from '../../../helpers/fixtures';
import { PEOPLE, startHub, startInstance, type Person, type TestHub } from '../../../helpers/hub';
import { BOT_TOKEN, FAST, FakeSlack, SIGNING_SECRET, postedTs, slackOptions } from '../../../helpers/slack';
import { follow, linkSlackUsers, useSlackHub, type SlackIds } from '../../../helpers/slack-hub';
import { until } from '../../../helpers/wait';

/**
 * A Slack that is slow to answer some calls: a proxy in front of the fake that holds the matching
 * Web API calls for `delayMs` before passing them on (what a Slack latency spike looks like to the hub).
 */
async function slowProxy(fake: FakeSlack, slow: (args: Record<string, string>) => boolean, delayMs: number) {
  let held = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? 'application/x-www-form-urlencoded';
    const args: Record<string, string> = type.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
    if (slow(args)) {
      held += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    const upstream = await fetch(`${fake.url}${(req.url ?? '/').replace(/^\/api\//, '')}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: req.headers.authorization ?? '' },
      body: raw,
    });
    const retryAfter = upstream.headers.get('retry-after');
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    });
    res.end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    held: () => held,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every call (failed ones too, as `method!status`) the hub made to post into a channel, in arrival order. */
const postsTo = (fake: FakeSlack, channel: string) => fake.calls.filter((c) => c.method.startsWith('chat.postMessage') && c.args.channel === channel);
/** The texts Slack accepted in a channel, in order. */
const textsIn = (fake: FakeSlack, channel: string) =>
  fake
    .of('chat.postMessage')
    .filter((c) => c.args.channel === channel)
    .map((c) => String(c.args.text));

/** The Slack members the scientist and the ML engineer act as. */
const SLACK_IDS: SlackIds = { scientist: 'USCI', mlEngineer: 'UMLE' };
const link = (hub: TestHub) => linkSlackUsers(hub, SLACK_IDS);

let seq = 0;

/** A goal, a model and its version 1; one channel follows the model, another the goal (so both get every event of the model). */
async function scene(hub: TestHub, fake: FakeSlack, tag: string) {
  const n = ++seq;
  const slack = { events: hub.url.replace(/graphql$/, 'slack/events'), fake };
  const {
    goal,
    model,
    versions: [version],
  } = await goalWithModel(hub, { title: `Delivery goal ${n}`, businessQuestion: 'Does it pay?', model: `dl-model-${n}` });
  const channels = [`C${tag}M${n}`, `C${tag}G${n}`];
  await follow(slack, 'USCI', channels[0], model.name);
  await follow(slack, 'USCI', channels[1], goal.id);
  const before = new Set(await eventIds(hub, model.id));
  /** The summaries of the model's events since the channels started following it, oldest first. */
  const newSummaries = async () => (await modelEvents(hub, model.id)).filter((e) => !before.has(e.id)).map((e) => e.summary);
  return { goal, model, version, channels, newSummaries };
}

async function modelEvents(hub: TestHub, modelId: string) {
  return [...ok(await hub.as('admin', SfEventsDocument, { filter: { modelId }, first: 100 })).events.nodes].reverse();
}
async function eventIds(hub: TestHub, modelId: string) {
  return (await modelEvents(hub, modelId)).map((e) => e.id);
}

/** A comment by the model's owner: they get no direct message of their own comment, so only the channels get messages. */
async function comment(hub: TestHub, subjectId: string, body: string): Promise<void> {
  ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId, body } }));
}

async function deliveries(
  hub: TestHub,
  channels: string[],
): Promise<{ id: number; channel_id: string; status: string; attempts: number; last_error: string | null }[]> {
  return hub.db.knex('slack_deliveries').whereIn('channel_id', channels).orderBy('id').select('id', 'channel_id', 'status', 'attempts', 'last_error');
}

/**
 * The channels' outbox rows once none is pending: the fake sees a message a moment before the hub
 * records it as sent.
 */
async function settled(hub: TestHub, channels: string[]) {
  return until(
    async () => {
      const rows = await deliveries(hub, channels);
      return rows.every((r) => r.status !== 'PENDING') && rows;
    },
    `no pending Slack deliveries in ${channels.join(', ')}`,
  );
}

/** Each channel got exactly the events' summaries, once each, in the order the events happened. */
function expectInOrder(fake: FakeSlack, channel: string, summaries: string[]): void {
  const texts = textsIn(fake, channel);
  expect(texts.length, `${channel} got ${JSON.stringify(texts)}`).toBe(summaries.length);
  texts.forEach((text, i) => expect(text.endsWith(summaries[i]), `message ${i} in ${channel}: ${text} vs ${summaries[i]}`).toBe(true));
}

forEachDialect((dialect) => {
  describe('outbox under faults', () => {
    const slack = useSlackHub(dialect, SLACK_IDS);

    it('delivers through a 429 and 5xx outage later, each message once, in order per channel, not before Retry-After', async () => {
      const { hub, fake } = slack;
      const { model, channels, newSummaries } = await scene(hub, fake, 'OUT');
      fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
      fake.fail('chat.postMessage', { status: 503 });
      fake.fail('chat.postMessage', { status: 500 });
      const bodies = ['outage one', 'outage two', 'outage three', 'outage four'];
      for (const body of bodies) await comment(hub, model.id, body);
      for (const channel of channels) {
        await fake.waitFor(
          (c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('outage four'),
          20_000,
        );
      }
      const summaries = await newSummaries();
      expect(summaries).toHaveLength(bodies.length);
      for (const channel of channels) expectInOrder(fake, channel, summaries);
      expect(
        fake.calls
          .map((c) => c.method)
          .filter((m) => m.includes('!'))
          .sort(),
      ).toEqual(['chat.postMessage!429', 'chat.postMessage!500', 'chat.postMessage!503']);

      // Retry-After is honoured in the channel that got the 429: nothing goes there before it has passed.
      for (const channel of channels) {
        const calls = postsTo(fake, channel);
        calls.forEach((call, i) => {
          if (call.method !== 'chat.postMessage!429') return;
          const next = calls[i + 1];
          expect(next, `a call after the 429 in ${channel}`).toBeDefined();
          expect(next.at - call.at).toBeGreaterThanOrEqual(995);
          const nextOk = calls.slice(i + 1).find((c) => c.method === 'chat.postMessage')!;
          expect(nextOk.at - call.at).toBeGreaterThanOrEqual(995);
        });
      }
      const rows = await settled(hub, channels);
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'SENT'));
      expect(rows).toHaveLength(bodies.length * channels.length);
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(rows.length + 3);
    });

    it('holds only the channel that was rate limited; another channel goes on', async () => {
      const { hub, fake } = slack;
      const a = await scene(hub, fake, 'HLA');
      const b = await scene(hub, fake, 'HLB');
      const seen = fake.calls.length;
      fake.fail('chat.postMessage', { status: 429, retryAfter: 2 });
      await comment(hub, a.model.id, 'held back by a 429');
      const limited = await until(() => fake.calls.slice(seen).find((c) => c.method === 'chat.postMessage!429'), 'the 429');
      expect(a.channels).toContain(limited.args.channel);
      await comment(hub, b.model.id, 'not held back');
      const other = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === b.channels[0] && String(c.args.text).includes('not held back'),
      );
      const held = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === limited.args.channel && String(c.args.text).includes('held back by a 429'),
      );
      expect(other.at - limited.at).toBeLessThan(2000);
      expect(held.at - limited.at).toBeGreaterThanOrEqual(1995);
      expect(other.at).toBeLessThan(held.at);
    });

    it('gives up a message Slack refuses for good and still sends the next one in that channel', async () => {
      const { hub, fake } = slack;
      const { model, channels } = await scene(hub, fake, 'GONE');
      await comment(hub, model.id, 'warm-up');
      for (const channel of channels)
        await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('warm-up'));
      fake.fail('chat.postMessage', { error: 'channel_not_found' });
      await comment(hub, model.id, 'refused for good');
      await comment(hub, model.id, 'the next one');
      await comment(hub, model.id, 'and another');
      for (const channel of channels)
        await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('and another'));
      // The message was tried once in one channel, refused, and given up; the other channel got it.
      const rows = await settled(hub, channels);
      const failed = rows.filter((r) => r.status === 'FAILED');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ attempts: 1 });
      expect(failed[0].last_error).toContain('channel_not_found');
      expect(rows.filter((r) => r.status === 'SENT')).toHaveLength(rows.length - 1);
      const gone = failed[0].channel_id;
      // The fake records a refused call like a successful one: one call per channel, none retried.
      expect(
        fake
          .of('chat.postMessage')
          .filter((c) => String(c.args.text).includes('refused for good'))
          .map((c) => c.args.channel)
          .sort(),
      ).toEqual([...channels].sort());
      for (const channel of channels) {
        const texts = textsIn(fake, channel);
        expect(texts.map((t) => t.replace(/^.*commented: /, ''))).toEqual(['warm-up', 'refused for good', 'the next one', 'and another']);
      }
      expect(channels).toContain(gone);
    });
    it('only delays a message on a transient refusal (ok:false ratelimited / service_unavailable) and does not drop it', async () => {
      const { hub, fake } = slack;
      // Slack documents these chat.postMessage errors as temporary ("The service is temporarily
      // unavailable", "The request has been ratelimited"): unlike channel_not_found, they are no reason to give up.
      const { model, channels, newSummaries } = await scene(hub, fake, 'TMP');
      fake.fail('chat.postMessage', { error: 'service_unavailable' });
      fake.fail('chat.postMessage', { error: 'ratelimited' });
      await comment(hub, model.id, 'transient one');
      await comment(hub, model.id, 'transient two');
      const rows = await settled(hub, channels);
      const summaries = await newSummaries();
      expect(
        rows.map((r) => r.status),
        JSON.stringify(rows),
      ).toEqual(rows.map(() => 'SENT'));
      for (const channel of channels) {
        // The refused attempt is recorded by the fake like a successful call; what matters is that each message got through.
        const texts = textsIn(fake, channel);
        for (const summary of summaries) expect(texts.filter((t) => t.endsWith(summary)).length).toBeGreaterThanOrEqual(1);
      }
    });
  });

  describe('pacing', () => {
    // The default minIntervalMs (1000): at most one message per channel per second.
    const slack = useSlackHub(dialect, SLACK_IDS, { notifier: { pollMs: 20 } });

    it('sends about one message per second to a channel, while two channels go on side by side', async () => {
      const { hub, fake } = slack;
      const { model, channels, newSummaries } = await scene(hub, fake, 'PACE');
      const bodies = ['paced one', 'paced two', 'paced three'];
      for (const body of bodies) await comment(hub, model.id, body);
      const lasts = await Promise.all(
        channels.map((channel) =>
          fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('paced three'), 15_000),
        ),
      );
      expect(lasts).toHaveLength(2);
      const summaries = await newSummaries();
      const times = channels.map((channel) => {
        expectInOrder(fake, channel, summaries);
        return postsTo(fake, channel).map((c) => c.at);
      });
      for (const at of times) {
        for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1], `gap ${i}`).toBeGreaterThanOrEqual(950);
      }
      // Independent: the i-th message of each channel goes out at about the same time, not one channel after the other.
      for (let i = 0; i < bodies.length; i++) expect(Math.abs(times[0][i] - times[1][i])).toBeLessThan(500);
      expect(Math.max(...times.flat()) - Math.min(...times.flat())).toBeLessThan(3500);
    });
  });

  describe('a slow channel', () => {
    let hub: TestHub;
    let fake: FakeSlack;
    let proxy: Awaited<ReturnType<typeof slowProxy>>;

    beforeAll(async () => {
      fake = await new FakeSlack().start();
      proxy = await slowProxy(fake, (args) => String(args.text ?? '').includes('slow answer'), 3000);
      hub = await startHub(dialect, { slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: proxy.url, notifier: FAST } });
      await link(hub);
    });
    afterAll(async () => {
      await hub?.close();
      await proxy?.stop();
      await fake?.stop();
    });

    it('does not hold the other channels while Slack is slow to answer for one', async () => {
      const a = await scene(hub, fake, 'SLA');
      const b = await scene(hub, fake, 'SLB');
      await comment(hub, a.model.id, 'a slow answer');
      await until(() => proxy.held() > 0, 'the slow call to reach Slack');
      const queued = Date.now();
      await comment(hub, b.model.id, 'a quick answer');
      const quick = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === b.channels[0] && String(c.args.text).includes('a quick answer'),
      );
      const slow = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === a.channels[0] && String(c.args.text).includes('a slow answer'),
      );
      expect(quick.at, 'the quick channel waited for the slow one').toBeLessThan(slow.at);
      expect(quick.at - queued).toBeLessThan(1500);
    });
  });

  describe('restart', () => {
    /** Who owns the database across both instances: a PostgreSQL test hub, or a SQLite file. */
    async function databaseOwner(): Promise<{ owner: TestHub | null; target: TestHub['target']; cleanup(): Promise<void> }> {
      if (dialect === 'postgresql') {
        const owner = await startHub('postgresql');
        return { owner, target: owner.target, cleanup: () => owner.close() };
      }
      const path = join(tmpdir(), `hub-slack-restart-${randomBytes(6).toString('hex')}.db`);
      return {
        owner: null,
        target: { dialect: 'sqlite', path },
        cleanup: async () => {
          for (const suffix of ['', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
        },
      };
    }

    async function createUsers(hub: TestHub): Promise<void> {
      const operator = hub.domain.operator();
      for (const [key, roles] of Object.entries(PEOPLE) as [Person, readonly Role[]][]) {
        const { user, token } = await userService.create(operator, { name: `Test ${key}`, email: `${key}@test.example`, roles: [...roles] });
        hub.users[key] = { id: toGlobalId('User', user.id), dbId: user.id, token, name: user.name };
      }
    }

    it('delivers every message still pending when the hub stopped, once, after a restart on the same database', async () => {
      const { owner, target, cleanup } = await databaseOwner();
      const down = await new FakeSlack().start();
      const up = await new FakeSlack().start();
      let first: TestHub | undefined;
      let second: TestHub | undefined;
      try {
        first = await startInstance(owner ?? ({ target, users: {} } as unknown as TestHub), slackOptions(down));
        if (!owner) await createUsers(first);
        await link(first);
        const { model, version, channels, newSummaries } = await scene(first, down, 'RST');

        down.fail('*', { status: 503 }, 1_000_000);
        await comment(first, model.id, 'pending one');
        const flag = ok(
          await first.as('scientist', FlagDriftDocument, {
            input: { modelVersionId: version.id, kind: 'CONCEPT', severity: 'MEDIUM', description: 'seasonality changed' },
          }),
        ).flagDrift.driftFlag;
        await comment(first, flag.id, 'pending on the flag');
        ok(await first.as('mlEngineer', AcknowledgeDriftDocument, { input: { driftFlagId: flag.id, comment: 'on it' } }));
        await comment(first, model.id, 'pending two');
        const summaries = await newSummaries();
        expect(summaries).toHaveLength(5);
        await until(() => down.calls.some((c) => c.method === 'chat.postMessage!503'), 'a failed attempt before the restart');
        const stopped = first;
        first = undefined;
        await stopped.close();
        expect(down.of('chat.postMessage')).toEqual([]);

        // Same database, same users; Slack is healthy again.
        second = await startInstance(stopped, slackOptions(up));
        for (const channel of channels) {
          await up.waitFor(
            (c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('pending two'),
            15_000,
          );
        }
        for (const channel of channels) {
          expectInOrder(up, channel, summaries);
          // The flag's first message is its thread's root, and later messages about the flag go into that thread.
          const posts = up.of('chat.postMessage').filter((c) => c.args.channel === channel);
          const rootTs = postedTs(up, posts[1]);
          expect(posts.map((c) => c.args.thread_ts)).toEqual([undefined, undefined, rootTs, rootTs, undefined]);
        }
        const rows = await settled(second, channels);
        expect(rows).toHaveLength(summaries.length * channels.length);
        expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'SENT'));
      } finally {
        await first?.close();
        await second?.close();
        await down.stop();
        await up.stop();
        await cleanup();
      }
    });
  });
});
