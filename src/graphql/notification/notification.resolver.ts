import { Repeater } from '@graphql-yoga/subscription';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { forbidden } from '../../domain/errors';
import { notificationRepository } from '../../domain/notification/notification.repository';
import { NOTIFYING } from '../../domain/notification/notification.projection';
import { notificationService } from '../../domain/notification/notification.service';
import type { RowOf } from '../../db/reader';
import type { Notification } from '../../domain/notification/notification.entity';
import { ConnectionArgs } from '../common/connection';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { LifecycleEventRecord } from '../event/event.type';
import { loadNode } from '../nodes';
import { UserType } from '../user/user.type';
import { NotificationConnection, NotificationType } from './notification.type';
import type * as commands from '../../domain/notification/notification.service';

@ArgsType()
class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only those not read yet.' })
  unreadOnly?: boolean | null;
}

@InputType('MarkNotificationsReadInput', { description: "Which of the viewer's notifications to mark read." })
class MarkNotificationsReadInput implements commands.MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "Empty or absent: all of the viewer's." })
  notificationIds?: string[] | null;
}

@ObjectType('MarkNotificationsReadPayload', { simpleResolvers: true, description: 'What is left unread.' })
class MarkNotificationsReadPayload {
  @Field(() => Int, { description: "The viewer's unread notifications after marking." })
  unreadNotificationCount!: number;
}

function ownOnly(user: UserType, ctx: GraphQLContext, field: string): void {
  if (user.dbId !== ctx.viewer.id) throw forbidden(`${field} is only readable for the viewer themselves.`);
}

/** The viewer's notifications as they are written: each committed event that notified them, looked up once. */
function liveNotifications(ctx: GraphQLContext): Repeater<RowOf<Notification>> {
  return new Repeater<RowOf<Notification>>(async (push, stop) => {
    const source = ctx.bus.subscribe();
    void stop.then(() => source.return?.());
    const seen = new Set<number>();
    for await (const message of source) {
      if (!NOTIFYING.has(message.type) || seen.has(message.id)) continue;
      seen.add(message.id);
      const notification = await notificationRepository.forEvent(ctx.reader, ctx.viewer.id, message.id);
      if (notification) await push(notification);
    }
    stop();
  });
}

@Resolver(() => NotificationType)
export class NotificationResolver {
  @FieldResolver(() => LifecycleEventRecord, { description: 'The event that caused it.' })
  event(@Root() notification: NotificationType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'LifecycleEvent', notification.eventId);
  }

  @Mutation(() => MarkNotificationsReadPayload, { description: "The viewer's own notifications only." })
  async markNotificationsRead(
    @Arg('input', () => MarkNotificationsReadInput, { description: "The mutation's arguments." }) input: MarkNotificationsReadInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MarkNotificationsReadPayload> {
    return { unreadNotificationCount: await notificationService.markRead(ctx.service, input) };
  }

  @Subscription(() => NotificationType, {
    description: "The viewer's own notifications as they are created.",
    subscribe: ({ context }) => liveNotifications(context as GraphQLContext),
  })
  notifications(@Root() notification: NotificationType): NotificationType {
    return notification;
  }
}

@Resolver(() => UserType)
export class UserNotificationResolver {
  @FieldResolver(() => NotificationConnection, { description: "Newest first. Only a user's own: asked of anyone but the viewer, FORBIDDEN." })
  notifications(@Root() user: UserType, @Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: GraphQLContext) {
    ownOnly(user, ctx, 'notifications');
    return rootConnection(ctx, notificationRepository.of(user.dbId, args.unreadOnly === true), args);
  }

  @FieldResolver(() => Int, { description: "Only a user's own, like notifications." })
  unreadNotificationCount(@Root() user: UserType, @Ctx() ctx: GraphQLContext) {
    ownOnly(user, ctx, 'unreadNotificationCount');
    return notificationRepository.unreadCount(ctx.reader, user.dbId);
  }
}
