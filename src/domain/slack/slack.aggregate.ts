import { defineAggregate } from '../aggregate';
import { SlackDelivery, SlackFollow, SlackInboundEvent, SlackThread } from './slack.entities';
import { slackProjection } from './slack.projection';

/**
 * What the hub keeps for Slack: which channels follow which goals and models, the outbox of
 * messages to send (written by the projection in each event's transaction), the threads it
 * started, and the Slack event ids it has handled. The rest of the domain never imports it.
 */
export const slackAggregate = defineAggregate({
  name: 'slack',
  entities: [SlackFollow, SlackDelivery, SlackThread, SlackInboundEvent],
  nodes: [],
  events: {},
  projections: [slackProjection],
});
