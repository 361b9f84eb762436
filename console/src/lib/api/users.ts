import { SessionInfo, StaffMember, UserSummary, type CreateUserBody, type ResetPasswordBody, type UpdateUserBody } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const UserList = z.array(UserSummary);
const Directory = z.array(StaffMember);

export const usersApi = {
  list: () => request('GET', '/api/users', { schema: UserList }),
  /** Active colleagues (any signed-in user): names for presence lists and pickers. */
  directory: () => request('GET', '/api/users/directory', { schema: Directory }),
  create: (body: CreateUserBody) => request('POST', '/api/users', { body, schema: UserSummary }),
  update: (id: string, body: UpdateUserBody) => request('PATCH', `/api/users/${encodeURIComponent(id)}`, { body, schema: UserSummary }),
  resetPassword: (id: string, body: ResetPasswordBody) => request('POST', `/api/users/${encodeURIComponent(id)}/password`, { body }),
  sessions: (id: string) => request('GET', `/api/users/${encodeURIComponent(id)}/sessions`, { schema: z.array(SessionInfo) }),
  endSession: (id: string, sessionId: string) => request('POST', `/api/users/${encodeURIComponent(id)}/sessions/${sessionId}/end`, { body: {} }),
  endAllSessions: (id: string) => request('POST', `/api/users/${encodeURIComponent(id)}/sessions/end-all`, { body: {} }),
  resetTotp: (id: string) => request('POST', `/api/users/${encodeURIComponent(id)}/totp/reset`, { body: {} }),
};
