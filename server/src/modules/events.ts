// Who listens to which domain event (server/src/domain-events.ts). Each feature contributes a
// wiring function; they run once, at the end of createServices.
import type { Services } from '../services.js';
import { wireCasesToContacts } from './cases/cases.events.js';
import { dispatchWiring } from './dispatch/dispatch.events.js';
import { wireContactsToTelephony } from './contacts/contacts.events.js';
import { wireLive } from './live/live.wiring.js';

export type EventWiring = (services: Services) => void;

export const eventWiring: EventWiring[] = [wireCasesToContacts, dispatchWiring, wireLive, wireContactsToTelephony];
