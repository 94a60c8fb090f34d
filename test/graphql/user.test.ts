import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGoalDocument,
  CreateUserDocument,
  RlUserDocument,
  RlUsersPageDocument,
  RlViewerDocument,
  UpdateUserDocument,
  type CreateUserInput,
  type Role,
} from '../../src/generated/operations';
import { errorCode, ok, post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

let seq = 0;
/** A create-user input with a fresh email. */
const newUser = (over: Partial<CreateUserInput> = {}): CreateUserInput => {
  seq++;
  return { name: `Person ${seq}`, email: `person${seq}@users.example`, roles: ['DATA_SCIENTIST'], ...over };
};

forEachDialect((dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const userCount = async () => ok(await hub.as('admin', RlUsersPageDocument, { first: 0 })).users.totalCount;
  const create = async (input: CreateUserInput) => ok(await hub.as('admin', CreateUserDocument, { input })).createUser;
  const userById = async (id: string) => ok(await hub.as('admin', RlUserDocument, { id })).node;

  describe('createUser', () => {
    it('lets an ADMIN create a user whose token works at once', async () => {
      const input = newUser({ name: 'Rita Risk', roles: ['RISK_MANAGER', 'SME'] });
      const { user, token } = await create(input);
      expect(user).toMatchObject({ name: 'Rita Risk', email: input.email, slackUserId: null });
      expect([...user.roles].sort()).toEqual(['RISK_MANAGER', 'SME']);
      expect(typeof token).toBe('string');
      expect(token.length).toBeGreaterThanOrEqual(32);

      const { viewer } = ok(await hub.as({ token }, RlViewerDocument, {}));
      expect(viewer).toMatchObject({ id: user.id, name: 'Rita Risk', email: input.email });
      expect([...viewer.roles].sort()).toEqual(['RISK_MANAGER', 'SME']);
    });

    it('gives every new user a different token', async () => {
      const a = await create(newUser());
      const b = await create(newUser());
      expect(a.token).not.toBe(b.token);
      expect(ok(await hub.as({ token: a.token }, RlViewerDocument, {})).viewer.id).toBe(a.user.id);
      expect(ok(await hub.as({ token: b.token }, RlViewerDocument, {})).viewer.id).toBe(b.user.id);
    });

    it.each(['sme', 'scientist', 'dataEngineer', 'mlEngineer', 'risk'] as Person[])('refuses %s with FORBIDDEN and creates no one', async (who) => {
      const before = await userCount();
      const input = newUser({ roles: ['ADMIN'] });
      expect(errorCode(await hub.as(who, CreateUserDocument, { input }))).toBe('FORBIDDEN');
      expect(await userCount()).toBe(before);
      // The email is still free: nothing was written.
      expect((await create(input)).user.email).toBe(input.email);
    });

    it.each([
      ['the same email', (e: string) => e],
      ['the email in upper case', (e: string) => e.toUpperCase()],
      ['the email in mixed case', (e: string) => e.replace(/^./, (c) => c.toUpperCase()).replace('users', 'USERS')],
    ])('refuses %s as a second user with CONFLICT', async (_what, vary) => {
      const first = newUser();
      await create(first);
      const before = await userCount();
      expect(errorCode(await hub.as('admin', CreateUserDocument, { input: newUser({ email: vary(first.email) }) }))).toBe('CONFLICT');
      expect(await userCount()).toBe(before);
    });

    it('refuses the email of an existing user written differently, with CONFLICT', async () => {
      expect(errorCode(await hub.as('admin', CreateUserDocument, { input: newUser({ email: 'SME@Test.Example' }) }))).toBe('CONFLICT');
    });

    it.each(['not-an-email', 'a@b', '@example.com', 'someone@', 'two words@example.com', 'a@@example.com', '', '   '])(
      'refuses the email %j with BAD_USER_INPUT',
      async (bad) => {
        const before = await userCount();
        const result = await hub.as('admin', CreateUserDocument, { input: newUser({ email: bad }) });
        expect(errorCode(result)).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0].extensions?.field).toMatch(/email/);
        expect(await userCount()).toBe(before);
      },
    );

    it('refuses empty roles with BAD_USER_INPUT', async () => {
      const before = await userCount();
      const result = await hub.as('admin', CreateUserDocument, { input: newUser({ roles: [] }) });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.field).toMatch(/roles/);
      expect(await userCount()).toBe(before);
    });

    it('refuses an unknown role with BAD_USER_INPUT', async () => {
      const result = await hub.as('admin', CreateUserDocument, { input: newUser({ roles: ['WIZARD' as Role] }) });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    });

    it('refuses an empty name with BAD_USER_INPUT', async () => {
      expect(errorCode(await hub.as('admin', CreateUserDocument, { input: newUser({ name: '  ' }) }))).toBe('BAD_USER_INPUT');
    });

    it('stores the Slack member ID and refuses the same one for a second user with CONFLICT', async () => {
      const { user } = await create(newUser({ slackUserId: 'U0SLACK01' }));
      expect(user.slackUserId).toBe('U0SLACK01');
      expect(await userById(user.id)).toMatchObject({ slackUserId: 'U0SLACK01' });

      const before = await userCount();
      const second = newUser({ slackUserId: 'U0SLACK01' });
      expect(errorCode(await hub.as('admin', CreateUserDocument, { input: second }))).toBe('CONFLICT');
      expect(await userCount()).toBe(before);
      // Without the taken Slack ID the same person can be created: the refusal left nothing behind.
      expect((await create({ ...second, slackUserId: null })).user.email).toBe(second.email);
    });

    it.each(['not-a-slack-id', 'u123', 'U 123'])('refuses the Slack ID %j with BAD_USER_INPUT', async (bad) => {
      const before = await userCount();
      expect(errorCode(await hub.as('admin', CreateUserDocument, { input: newUser({ slackUserId: bad }) }))).toBe('BAD_USER_INPUT');
      expect(await userCount()).toBe(before);
    });

    it('lets several users have no Slack ID', async () => {
      const a = await create(newUser());
      const b = await create(newUser({ slackUserId: null }));
      expect([a.user.slackUserId, b.user.slackUserId]).toEqual([null, null]);
    });
  });

  describe('updateUser', () => {
    it('renames a user and leaves the rest as it is', async () => {
      const { user } = await create(newUser({ roles: ['SME'], slackUserId: 'U0RENAME1' }));
      const { updateUser } = ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, name: 'New Name' } }));
      expect(updateUser.user).toMatchObject({ id: user.id, name: 'New Name', email: user.email, roles: ['SME'], slackUserId: 'U0RENAME1' });
      expect(await userById(user.id)).toMatchObject({ name: 'New Name', roles: ['SME'], slackUserId: 'U0RENAME1' });
    });

    it('replaces all roles', async () => {
      const { user } = await create(newUser({ roles: ['SME', 'RISK_MANAGER'] }));
      const { updateUser } = ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, roles: ['ML_ENGINEER'] } }));
      expect(updateUser.user.roles).toEqual(['ML_ENGINEER']);
      expect(await userById(user.id)).toMatchObject({ roles: ['ML_ENGINEER'] });
    });

    it('refuses empty roles with BAD_USER_INPUT and keeps the old ones', async () => {
      const { user } = await create(newUser({ roles: ['SME'] }));
      expect(errorCode(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, roles: [] } }))).toBe('BAD_USER_INPUT');
      expect(await userById(user.id)).toMatchObject({ roles: ['SME'] });
    });

    it('links a Slack ID, keeps it when slackUserId is left out, and unlinks it with null', async () => {
      const { user } = await create(newUser());
      const linked = ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, slackUserId: 'U0LINK001' } })).updateUser.user;
      expect(linked.slackUserId).toBe('U0LINK001');

      ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, name: 'Still linked' } }));
      expect(await userById(user.id)).toMatchObject({ name: 'Still linked', slackUserId: 'U0LINK001' });

      const unlinked = ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, slackUserId: null } })).updateUser.user;
      expect(unlinked.slackUserId).toBeNull();
      expect(await userById(user.id)).toMatchObject({ slackUserId: null });

      // Once unlinked, the Slack ID is free for someone else.
      const other = await create(newUser({ slackUserId: 'U0LINK001' }));
      expect(other.user.slackUserId).toBe('U0LINK001');
    });

    it('unlinks a Slack ID with an empty string too', async () => {
      const { user } = await create(newUser({ slackUserId: 'U0EMPTY01' }));
      const { updateUser } = ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, slackUserId: '' } }));
      expect(updateUser.user.slackUserId).toBeNull();
    });

    it('refuses a Slack ID that another user holds with CONFLICT and changes nothing', async () => {
      await create(newUser({ slackUserId: 'U0TAKEN01' }));
      const { user } = await create(newUser({ slackUserId: 'U0MINE001' }));
      const result = await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, name: 'Should not stick', slackUserId: 'U0TAKEN01' } });
      expect(errorCode(result)).toBe('CONFLICT');
      expect(await userById(user.id)).toMatchObject({ name: user.name, slackUserId: 'U0MINE001' });
    });

    it('answers NOT_FOUND for an unknown user, and for the ID of something that is not a user', async () => {
      expect(errorCode(await hub.as('admin', UpdateUserDocument, { input: { userId: unknownId('User'), name: 'Nobody' } }))).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('admin', UpdateUserDocument, { input: { userId: 'garbage', name: 'Nobody' } }))).toBe('NOT_FOUND');
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'A goal', businessQuestion: 'q' } })).createGoal.goal;
      expect(errorCode(await hub.as('admin', UpdateUserDocument, { input: { userId: goal.id, name: 'Nobody' } }))).toBe('NOT_FOUND');
    });

    it.each(['sme', 'scientist', 'dataEngineer', 'mlEngineer', 'risk'] as Person[])(
      'refuses %s with FORBIDDEN, even on their own account, and changes nothing',
      async (who) => {
        const me = hub.users[who];
        const result = await hub.as(who, UpdateUserDocument, { input: { userId: me.id, name: 'Promoted', roles: ['ADMIN'] } });
        expect(errorCode(result)).toBe('FORBIDDEN');
        const after = await userById(me.id);
        expect(after).toMatchObject({ name: me.name });
        expect(after && 'roles' in after ? after.roles : null).not.toContain('ADMIN');
      },
    );

    it("makes new roles count from the user's next request", async () => {
      const { user, token } = await create(newUser({ roles: ['RISK_MANAGER'] }));
      const goal = { title: 'Faster approvals', businessQuestion: 'Which loans can be approved automatically?' };
      expect(errorCode(await hub.as({ token }, CreateGoalDocument, { input: goal }))).toBe('FORBIDDEN');

      ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, roles: ['RISK_MANAGER', 'SME'] } }));
      const created = ok(await hub.as({ token }, CreateGoalDocument, { input: goal })).createGoal.goal;
      expect(created.owner.id).toBe(user.id);
      expect([...ok(await hub.as({ token }, RlViewerDocument, {})).viewer.roles].sort()).toEqual(['RISK_MANAGER', 'SME']);

      ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, roles: ['RISK_MANAGER'] } }));
      expect(errorCode(await hub.as({ token }, CreateGoalDocument, { input: goal }))).toBe('FORBIDDEN');
    });

    it('makes a user an ADMIN who can then create users', async () => {
      const { user, token } = await create(newUser({ roles: ['DATA_ENGINEER'] }));
      expect(errorCode(await hub.as({ token }, CreateUserDocument, { input: newUser() }))).toBe('FORBIDDEN');
      ok(await hub.as('admin', UpdateUserDocument, { input: { userId: user.id, roles: ['ADMIN'] } }));
      expect((await hub.as({ token }, CreateUserDocument, { input: newUser() })).errors).toBeUndefined();
    });
  });

  describe('users', () => {
    it('lists everyone, newest first, with a matching totalCount', async () => {
      const created = [await create(newUser()), await create(newUser())];
      const all: { id: string; email: string }[] = [];
      let after: string | null | undefined;
      let total = -1;
      for (let guard = 0; guard < 20; guard++) {
        const users = ok(await hub.as('risk', RlUsersPageDocument, { first: 10, after })).users;
        total = users.totalCount;
        all.push(...users.nodes);
        if (!users.pageInfo.hasNextPage) break;
        after = users.pageInfo.endCursor;
      }
      expect(all).toHaveLength(total);
      expect(new Set(all.map((u) => u.id)).size).toBe(total);
      const listed = all.map((u) => u.id);
      for (const person of Object.values(hub.users)) expect(listed).toContain(person.id);
      expect(listed.slice(0, 2)).toEqual([created[1].user.id, created[0].user.id]);
    });

    it('is readable by every role', async () => {
      for (const who of ['sme', 'scientist', 'dataEngineer', 'mlEngineer', 'risk', 'admin'] as Person[]) {
        expect(ok(await hub.as(who, RlUsersPageDocument, { first: 1 })).users.totalCount).toBeGreaterThanOrEqual(7);
      }
    });
  });

  describe('tokens', () => {
    it('are never readable afterwards: no field but the payloads of createUser, createServiceAccount and createWebhook exposes one', async () => {
      const { data } = await post<{ __schema: { types: { name: string; fields: { name: string }[] | null }[] } }>(
        hub.url,
        { query: '{ __schema { types { name fields { name } } } }' },
        hub.users.admin.token,
      );
      const tokenFields = data!.__schema.types
        .filter((t) => !t.name.startsWith('__'))
        .flatMap((t) => (t.fields ?? []).filter((f) => /token|secret|hash/i.test(f.name)).map((f) => `${t.name}.${f.name}`));
      expect(tokenFields.sort()).toEqual(['CreateServiceAccountPayload.token', 'CreateUserPayload.token', 'CreateWebhookPayload.secret']);
    });

    it('cannot be asked for on a user', async () => {
      const result = await post(hub.url, { query: '{ viewer { id token } }' }, hub.users.admin.token);
      expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('do not appear in any later answer about the user', async () => {
      const { user, token } = await create(newUser({ slackUserId: 'U0SECRET1' }));
      const answers = [
        await post(
          hub.url,
          { query: `{ node(id: ${JSON.stringify(user.id)}) { ... on User { id name email roles slackUserId createdAt } } }` },
          hub.users.admin.token,
        ),
        await post(hub.url, { query: '{ viewer { id name email roles slackUserId createdAt } }' }, token),
        await post(hub.url, { query: '{ users(first: 100) { nodes { id name email roles slackUserId createdAt } } }' }, hub.users.admin.token),
      ];
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(JSON.stringify(answer.data)).not.toContain(token);
        expect(JSON.stringify(answer.data)).not.toContain(token.slice(3));
      }
    });
  });
});
