import Redis from 'ioredis';
import { log } from '../logger';
import { createInProcessBus, type EventBus, type EventMessage } from './bus';

/** The default channel; give each deployment (each database) its own with `REDIS_CHANNEL`. */
export const DEFAULT_REDIS_CHANNEL = 'modelops-hub:lifecycle-events';

/**
 * A bus shared by every hub instance of one deployment through one Redis channel: publishing goes
 * to Redis; one subscription per process receives everything and fans it out in process.
 */
export async function createRedisBus(url: string, channel = DEFAULT_REDIS_CHANNEL): Promise<EventBus> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const local = createInProcessBus();
  for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    client.on('error', (err: Error) => log.warn(`redis ${name}: ${err.message}`));
  }
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      void local.publish(JSON.parse(raw) as EventMessage);
    } catch (err) {
      log.error('dropped a malformed message from Redis', err);
    }
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  return {
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe: () => local.subscribe(),
    async close() {
      await local.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
