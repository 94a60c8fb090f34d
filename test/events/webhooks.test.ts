/**
 * Signed webhooks through a running hub: a receiver that checks every signature, fails on purpose,
 * hangs, or answers too much; a restart in the middle of a delivery; and the refusals an attacker
 * would try (private targets, non-admins, a name that starts pointing inside).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../../src/config';
import {
  AddCommentDocument,
  CreateGoalDocument,
  CreateWebhookDocument,
  DeleteWebhookDocument,
  RedeliverWebhookDeliveryDocument,
  UpdateWebhookDocument,
  WhNodeDocument,
  WhWebhooksDocument,
} from '../../src/generated/operations';
import { Role } from '../../src/domain/enums';
import { toGlobalId } from '../../src/domain/ids';
import { userService } from '../../src/domain/user/user.service';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, startInstance, type HubOptions, type TestHub } from '../helpers/hub';
import { ROOT } from '../helpers/schema';
import { until } from '../helpers/wait';
import { WebhookReceiver } from '../helpers/webhook-receiver';

/** Fast retries, private targets allowed (the receiver is on 127.0.0.1). */
const FAST: HubOptions = { webhooks: { allowPrivate: true, minBackoffMs: 20, pollMs: 20, timeoutMs: 2_000 } };

async function createWebhook(hub: TestHub, receiver: WebhookReceiver, eventTypes: string[] = ['GOAL_CREATED']) {
  const { createWebhook: created } = ok(
    await hub.as('admin', CreateWebhookDocument, { input: { url: receiver.url, eventTypes: eventTypes as never } }),
  );
  receiver.secret = created.secret;
  return created.webhook;
}

const createGoal = async (hub: TestHub, title: string) =>
  ok(await hub.as('sme', CreateGoalDocument, { input: { title, businessQuestion: 'Is it heard?' } })).createGoal.goal;

async function deliveriesOf(hub: TestHub, webhookId: string) {
  // Every webhook (up to 100) with its 40 newest deliveries fits the default cost budget.
  const { webhooks } = ok(await hub.as('admin', WhWebhooksDocument, { first: 40 }));
  return webhooks.find((w) => w.id === webhookId)?.deliveries ?? null;
}

forEachDialect((dialect) => {
  let hub: TestHub;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    hub = await startHub(dialect, FAST);
  });
  afterAll(() => hub?.close());
  afterEach(async () => {
    for (const webhook of ok(await hub.as('admin', WhWebhooksDocument, { first: 0 })).webhooks) {
      ok(await hub.as('admin', DeleteWebhookDocument, { input: { webhookId: webhook.id } }));
    }
    await receiver?.stop();
  });

  it('delivers a signed event, retrying through two failures, and logs every attempt', async () => {
    receiver = await new WebhookReceiver().start();
    receiver.reply = (_req, n) => (n <= 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'thanks' });
    const webhook = await createWebhook(hub, receiver);
    expect(webhook).toMatchObject({
      url: receiver.url,
      eventTypes: ['GOAL_CREATED'],
      active: true,
      model: null,
      createdBy: { id: hub.users.admin.id },
    });
    const goal = await createGoal(hub, 'Heard by webhooks');

    const attempts = await receiver.waitFor(3);
    expect(attempts.map((a) => a.verified)).toEqual([true, true, true]);
    for (const { headers, event } of attempts) {
      expect(headers['x-hub-event']).toBe('GOAL_CREATED');
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-hub-delivery']).toBe(attempts[0].headers['x-hub-delivery']);
      expect(event).toMatchObject({
        type: 'GOAL_CREATED',
        subjectId: goal.id,
        goalId: goal.id,
        actorId: hub.users.sme.id,
        data: { title: 'Heard by webhooks' },
      });
    }
    const log = await until(async () => {
      const deliveries = await deliveriesOf(hub, webhook.id);
      return deliveries?.nodes[0]?.status === 'DELIVERED' && deliveries;
    }, 'the delivery to be DELIVERED');
    expect(log.totalCount).toBe(1);
    expect(log.nodes[0]).toMatchObject({
      guid: attempts[0].headers['x-hub-delivery'],
      attempts: 3,
      responseStatus: 200,
      responseBody: 'thanks',
      lastError: null,
      event: { type: 'GOAL_CREATED' },
    });
    expect(log.nodes[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(log.nodes[0].deliveredAt).not.toBeNull();
  });

  it("passes the README's signature checks, in Node and in Python, and fails them when tampered with", async () => {
    receiver = await new WebhookReceiver().start();
    await createWebhook(hub, receiver);
    await createGoal(hub, 'Checked by the README');
    const [{ headers, body }] = await receiver.waitFor(1);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Webhooks'));
    const js = /```js\n([\s\S]*?)```/.exec(section)![1];
    const python = /```python\n([\s\S]*?)```/.exec(section)![1];
    const nodeVerify = new Function('require', `${js}; return verify;`)(require) as (secret: string, headers: object, body: string) => boolean;
    const pythonVerify = (secret: string, rawBody: string) => {
      const canonical = { 'X-Hub-Timestamp': headers['x-hub-timestamp'], 'X-Hub-Signature-256': headers['x-hub-signature-256'] };
      const script = `${python}\nimport json, sys\nd = json.load(sys.stdin)\nprint(verify(d["secret"], d["headers"], d["body"].encode()))\n`;
      return (
        execFileSync('python3', ['-c', script], { input: JSON.stringify({ secret, headers: canonical, body: rawBody }) })
          .toString()
          .trim() === 'True'
      );
    };
    expect(nodeVerify(receiver.secret, headers, body)).toBe(true);
    expect(pythonVerify(receiver.secret, body)).toBe(true);
    const tampered = body.replace('Checked by the README', 'Checked by someone else');
    expect(nodeVerify(receiver.secret, headers, tampered)).toBe(false);
    expect(pythonVerify(receiver.secret, tampered)).toBe(false);
    expect(nodeVerify('another secret', headers, body)).toBe(false);
  });

  it('delivers to each endpoint in the order of the events, a failure holding back the ones after it', async () => {
    receiver = await new WebhookReceiver().start();
    receiver.reply = (_req, n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 204 });
    await createWebhook(hub, receiver);
    for (const title of ['first', 'second', 'third']) await createGoal(hub, `In order: ${title}`);
    const got = await receiver.waitFor(5);
    expect(got.map((r) => r.event.data)).toEqual(
      ['first', 'first', 'first', 'second', 'third'].map((t) => expect.objectContaining({ title: `In order: ${t}` })),
    );
    expect(new Set(got.map((r) => r.headers['x-hub-delivery'])).size).toBe(3);
  });

  it('keeps at most 1,000 characters of an answer, however much the receiver sends', async () => {
    receiver = await new WebhookReceiver().start();
    receiver.reply = () => ({ status: 200, body: 'x'.repeat(1_000_000) });
    const webhook = await createWebhook(hub, receiver);
    await createGoal(hub, 'A chatty receiver');
    const log = await until(async () => {
      const deliveries = await deliveriesOf(hub, webhook.id);
      return deliveries?.nodes[0]?.status === 'DELIVERED' && deliveries;
    }, 'the delivery');
    expect(log.nodes[0].responseBody!.length).toBeLessThanOrEqual(1_000);
  });

  it('sends only the types and the model asked for, nothing while paused, and resumes the queue in order', async () => {
    receiver = await new WebhookReceiver().start();
    const webhook = await createWebhook(hub, receiver, ['COMMENT_ADDED']);
    const goal = await createGoal(hub, 'Filtered');
    ok(await hub.as('admin', UpdateWebhookDocument, { input: { webhookId: webhook.id, active: false } }));
    ok(await hub.as('sme', AddCommentDocument, { input: { subjectId: goal.id, body: 'while paused' } }));
    expect(receiver.received).toEqual([]);
    ok(await hub.as('admin', UpdateWebhookDocument, { input: { webhookId: webhook.id, active: true } }));
    ok(await hub.as('sme', AddCommentDocument, { input: { subjectId: goal.id, body: 'after' } }));
    const got = await receiver.waitFor(2);
    expect(got.map((r) => [r.event.type, (r.event.data as { body?: string }).body])).toEqual([
      ['COMMENT_ADDED', 'while paused'],
      ['COMMENT_ADDED', 'after'],
    ]);
  });

  it('redelivers a delivery as a new one with its own id', async () => {
    receiver = await new WebhookReceiver().start();
    receiver.reply = (_req, n) => (n === 1 ? { status: 410 } : { status: 204 });
    const webhook = await createWebhook(hub, receiver);
    await createGoal(hub, 'Gone, then back');
    const failed = await until(async () => {
      const deliveries = await deliveriesOf(hub, webhook.id);
      return deliveries?.nodes[0]?.status === 'FAILED' && deliveries.nodes[0];
    }, 'a 410 to fail the delivery at once');
    expect(failed).toMatchObject({ attempts: 1, responseStatus: 410, lastError: 'HTTP 410' });
    const { delivery } = ok(await hub.as('admin', RedeliverWebhookDeliveryDocument, { input: { deliveryId: failed.id } })).redeliverWebhookDelivery;
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 0, event: failed.event });
    const [, again] = await receiver.waitFor(2);
    expect(again.headers['x-hub-delivery']).toBe(delivery.guid);
    expect(again.headers['x-hub-delivery']).not.toBe(failed.guid);
    expect(again.verified).toBe(true);
  });

  it('stops delivering to a deleted webhook at once, its queue with it', async () => {
    receiver = await new WebhookReceiver().start();
    receiver.reply = () => ({ status: 503 });
    const doomed = await createWebhook(hub, receiver);
    const witness = await new WebhookReceiver().start();
    try {
      await createGoal(hub, 'Never delivered');
      await receiver.waitFor(1);
      ok(await hub.as('admin', DeleteWebhookDocument, { input: { webhookId: doomed.id } }));
      const seen = receiver.received.length;
      // A healthy webhook created after the deletion gets a later event: the sender has moved on by then.
      await createWebhook(hub, witness);
      await createGoal(hub, 'Seen by the witness');
      await witness.waitFor(1);
      await until(() => witness.received.length >= 1, 'the witness');
      expect(receiver.received.length - seen).toBeLessThanOrEqual(1);
      expect(await deliveriesOf(hub, doomed.id)).toBeNull();
    } finally {
      await witness.stop();
    }
  });
});

describe('webhook refusals (private targets not allowed)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub('sqlite', { webhooks: { pollMs: 20, minBackoffMs: 20 } });
  });
  afterAll(() => hub?.close());

  it.each([
    ['a loopback address', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['a private network', 'https://10.1.2.3/hook'],
    ['the unspecified address', 'http://0.0.0.0/hook'],
    ['a decimal IPv4 literal for loopback', 'http://2130706433/hook'],
    ['an ftp URL', 'ftp://192.0.2.1/hook'],
    ['a file URL', 'file:///etc/passwd'],
    ['credentials in the URL', 'https://user:pass@192.0.2.1/hook'],
    ['no URL at all', 'not a url'],
    ['a name that does not resolve', 'https://nothing.invalid/hook'],
  ])('refuses %s with BAD_USER_INPUT and keeps nothing', async (_what, url) => {
    const result = await hub.as('admin', CreateWebhookDocument, { input: { url } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(ok(await hub.as('admin', WhWebhooksDocument, { first: 0 })).webhooks).toEqual([]);
  });

  it('hides webhooks and their deliveries from everyone but ADMINs', async () => {
    const { webhook } = ok(
      await hub.as('admin', CreateWebhookDocument, { input: { url: 'https://192.0.2.1/hook', eventTypes: ['GOAL_CREATED'] } }),
    ).createWebhook;
    expect(ok(await hub.as('admin', WhNodeDocument, { id: webhook.id })).node).toMatchObject({ url: 'https://192.0.2.1/hook' });
    for (const who of ['sme', 'scientist', 'mlEngineer', 'risk'] as const) {
      expect(errorCode(await hub.as(who, WhWebhooksDocument, { first: 1 }))).toBe('FORBIDDEN');
      expect(ok(await hub.as(who, WhNodeDocument, { id: webhook.id })).node).toBeNull();
    }
    ok(await hub.as('admin', DeleteWebhookDocument, { input: { webhookId: webhook.id } }));
  });

  it('fails a delivery whose host has come to point at a private address, without sending it', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const { webhook } = ok(
        await hub.as('admin', CreateWebhookDocument, { input: { url: 'https://192.0.2.1/hook', eventTypes: ['GOAL_CREATED'] } }),
      ).createWebhook;
      // What DNS rebinding does to a name: the same webhook now leads to the hub's own network.
      await hub.db.knex('webhooks').update({ url: receiver.url });
      await createGoal(hub, 'Rebound');
      const delivery = await until(async () => {
        const deliveries = await deliveriesOf(hub, webhook.id);
        return deliveries?.nodes[0]?.status === 'FAILED' && deliveries.nodes[0];
      }, 'the delivery to fail');
      expect(delivery.lastError).toMatch(/127\.0\.0\.1.*private, loopback or reserved/);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });
});

describe('a restart in the middle of a delivery', () => {
  it.each(['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgresql'] : [])] as const)(
    '%s: delivers after the restart, once in the log, nothing lost',
    async (dialect) => {
      const owner = dialect === 'postgresql' ? await startHub('postgresql') : null;
      // The owner only holds the database: the instances under test do the sending.
      await owner?.server.webhooks.stop();
      const path = join(tmpdir(), `hub-webhook-restart-${randomBytes(6).toString('hex')}.db`);
      const target: DatabaseTarget = owner?.target ?? { dialect: 'sqlite', path };
      const receiver = await new WebhookReceiver().start();
      let first: TestHub | undefined;
      let second: TestHub | undefined;
      try {
        first = await startInstance(owner ?? ({ target, users: {} } as unknown as TestHub), FAST);
        if (!owner) {
          for (const [key, role] of [
            ['admin', Role.ADMIN],
            ['sme', Role.SME],
          ] as const) {
            const { user, token } = await userService.create(first.domain.operator(), { name: key, email: `${key}@restart.example`, roles: [role] });
            first.users[key] = { id: toGlobalId('User', user.id), dbId: user.id, token, name: key };
          }
        }
        receiver.reply = (_req, n) => (n === 1 ? 'hang' : { status: 204 });
        const webhook = await createWebhook(first, receiver);
        await createGoal(first, 'Before the restart, 1');
        await receiver.waitFor(1);
        await createGoal(first, 'Before the restart, 2');
        const stopped = first;
        first = undefined;
        await stopped.close();

        second = await startInstance(stopped, FAST);
        const got = await receiver.waitFor(3);
        expect(got.map((r) => (r.event.data as { title: string }).title)).toEqual([
          'Before the restart, 1',
          'Before the restart, 1',
          'Before the restart, 2',
        ]);
        expect(got.every((r) => r.verified)).toBe(true);
        const log = await until(async () => {
          const deliveries = await deliveriesOf(second!, webhook.id);
          return deliveries?.nodes.every((d) => d.status === 'DELIVERED') && deliveries;
        }, 'both deliveries to be DELIVERED');
        expect(log.totalCount).toBe(2);
        expect(log.nodes.map((d) => d.attempts)).toEqual([1, 2]);
        expect(log.nodes[1].guid).toBe(got[0].headers['x-hub-delivery']);
      } finally {
        await second?.close();
        await first?.close();
        await owner?.close();
        await receiver.stop();
        for (const suffix of ['', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
      }
    },
    60_000,
  );
});
