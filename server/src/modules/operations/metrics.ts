// Prometheus metrics for operations. One registry per app (tests run several apps in a process,
// so the global registry is not used). Gauges that read Redis are collected on scrape, never on
// a timer: a scrape every 15 s costs a few Redis round trips and nothing between scrapes.
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Queues } from '../../jobs/queues.js';
import type { Emitter } from '../../realtime/emitter.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

export interface MetricsSources {
  queues: Queues;
  emitter: Emitter;
  /** Calls waiting now, from the live figures (Redis). */
  callsWaiting: () => Promise<number>;
}

export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'trustline_' });

  const webhookLatency = new Histogram({
    name: 'trustline_webhook_duration_seconds',
    help: 'Time to answer a Twilio webhook (from request received to response sent)',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });

  new Gauge({
    name: 'trustline_queue_jobs',
    help: 'BullMQ jobs per queue and state (read on scrape)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, queue] of Object.entries(sources.queues)) {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });

  new Gauge({
    name: 'trustline_queue_failed_jobs',
    help: 'BullMQ jobs that failed for good and are kept for inspection, per queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, queue] of Object.entries(sources.queues)) this.set({ queue: name }, await queue.getFailedCount());
    },
  });

  new Gauge({
    name: 'trustline_sockets_connected',
    help: 'socket.io clients connected to this server process',
    registers: [registry],
    collect() {
      // A worker process has an io that is never attached: it has no engine.
      this.set(sources.emitter.connectedHere());
    },
  });

  new Gauge({
    name: 'trustline_calls_waiting',
    help: 'Calls waiting in the queue now (live figures)',
    registers: [registry],
    async collect() {
      this.set(await sources.callsWaiting());
    },
  });

  return { registry, webhookLatency };
}
export type Metrics = ReturnType<typeof createMetrics>;
