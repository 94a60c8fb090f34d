import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { webhookRepository } from '../../domain/webhook/webhook.repository';
import { webhookService } from '../../domain/webhook/webhook.service';
import { ConnectionArgs } from '../common/connection';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { childConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { LifecycleEventRecord } from '../event/event.type';
import { ModelType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { WebhookDeliveryConnection, WebhookDeliveryType, WebhookType } from './webhook.type';
import type * as commands from '../../domain/webhook/webhook.service';

@InputType('CreateWebhookInput', { description: 'A new webhook.' })
class CreateWebhookInput implements commands.CreateWebhookInput {
  @Field(() => String, { description: 'http(s); private and loopback addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true.' })
  url!: string;

  @Field(() => [LifecycleEventType], { nullable: true, description: 'Empty or left out: every type.' })
  eventTypes?: LifecycleEventType[] | null;

  @Field(() => ID, { nullable: true, description: 'Only events about this model.' })
  modelId?: string | null;
}

@ObjectType('CreateWebhookPayload', { simpleResolvers: true, description: 'The webhook created, with its signing secret.' })
class CreateWebhookPayload {
  @Field(() => WebhookType, { description: 'The new webhook, active.' })
  webhook!: WebhookType;

  @Field(() => String, { description: 'HMAC key for X-Hub-Signature-256; shown once.' })
  secret!: string;
}

@InputType('UpdateWebhookInput', { description: 'Changes to a webhook; fields left out stay as they are.' })
class UpdateWebhookInput implements commands.UpdateWebhookInput {
  @Field(() => ID, { description: 'The webhook to change.' })
  webhookId!: string;

  @Field(() => String, { nullable: true, description: "A new URL, checked like createWebhook's." })
  url?: string | null;

  @Field(() => [LifecycleEventType], { nullable: true, description: 'Replaces the types; empty: every type.' })
  eventTypes?: LifecycleEventType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'false pauses it: its queue waits.' })
  active?: boolean | null;
}

@ObjectType('UpdateWebhookPayload', { simpleResolvers: true, description: 'The webhook changed.' })
class UpdateWebhookPayload {
  @Field(() => WebhookType, { description: 'The webhook as it is now.' })
  webhook!: WebhookType;
}

@InputType('DeleteWebhookInput', { description: 'The webhook to delete.' })
class DeleteWebhookInput {
  @Field(() => ID, { description: 'The webhook to delete, with its queue and delivery log.' })
  webhookId!: string;
}

@ObjectType('DeleteWebhookPayload', { simpleResolvers: true, description: 'The webhook deleted.' })
class DeleteWebhookPayload {
  @Field(() => ID, { description: 'The ID the webhook had.' })
  webhookId!: string;
}

@InputType('RedeliverWebhookDeliveryInput', { description: 'A delivery whose event to send again.' })
class RedeliverWebhookDeliveryInput {
  @Field(() => ID, { description: "Any delivery of the webhook's log, whatever its status." })
  deliveryId!: string;
}

@ObjectType('RedeliverWebhookDeliveryPayload', { simpleResolvers: true, description: 'The new delivery.' })
class RedeliverWebhookDeliveryPayload {
  @Field(() => WebhookDeliveryType, { description: 'The new delivery, at the end of the queue.' })
  delivery!: WebhookDeliveryType;
}

@Resolver(() => WebhookType)
export class WebhookResolver {
  @Query(() => [WebhookType], { description: 'ADMIN only.' })
  webhooks(@Ctx() ctx: GraphQLContext) {
    const { entity, where, order } = webhookService.list(ctx.service);
    return ctx.reader.list(entity, where, order);
  }

  @FieldResolver(() => ModelType, { nullable: true, description: 'Only events about this model, when set.' })
  model(@Root() webhook: WebhookType, @Ctx() ctx: GraphQLContext) {
    return webhook.modelId === null ? null : loadNode(ctx, 'Model', webhook.modelId);
  }

  @FieldResolver(() => UserType, { description: 'The ADMIN who created it.' })
  createdBy(@Root() webhook: WebhookType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', webhook.createdById);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Newest first.' })
  deliveries(@Root() webhook: WebhookType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, webhookRepository.deliveriesOfWebhook, webhook.dbId, args);
  }

  @Mutation(() => CreateWebhookPayload, { description: 'ADMIN only. The secret is shown once.' })
  async createWebhook(
    @Arg('input', () => CreateWebhookInput, { description: "The mutation's arguments." }) input: CreateWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateWebhookPayload> {
    const { webhook, secret } = await webhookService.create(ctx.service, input);
    return { webhook: await loadWritten(ctx, 'Webhook', webhook.id), secret };
  }

  @Mutation(() => UpdateWebhookPayload, { description: 'ADMIN only.' })
  async updateWebhook(
    @Arg('input', () => UpdateWebhookInput, { description: "The mutation's arguments." }) input: UpdateWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateWebhookPayload> {
    const webhook = await webhookService.update(ctx.service, input);
    return { webhook: await loadWritten(ctx, 'Webhook', webhook.id) };
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'ADMIN only. Nothing more is sent to it, not even what was queued.' })
  async deleteWebhook(
    @Arg('input', () => DeleteWebhookInput, { description: "The mutation's arguments." }) input: DeleteWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DeleteWebhookPayload> {
    await webhookService.delete(ctx.service, input.webhookId);
    return { webhookId: input.webhookId };
  }

  @Mutation(() => RedeliverWebhookDeliveryPayload, { description: 'ADMIN only. Queues the event again as a new delivery.' })
  async redeliverWebhookDelivery(
    @Arg('input', () => RedeliverWebhookDeliveryInput, { description: "The mutation's arguments." }) input: RedeliverWebhookDeliveryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RedeliverWebhookDeliveryPayload> {
    const delivery = await webhookService.redeliver(ctx.service, input.deliveryId);
    return { delivery: await loadWritten(ctx, 'WebhookDelivery', delivery.id) };
  }
}

@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  @FieldResolver(() => LifecycleEventRecord, { description: 'The event delivered, as its JSON body shows it.' })
  event(@Root() delivery: WebhookDeliveryType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'LifecycleEvent', delivery.eventId);
  }

  @FieldResolver(() => WebhookType, { description: 'The webhook it goes to.' })
  webhook(@Root() delivery: WebhookDeliveryType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Webhook', delivery.webhookId);
  }
}
