// The composition root: the kernel (stores, emitter, jobs, events) and then every feature of
// modules/index.ts, built once and shared by the HTTP app, the socket handlers and the worker.
// Tests build the same thing on their own database and Redis prefix.
import { createKernel, type Infra, type Services } from './kernel.js';
import { features } from './modules/index.js';

export type { Infra, Services };

export function createServices(infra: Infra): Services {
  const kernel = createKernel(infra);
  const { events, phones, transaction, emitter, enqueue, outbox } = kernel;
  // Filled feature by feature, in list order: a feature's `create` sees those listed before it.
  const services = { infra, events, phones, transaction, emitter, enqueue, outbox } as Services;
  for (const feature of features) Object.assign(services, feature.create?.(kernel, services));
  // Cross-feature reactions (domain events, ports) are wired once every feature exists.
  for (const feature of features) feature.wiring?.(services);
  return services;
}
