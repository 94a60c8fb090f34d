import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCommentDocument,
  CoInboxDocument,
  CoNotificationsLiveDocument,
  CoUserInboxDocument,
  CoUserUnreadDocument,
  CreateGoalDocument,
  FlagDriftDocument,
  MarkNotificationsReadDocument,
  type CoNotificationFragment,
  type CoNotificationsLiveSubscription,
} from '../../src/generated/operations';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { worldMaker } from '../helpers/fixtures';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { within } from '../helpers/wait';

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const world = worldMaker(
    () => hub,
    (n) => ({
      title: `Inbox ${n}`,
      businessQuestion: 'Who hears of it?',
      model: `inbox-model-${n}`,
      secondVersionBy: 'scientist',
    }),
  );

  const inbox = async (who: Person, unreadOnly?: boolean, first = 100) => ok(await hub.as(who, CoInboxDocument, { unreadOnly, first })).viewer;
  const mention = async (who: Person, subjectId: string, handle: string) =>
    ok(await hub.as(who, AddCommentDocument, { input: { subjectId, body: `@${handle} have a look` } })).addComment.comment;

  describe('viewer.notifications', () => {
    it('lists newest first, counts the unread, and filters to unread', async () => {
      const { goal } = await world();
      const before = (await inbox('dataEngineer')).unreadNotificationCount;
      const first = await mention('scientist', goal.id, 'dataengineer');
      const second = await mention('risk', goal.id, 'dataengineer');
      const mine = await inbox('dataEngineer', true);
      expect(mine.unreadNotificationCount).toBe(before + 2);
      expect(mine.notifications.nodes.slice(0, 2).map((n) => n.event.subject.id)).toEqual([second.id, first.id]);
      expect(mine.notifications.nodes[0]).toMatchObject({
        reason: 'MENTIONED',
        read: false,
        event: { type: 'COMMENT_ADDED', actor: { id: hub.users.risk.id } },
      });
    });

    it('tells the owner of a model when someone flags drift on it', async () => {
      const { v1 } = await world();
      const flag = ok(
        await hub.as('sme', FlagDriftDocument, { input: { modelVersionId: v1.id, kind: 'DATA', severity: 'HIGH', description: 'Inputs moved' } }),
      ).flagDrift.driftFlag;
      expect((await inbox('scientist', true)).notifications.nodes.find((n) => n.event.subject.id === flag.id)?.reason).toBe('FOLLOWED_ACTIVITY');
    });

    it("is only the viewer's own: another user's notifications and unread count are FORBIDDEN", async () => {
      expect(errorCode(await hub.as('sme', CoUserInboxDocument, { id: hub.users.sme2.id }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('admin', CoUserUnreadDocument, { id: hub.users.sme2.id }))).toBe('FORBIDDEN');
      expect(ok(await hub.as('sme2', CoUserInboxDocument, { id: hub.users.sme2.id })).node).toMatchObject({ handle: 'sme2' });
    });
  });

  describe('markNotificationsRead', () => {
    it('marks the ones named, or all, and answers the unread count left', async () => {
      const { goal } = await world();
      await mention('scientist', goal.id, 'mlengineer');
      await mention('risk', goal.id, 'mlengineer');
      const [newest] = (await inbox('mlEngineer', true)).notifications.nodes;
      const left = (await inbox('mlEngineer')).unreadNotificationCount - 1;
      expect(
        ok(await hub.as('mlEngineer', MarkNotificationsReadDocument, { input: { notificationIds: [newest.id] } })).markNotificationsRead
          .unreadNotificationCount,
      ).toBe(left);
      expect((await inbox('mlEngineer')).notifications.nodes.find((n) => n.id === newest.id)?.read).toBe(true);
      expect(ok(await hub.as('mlEngineer', MarkNotificationsReadDocument, { input: {} })).markNotificationsRead.unreadNotificationCount).toBe(0);
      expect((await inbox('mlEngineer', true)).notifications.totalCount).toBe(0);
    });

    it("refuses someone else's notification with NOT_FOUND and marks none of the list", async () => {
      const { goal } = await world();
      await mention('scientist', goal.id, 'sme2');
      await mention('scientist', goal.id, 'risk');
      const [theirs] = (await inbox('sme2', true)).notifications.nodes;
      const [mine] = (await inbox('risk', true)).notifications.nodes;
      expect(errorCode(await hub.as('risk', MarkNotificationsReadDocument, { input: { notificationIds: [mine.id, theirs.id] } }))).toBe('NOT_FOUND');
      expect((await inbox('risk', true)).notifications.nodes.map((n) => n.id)).toContain(mine.id);
      expect((await inbox('sme2', true)).notifications.nodes.map((n) => n.id)).toContain(theirs.id);
    });

    it('refuses more than 100 IDs with BAD_USER_INPUT', async () => {
      const [one] = (await inbox('sme2')).notifications.nodes;
      const result = await hub.as('sme2', MarkNotificationsReadDocument, {
        input: { notificationIds: Array.from({ length: 101 }, (_, i) => (i ? `${one.id}${i}` : one.id)) },
      });
      expect(errorCode(result)).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
      expect((await inbox('sme2')).notifications.nodes.find((n) => n.id === one.id)?.read).toBe(false);
    });
  });

  describe('the notifications subscription', () => {
    it("delivers the viewer's own notifications as they are created, and no one else's", async () => {
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Live inbox', businessQuestion: 'Does it ring?' } })).createGoal.goal;
      const client = createClient({
        url: hub.server.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${hub.users.sme2.token}` },
        retryAttempts: 0,
      });
      const received: CoNotificationFragment[] = [];
      let arrived: () => void = () => undefined;
      const stop = client.subscribe<CoNotificationsLiveSubscription>(
        { query: print(CoNotificationsLiveDocument) },
        {
          next: (result) => {
            if (result.data) received.push(result.data.notifications);
            arrived();
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      try {
        // The subscription listens once a mention made after it arrives; earlier attempts may be missed.
        for (let attempt = 0; !received.length; attempt++) {
          const next = new Promise<void>((resolve) => (arrived = resolve));
          await mention('risk', goal.id, 'sme');
          await mention('scientist', goal.id, 'sme2');
          await within(next, 1_000, 'a live notification').catch((err: Error) => {
            if (attempt === 4) throw err;
          });
        }
        expect(received[0]).toMatchObject({
          reason: 'MENTIONED',
          read: false,
          event: { type: 'COMMENT_ADDED', actor: { id: hub.users.scientist.id } },
        });
        expect(received.every((n) => n.event.actor?.id === hub.users.scientist.id)).toBe(true);
      } finally {
        stop();
        await client.dispose();
      }
    });
  });
});
