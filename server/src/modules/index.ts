// Every feature, in one list. Adding a feature is a folder modules/<feature>/ with its index.ts,
// and one line here. The order is the order of `create` (a feature may use what the features
// above it provide) and of route registration.
import type { FeatureModule } from './feature.js';
import { auditFeature } from './audit/index.js';
import { authFeature } from './auth/index.js';
import { usersFeature } from './users/index.js';
import { presenceFeature } from './presence/index.js';
import { callersFeature } from './callers/index.js';
import { privacyFeature } from './privacy/index.js';
import { directoryFeature } from './directory/index.js';
import { operationsFeature } from './operations/index.js';
import { healthFeature } from './health/index.js';
import { operatorsFeature } from './operators/index.js';
import { telephonyFeature } from './telephony/index.js';
import { conversationsFeature } from './conversations/index.js';
import { casesFeature } from './cases/index.js';
import { contactsFeature } from './contacts/index.js';
import { dispatchFeature } from './dispatch/index.js';
import { dataRequestsFeature } from './data-requests/index.js';
import { retentionFeature } from './retention/index.js';
import { wallboardFeature } from './wallboard/index.js';
import { reportsFeature } from './reports/index.js';
import { maintenanceFeature } from './maintenance/index.js';

export const features: readonly FeatureModule[] = [
  auditFeature,
  authFeature,
  usersFeature,
  presenceFeature,
  callersFeature,
  privacyFeature,
  directoryFeature,
  operationsFeature,
  healthFeature,
  operatorsFeature,
  telephonyFeature,
  conversationsFeature,
  casesFeature,
  contactsFeature,
  dispatchFeature,
  dataRequestsFeature,
  retentionFeature,
  wallboardFeature,
  reportsFeature,
  maintenanceFeature,
];
