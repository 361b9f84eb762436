// Room names, in one place. Events go to named rooms only, never to everyone.
export { rooms } from '@trustline/shared';
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
