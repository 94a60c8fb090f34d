import type { Database } from '../../src/db/orm';
import type { ServiceContext, Viewer } from '../../src/domain/context';
import { Origin } from '../../src/domain/enums';
import type { PromotionPolicy } from '../../src/domain/promotion/promotion-policy';
import { User } from '../../src/domain/user/user.entity';

/** What every listener needs. */
export interface BotDeps {
  db: Database;
  policy: PromotionPolicy;
  /** The slash command's name, e.g. `/mlops`. */
  command: string;
}

/** The hub user linked to a Slack member, or null. */
export async function viewerFor(deps: BotDeps, slackUserId: string): Promise<Viewer | null> {
  const user = await deps.db.fork().findOne(User, { slackUserId });
  return user ? { id: user.id, name: user.name, email: user.email, roles: user.roles } : null;
}

/** A service context acting as that user, from Slack. */
export function actingAs(deps: BotDeps, viewer: Viewer): ServiceContext {
  return { em: deps.db.fork(), viewer, origin: Origin.SLACK, policy: deps.policy };
}

/** What an unknown Slack member is told; nothing else happens. */
export function notLinkedText(slackUserId: string): string {
  return (
    `Your Slack account (${slackUserId}) is not linked to a ModelOps Hub user yet, so I cannot act for you. ` +
    `Ask a hub admin to link it: \`hub user create --name "…" --email … --roles … --slack-id ${slackUserId}\` ` +
    `for a new user, or the \`updateUser\` mutation with \`slackUserId: "${slackUserId}"\` for an existing one.`
  );
}
