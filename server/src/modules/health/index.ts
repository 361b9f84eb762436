// Liveness and readiness for the orchestrator.
import { defineFeature } from '../feature.js';
import routes from './health.routes.js';

export const healthFeature = defineFeature({ name: 'health', routes: [routes] });
