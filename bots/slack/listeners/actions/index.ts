import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DomainError } from '../../../../src/domain/errors';
import { ReviewDecision } from '../../../../src/domain/promotion/review.entity';
import { promotionService } from '../../../../src/domain/promotion/promotion.service';
import { log } from '../../../../src/logger';
import { actingAs, notLinkedText, viewerFor, type BotDeps } from '../../context';
import { requestRef } from '../../refs';

export const REJECT_VIEW = 'promotion_reject';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Approve: reviews at once as the clicking user. Reject: asks for the reason in a modal. */
export function register(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>('promotion_approve', async ({ ack, body, action, respond }: ButtonArgs) => {
    await ack();
    const say = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err: Error) => log.warn(`slack respond failed: ${err.message}`));
    const viewer = await viewerFor(deps, body.user.id);
    if (!viewer) return void (await say(notLinkedText(body.user.id)));
    try {
      const request = await promotionService.review(actingAs(deps, viewer), {
        promotionRequestId: action.value ?? '',
        decision: ReviewDecision.APPROVE,
      });
      await say(`You approved *${requestRef(request.id)}*; it is now ${request.status}.`);
    } catch (err) {
      if (!(err instanceof DomainError)) log.error({ err }, 'slack approve failed');
      await say(err instanceof DomainError ? `:no_entry: ${err.message}` : ':warning: Something went wrong on the hub; nothing was changed.');
    }
  });

  app.action<BlockAction<ButtonAction>>('promotion_reject', async ({ ack, body, action, client, respond }: ButtonArgs) => {
    await ack();
    const viewer = await viewerFor(deps, body.user.id);
    if (!viewer) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: notLinkedText(body.user.id) });
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: REJECT_VIEW,
        private_metadata: action.value ?? '',
        title: { type: 'plain_text', text: 'Reject promotion' },
        submit: { type: 'plain_text', text: 'Reject' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          {
            type: 'input',
            block_id: 'reason',
            label: { type: 'plain_text', text: 'Why? The requester and the channel will see this.' },
            element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 3000 },
          },
        ],
      },
    });
  });
}
