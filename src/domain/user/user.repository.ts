import { NEWEST_FIRST, type ListQuery, type RowOf } from '../../db/reader';
import type { ServiceContext, Viewer } from '../context';
import { ApiToken } from './api-token.entity';
import { User } from './user.entity';

function viewerOf(user: RowOf<User>): Viewer {
  return { id: user.dbId, name: user.name, email: user.email, roles: user.roles, kind: user.kind };
}

/** Reads about users. */
export const userRepository = {
  /** Every user, newest first. */
  all(): ListQuery<User> {
    return { entity: User, where: {}, order: NEWEST_FIRST };
  },

  /** The user with this email (any case), as a viewer, or null. */
  async byEmail(ctx: ServiceContext, email: string): Promise<Viewer | null> {
    const user = await ctx.reader.first(User, { email: email.trim().toLowerCase() }, NEWEST_FIRST);
    return user ? { id: user.dbId, name: user.name, email: user.email, roles: user.roles, kind: user.kind } : null;
  },

  /** The user linked to a Slack member, as a viewer, or null. */
  async bySlackId(ctx: ServiceContext, slackUserId: string): Promise<Viewer | null> {
    const user = await ctx.reader.first(User, { slackUserId }, NEWEST_FIRST);
    return user ? viewerOf(user) : null;
  },

  /** The user of an unrevoked, unexpired token with this hash, as a viewer, or null. */
  async byTokenHash(ctx: ServiceContext, tokenHash: string): Promise<Viewer | null> {
    const { reader } = ctx;
    const users = reader.table(User);
    const tokens = reader.table(ApiToken);
    const row = await reader.knex
      .select(`${users}.*`)
      .from(tokens)
      .join(users, `${users}.id`, `${tokens}.${reader.column(ApiToken, 'user')}`)
      .where(`${tokens}.${reader.column(ApiToken, 'tokenHash')}`, tokenHash)
      .whereNull(`${tokens}.${reader.column(ApiToken, 'revokedAt')}`)
      .where(
        (qb) =>
          void qb
            .whereNull(`${tokens}.${reader.column(ApiToken, 'expiresAt')}`)
            .orWhere(`${tokens}.${reader.column(ApiToken, 'expiresAt')}`, '>', reader.dateValue(new Date())),
      )
      .first();
    if (!row) return null;
    const [user] = reader.decode(User, [row]);
    return viewerOf(user);
  },
};
