import type { ServiceContext, Viewer } from '../../src/domain/context';
import type { Domain } from '../../src/domain/domain';
import { Origin } from '../../src/domain/enums';
import { userService } from '../../src/domain/user/user.service';

/** What every listener needs. */
export interface BotDeps {
  domain: Domain;
  /** The slash command's name, e.g. `/mlops`. */
  command: string;
}

/** The hub user linked to a Slack member, or null. */
export function viewerFor(deps: BotDeps, slackUserId: string): Promise<Viewer | null> {
  return userService.bySlackId(deps.domain.as(null), slackUserId);
}

/** A service context acting as that user, from Slack. */
export function actingAs(deps: BotDeps, viewer: Viewer): ServiceContext {
  return deps.domain.as(viewer, Origin.SLACK);
}

/** A service context that reads for nobody in particular (the notifier's). */
export function reading(deps: Pick<BotDeps, 'domain'>): ServiceContext {
  return deps.domain.as(null, Origin.SLACK);
}

/** What an unknown Slack member is told; nothing else happens. */
export function notLinkedText(slackUserId: string): string {
  return (
    `Your Slack account (${slackUserId}) is not linked to a ModelOps Hub user yet, so I cannot act for you. ` +
    `Ask a hub admin to link it: \`hub user create --name "…" --email … --roles … --slack-id ${slackUserId}\` ` +
    `for a new user, or the \`updateUser\` mutation with \`slackUserId: "${slackUserId}"\` for an existing one.`
  );
}
