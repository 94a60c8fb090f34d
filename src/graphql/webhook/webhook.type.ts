import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { WebhookDeliveryStatus, type Webhook, type WebhookDelivery } from '../../domain/webhook/webhook.entities';
import { ConnectionType } from '../common/connection';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';

registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

export interface WebhookType extends Pick<RowOf<Webhook>, 'modelId' | 'createdById'> {}

@ObjectType('Webhook', { implements: NodeBase, simpleResolvers: true, description: 'An endpoint that gets lifecycle events as signed HTTP POSTs (ADMIN only).' })
export class WebhookType extends NodeBase implements Partial<RowOf<Webhook>> {
  get typeName() {
    return 'Webhook';
  }

  @Field(() => String)
  url!: string;

  @Field(() => [LifecycleEventType], { description: 'Empty: every type.' })
  eventTypes!: LifecycleEventType[];

  @Field(() => Boolean, { description: 'A paused webhook keeps its queue and gets it, in order, once active again.' })
  active!: boolean;

  @Field(() => Date)
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

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
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

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDeliveryType, 'WebhookDelivery');
