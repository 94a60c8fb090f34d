import type { App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DomainError } from '../../../../src/domain/errors';
import { ReviewDecision } from '../../../../src/domain/promotion/review.entity';
import { promotionService } from '../../../../src/domain/promotion/promotion.service';
import { log } from '../../../../src/logger';
import { actingAs, notLinkedText, viewerFor, type BotDeps } from '../../context';
import { REJECT_VIEW } from '../actions';

/** The reject modal's submission rejects the request with the reason; refusals show in the modal. */
export function register(app: App, deps: BotDeps): void {
  app.view<ViewSubmitAction>(REJECT_VIEW, async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const reason = view.state.values.reason?.reason?.value?.trim() ?? '';
    if (!reason) return void (await ack({ response_action: 'errors', errors: { reason: 'Say why, so the requester can act on it.' } }));
    const viewer = await viewerFor(deps, body.user.id);
    if (!viewer) return void (await ack({ response_action: 'errors', errors: { reason: notLinkedText(body.user.id) } }));
    try {
      await promotionService.review(actingAs(deps, viewer), {
        promotionRequestId: view.private_metadata,
        decision: ReviewDecision.REJECT,
        comment: reason,
      });
      await ack();
    } catch (err) {
      if (!(err instanceof DomainError)) log.error({ err }, 'slack reject failed');
      await ack({
        response_action: 'errors',
        errors: { reason: err instanceof DomainError ? err.message : 'Something went wrong on the hub; nothing was changed.' },
      });
    }
  });
}
