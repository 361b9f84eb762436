// Copies of rarely changing rows (the lines today) live in every process: servers and workers
// alike. When one process changes such rows it publishes the topic on Redis, and every process
// (itself included) reloads its copy. A subscriber that was disconnected may have missed signals,
// so every topic reloads after each reconnection too. Redis being down only delays a reload: each
// copy also expires on its own (see modules/telephony/lines.ts).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedis } from './redis.js';

export type InvalidationTopic = 'lines';

export interface Invalidation {
  /** Tells every process that `topic`'s rows changed. Never throws (the copies also expire). */
  publish(topic: InvalidationTopic): Promise<void>;
  /** Runs `reload` whenever any process publishes `topic`, and after each reconnection. */
  on(topic: InvalidationTopic, reload: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export function invalidationBus(opts: { url: string; prefix: string; publisher: Redis; log: Logger }): Invalidation {
  const { prefix, publisher, log } = opts;
  const channel = (topic: string) => `${prefix}:invalidate:${topic}`;
  const reloads = new Map<string, Array<() => Promise<unknown>>>();
  const run = (topic: string) => {
    for (const reload of reloads.get(topic) ?? []) reload().catch((err) => log.warn({ err, topic }, 'reload after invalidation failed'));
  };

  // Subscribing puts a connection in subscriber mode, so it is one of its own. It is made on the
  // first `on`, so a process that keeps no copies holds no extra connection.
  let subscriber: Redis | undefined;
  let connectedBefore = false;
  const subscribe = (topic: string) => {
    if (!subscriber) {
      subscriber = createRedis(opts.url, 'blocking');
      subscriber.on('message', (ch: string) => {
        const topic = ch.slice(channel('').length);
        run(topic);
      });
      subscriber.on('ready', () => {
        if (connectedBefore) for (const t of reloads.keys()) run(t);
        connectedBefore = true;
      });
    }
    subscriber.subscribe(channel(topic)).catch((err) => log.warn({ err, topic }, 'invalidation subscribe failed'));
  };

  return {
    async publish(topic) {
      await publisher
        .publish(channel(topic), '1')
        .catch((err) => log.warn({ err, topic }, 'invalidation not published; other processes reload when their copy expires'));
    },
    on(topic, reload) {
      const first = !reloads.has(topic);
      reloads.set(topic, [...(reloads.get(topic) ?? []), reload]);
      if (first) subscribe(topic);
    },
    async close() {
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
    },
  };
}
