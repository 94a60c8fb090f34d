import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { authorize, type ServiceContext, type Viewer } from '../context';
import { PrincipalKind, Role } from '../enums';
import { badInput, conflict, notFound } from '../errors';
import { findLocked } from '../lookup';
import { write } from '../unit-of-work';
import { applyChanges, email, handleOf, LIMITS, optionalText, requiredText, validDate } from '../validate';
import { ApiToken } from './api-token.entity';
import { User } from './user.entity';
import { userRepository } from './user.repository';

export interface CreateUserInput {
  name: string;
  email: string;
  roles: Role[];
  slackUserId?: string | null;
}

export interface UpdateUserInput {
  userId: string;
  name?: string | null;
  roles?: Role[] | null;
  slackUserId?: string | null;
}

export interface CreateServiceAccountInput {
  name: string;
  roles: Role[];
  /** When its first token stops working (default: never). */
  expiresAt?: Date | null;
}

export interface RotateTokenInput {
  /** The new token's expiry (default: never). */
  expiresAt?: Date | null;
  /** How long the account's other tokens keep working, in seconds (default 0: they stop now). */
  graceSeconds?: number;
}

const TOKEN_PREFIX = 'mh_';

/** Service accounts have no mailbox: their email is made from their name in a domain that cannot exist (RFC 2606). */
const SERVICE_DOMAIN = 'service-accounts.invalid';

/** The email a service account of this name gets, e.g. `training-pipeline@service-accounts.invalid`. */
export function serviceAccountEmail(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  if (!slug) throw badInput('name must contain a letter or a digit.', 'name');
  return `${slug}@${SERVICE_DOMAIN}`;
}

function futureDate(field: string, value: Date | null | undefined): Date | null {
  if (value == null) return null;
  const date = validDate(field, value);
  if (date.getTime() <= Date.now()) throw badInput(`${field} must be in the future.`, field);
  return date;
}

/** SHA-256 of a token: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 256 random bits, base64url, with a prefix that secret scanners can match. */
function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

function roles(field: string, value: readonly Role[]): Role[] {
  const unique = [...new Set(value)];
  if (!unique.length) throw badInput(`${field} must name at least one role.`, field);
  for (const r of unique) if (!Object.values(Role).includes(r)) throw badInput(`${field} has an unknown role "${r}".`, field);
  return unique;
}

function slackId(value: string | null | undefined): string | null | undefined {
  const id = optionalText('slackUserId', value, LIMITS.slackId);
  if (id && !/^[UW][A-Z0-9]{2,}$/.test(id)) throw badInput('slackUserId must look like a Slack member ID, e.g. U012AB3CD.', 'slackUserId');
  return id;
}

function uniqueViolation(err: unknown): never {
  if (err instanceof UniqueConstraintViolationException) {
    const msg = String(err.message);
    if (/users_slack_user_id_unique|users\.slack_user_id/.test(msg)) throw conflict('Another user is already linked to that Slack ID.');
    throw conflict('A user with that email already exists.');
  }
  throw err;
}

/** The handle an email's local part gives (`Jane.Doe+ml@x` → `jane.doe-ml`), made unique with a number. */
async function freeHandle(em: EntityManager, address: string): Promise<string> {
  const base = handleOf(address);
  const taken = new Set((await em.find(User, { handle: { $like: `${base}%` } }, { fields: ['handle'] })).map((u) => u.handle));
  let handle = base;
  for (let n = 2; taken.has(handle); n++) handle = `${base}${n}`;
  return handle;
}

/** Adds a token for a user; returns the token, which is never stored. */
function issueToken(em: EntityManager, user: User, label?: string, expiresAt: Date | null = null): string {
  const token = newToken();
  em.create(ApiToken, { user, tokenHash: hashToken(token), label: label ?? null, expiresAt });
  return token;
}

export const userService = {
  /** ADMIN (or the operator): a new user and their first token. */
  async create(ctx: ServiceContext, input: CreateUserInput): Promise<{ user: User; token: string }> {
    authorize(ctx, 'createUser', [Role.ADMIN]);
    const data = {
      name: requiredText('name', input.name, LIMITS.name),
      email: email('email', input.email),
      roles: roles('roles', input.roles),
      slackUserId: slackId(input.slackUserId) ?? null,
    };
    try {
      return await write(ctx, async (uow) => {
        const user = uow.em.create(User, { ...data, handle: await freeHandle(uow.em, data.email) });
        uow.record({
          type: 'USER_CREATED',
          subject: user,
          summary: `${uow.actor} added ${user.name} as ${user.roles.join(', ')}`,
          data: { name: user.name, roles: user.roles, slackUserId: user.slackUserId ?? null },
        });
        const token = issueToken(uow.em, user, 'created with the user');
        return { user, token };
      });
    } catch (err) {
      uniqueViolation(err);
    }
  },

  /**
   * ADMIN (or the operator): a service account, a non-human principal for pipelines and CI, and
   * its first token. Its email is made from its name, so names are unique (CONFLICT).
   */
  async createServiceAccount(ctx: ServiceContext, input: CreateServiceAccountInput): Promise<{ user: User; token: string }> {
    authorize(ctx, 'createServiceAccount', [Role.ADMIN]);
    const name = requiredText('name', input.name, LIMITS.name);
    const data = { name, email: serviceAccountEmail(name), roles: roles('roles', input.roles), kind: PrincipalKind.SERVICE, slackUserId: null };
    const expiresAt = futureDate('expiresAt', input.expiresAt);
    try {
      return await write(ctx, async (uow) => {
        const user = uow.em.create(User, { ...data, handle: await freeHandle(uow.em, data.email) });
        uow.record({
          type: 'USER_CREATED',
          subject: user,
          summary: `${uow.actor} added the service account ${user.name} as ${user.roles.join(', ')}`,
          data: { name: user.name, roles: user.roles, slackUserId: null, kind: PrincipalKind.SERVICE },
        });
        return { user, token: issueToken(uow.em, user, 'created with the service account', expiresAt) };
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict(`A service account named "${name}" already exists.`);
      throw err;
    }
  },

  /**
   * The operator: a new token for the service account of this name; its other live tokens stop
   * working after `graceSeconds` (sooner if they expire sooner), so a pipeline can switch over.
   */
  async rotateServiceAccountToken(
    ctx: ServiceContext,
    name: string,
    input: RotateTokenInput = {},
  ): Promise<{ user: User; token: string; retiring: number }> {
    authorize(ctx, 'rotateServiceAccountToken', [Role.ADMIN]);
    const address = serviceAccountEmail(requiredText('name', name, LIMITS.name));
    const expiresAt = futureDate('expiresAt', input.expiresAt);
    const grace = input.graceSeconds ?? 0;
    if (!Number.isInteger(grace) || grace < 0) throw badInput('graceSeconds must be a whole number of seconds, 0 or more.', 'graceSeconds');
    return write(ctx, async (uow) => {
      const { em } = uow;
      const user = await em.findOne(User, { email: address, kind: PrincipalKind.SERVICE });
      if (!user) throw notFound('Service account', JSON.stringify(name));
      const cutoff = new Date(Date.now() + grace * 1000);
      const live = await em.find(ApiToken, { user: user.id, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: cutoff } }] });
      for (const t of live) t.expiresAt = cutoff;
      const label = 'hub service-account rotate';
      uow.record({
        type: 'TOKEN_CREATED',
        subject: user,
        summary: `${uow.actor} rotated the token of ${user.name} (${live.length} older token(s) stop ${grace ? `in ${grace} s` : 'now'})`,
        data: { label, retiring: live.length },
      });
      return { user, token: issueToken(em, user, label, expiresAt), retiring: live.length };
    });
  },

  /** ADMIN: renames a user, replaces their roles, links or unlinks their Slack ID. */
  async update(ctx: ServiceContext, input: UpdateUserInput): Promise<User> {
    authorize(ctx, 'updateUser', [Role.ADMIN]);
    const name = input.name === undefined || input.name === null ? undefined : requiredText('name', input.name, LIMITS.name);
    const newRoles = input.roles === undefined || input.roles === null ? undefined : roles('roles', input.roles);
    const slack = slackId(input.slackUserId);
    try {
      return await write(ctx, async (uow) => {
        const user = await findLocked(uow.em, User, 'User', input.userId);
        const changes = applyChanges(user, { name, roles: newRoles, slackUserId: slack });
        user.updatedAt = new Date();
        uow.record({
          type: 'USER_UPDATED',
          subject: user,
          summary: `${uow.actor} updated ${user.name}: ${Object.keys(changes).join(', ') || 'no changes'}`,
          data: { changes },
        });
        return user;
      });
    } catch (err) {
      uniqueViolation(err);
    }
  },

  /** The operator: a new token for the user with this email. */
  async createToken(ctx: ServiceContext, userEmail: string, label?: string): Promise<{ user: User; token: string }> {
    authorize(ctx, 'createToken', [Role.ADMIN]);
    const address = email('email', userEmail);
    return write(ctx, async (uow) => {
      const user = await uow.em.findOne(User, { email: address });
      if (!user) throw notFound('User with email', address);
      uow.record({ type: 'TOKEN_CREATED', subject: user, summary: `${uow.actor} issued a token to ${user.name}`, data: { label: label ?? null } });
      return { user, token: issueToken(uow.em, user, label) };
    });
  },

  /** The operator: revokes every live token of the user with this email (a service account's too); returns how many. */
  async revokeTokens(ctx: ServiceContext, userEmail: string): Promise<{ user: User; revoked: number }> {
    authorize(ctx, 'revokeTokens', [Role.ADMIN]);
    const address = email('email', userEmail);
    return write(ctx, async (uow) => {
      const user = await uow.em.findOne(User, { email: address });
      if (!user) throw notFound('User with email', address);
      const revoked = await uow.em.nativeUpdate(ApiToken, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
      uow.record({ type: 'TOKENS_REVOKED', subject: user, summary: `${uow.actor} revoked ${revoked} token(s) of ${user.name}`, data: { revoked } });
      return { user, revoked };
    });
  },

  /** The user behind a bearer token, or null when it is unknown or revoked. */
  async authenticate(ctx: ServiceContext, token: string): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    return userRepository.byTokenHash(ctx, hashToken(token));
  },

  /** Whether there is any user at all. */
  async anyUser(ctx: ServiceContext): Promise<boolean> {
    return (await ctx.reader.count(User, {})) > 0;
  },

  /** The user linked to a Slack member, or null. */
  bySlackId(ctx: ServiceContext, slackUserId: string): Promise<Viewer | null> {
    return userRepository.bySlackId(ctx, slackUserId);
  },
};
