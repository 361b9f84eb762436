// What the people who run the system look at: Prometheus metrics and the queues' dashboard.
import { defineFeature } from '../feature.js';
import routes from './operations.routes.js';

export const operationsFeature = defineFeature({ name: 'operations', routes: [routes] });
