import { afterAll, beforeAll, expect } from 'vitest';
import type { Dialect } from '../../src/db/orm';
import { UpdateUserDocument } from '../../src/generated/operations';
import { ok } from './client';
import { startHub, type Person, type TestHub } from './hub';
import { FakeSlack, slackOptions, slashCommand, type NotifierSettings } from './slack';

// Kept apart from ./slack, which the drills and the benchmark import outside Vitest: this module
// starts a hub in-process (and ./hub brings Vitest in through ./db).

/** The Slack member each of these test users acts as. */
export type SlackIds = Partial<Record<Person, string>>;

/** Links each test user to its Slack member, as admin. */
export async function linkSlackUsers(hub: TestHub, slackIds: SlackIds): Promise<void> {
  for (const [who, slackId] of Object.entries(slackIds) as [Person, string][]) {
    ok(await hub.as('admin', UpdateUserDocument, { input: { userId: hub.users[who].id, slackUserId: slackId } }));
  }
}

export interface SlackHub {
  hub: TestHub;
  fake: FakeSlack;
  /** The hub's Slack endpoint (slash commands, interactions, Events API). */
  events: string;
  /** Closes the hub, then stops the fake. */
  close(): Promise<void>;
}

export interface SlackHubOptions {
  /** The notifier's settings: FAST unless given. */
  notifier?: NotifierSettings;
  /** Readies the fake before the hub starts, e.g. queues faults for the hub's first Web API calls. */
  prepare?: (fake: FakeSlack) => void;
}

/**
 * A hub on a fresh database whose Slack app talks to a new fake Slack (with a FAST notifier unless
 * `options` say otherwise), and whose test users in `slackIds` are linked to their Slack members.
 * Whatever it started is stopped again when it fails.
 */
export async function startSlackHub(dialect: Dialect, slackIds: SlackIds, options: SlackHubOptions = {}): Promise<SlackHub> {
  const fake = await new FakeSlack().start();
  let hub: TestHub | undefined;
  try {
    options.prepare?.(fake);
    hub = await startHub(dialect, slackOptions(fake, options.notifier));
    await linkSlackUsers(hub, slackIds);
  } catch (err) {
    await hub?.close();
    await fake.stop();
    throw err;
  }
  const started = hub;
  return {
    hub: started,
    fake,
    events: started.url.replace(/graphql$/, 'slack/events'),
    async close() {
      await started.close();
      await fake.stop();
    },
  };
}

/**
 * A Slack hub (startSlackHub) started before the tests of the enclosing suite and stopped after
 * them. Read its fields from within the tests: they are there once the suite's beforeAll has run.
 */
export function useSlackHub(dialect: Dialect, slackIds: SlackIds, options: SlackHubOptions = {}): Readonly<Omit<SlackHub, 'close'>> {
  let started: SlackHub | undefined;
  beforeAll(async () => {
    started = await startSlackHub(dialect, slackIds, options);
  });
  afterAll(() => started?.close());
  const current = (): SlackHub => {
    if (!started) throw new Error('the Slack hub has not started: read it from within a test or hook of its suite');
    return started;
  };
  return {
    get hub() {
      return current().hub;
    },
    get fake() {
      return current().fake;
    },
    get events() {
      return current().events;
    },
  };
}

/** `/mlops follow <reference>` typed by Slack member `user` in `channel`: the channel follows a model (by name) or a goal (by ID). */
export async function follow(slack: Pick<SlackHub, 'events' | 'fake'>, user: string, channel: string, reference: string): Promise<void> {
  const res = await slashCommand(slack.events, slack.fake, user, `follow ${reference}`, channel);
  expect(res.status, res.text).toBe(200);
  expect(res.json?.text).toContain('now gets');
}
