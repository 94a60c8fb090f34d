import { Webhook, WebhookDelivery } from '../../domain/webhook/webhook.entities';
import type { GraphQLModule } from '../module';
import { WebhookDeliveryResolver, WebhookResolver } from './webhook.resolver';
import { WebhookDeliveryType, WebhookType } from './webhook.type';

export const webhookApi: GraphQLModule = {
  resolvers: [WebhookResolver, WebhookDeliveryResolver],
  records: [
    [Webhook, WebhookType],
    [WebhookDelivery, WebhookDeliveryType],
  ],
};
