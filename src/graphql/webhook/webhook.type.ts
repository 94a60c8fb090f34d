import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { WebhookDeliveryStatus, type Webhook, type WebhookDelivery } from '../../domain/webhook/webhook.entities';
import { ConnectionType } from '../common/connection';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: due, being tried, or waiting to be retried.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: {
      description:
        'Given up on: the receiver refused it for good (a 4xx other than 408 and 429, a 3xx), its address was refused, or every attempt failed.',
    },
  },
});

export interface WebhookType extends Pick<RowOf<Webhook>, 'modelId' | 'createdById'> {}

@ObjectType('Webhook', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'An endpoint that gets lifecycle events as signed HTTP POSTs (ADMIN only).',
})
export class WebhookType extends NodeBase implements Partial<RowOf<Webhook>> {
  get typeName() {
    return 'Webhook';
  }

  @Field(() => String, { description: 'Where events are POSTed (http or https).' })
  url!: string;

  @Field(() => [LifecycleEventType], { description: 'Empty: every type.' })
  eventTypes!: LifecycleEventType[];

  @Field(() => Boolean, { description: 'A paused webhook keeps its queue and gets it, in order, once active again.' })
  active!: boolean;

  @Field(() => Date, { description: 'When the webhook was created.' })
  createdAt!: Date;
}

export interface WebhookDeliveryType extends Pick<RowOf<WebhookDelivery>, 'eventId' | 'webhookId'> {}

@ObjectType('WebhookDelivery', { implements: NodeBase, simpleResolvers: true, description: 'One event sent (or to send) to one webhook.' })
export class WebhookDeliveryType extends NodeBase implements Partial<RowOf<WebhookDelivery>> {
  get typeName() {
    return 'WebhookDelivery';
  }

  @Field(() => String, { description: 'Its X-Hub-Delivery header.' })
  guid!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'How many attempts were made (0 while the first is due).' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: "The HTTP status of the last attempt's answer." })
  responseStatus!: number | null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took.' })
  durationMs!: number | null;

  @Field(() => String, { nullable: true, description: "The start of the last answer's body (at most 1,000 characters)." })
  responseBody!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, if it did.' })
  lastError!: string | null;

  @Field(() => Date, { description: 'When it is tried next, while PENDING.' })
  notBefore!: Date;

  @Field(() => Date, { description: 'When it was queued: with its event, or by a redelivery.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the receiver accepted it; null until then.' })
  deliveredAt!: Date | null;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDeliveryType, 'WebhookDelivery');
