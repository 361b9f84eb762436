import { LoginResult, Me, SecurityStatus, SessionInfo, SetupStatus, TotpConfirmed, TotpEnrolment, type LoginBody, type SetupBody } from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

export const authApi = {
  me: () => request('GET', '/api/auth/me', { schema: Me }),
  login: (body: LoginBody) => request('POST', '/api/auth/login', { body, schema: LoginResult }),
  /** The second step of sign-in: a code from the authenticator app, or a recovery code. */
  loginCode: (code: string) => request('POST', '/api/auth/login/totp', { body: { code }, schema: Me }),
  loginEnrolment: () => request('POST', '/api/auth/login/enrol', { body: {}, schema: TotpEnrolment }),
  loginConfirm: (code: string) => request('POST', '/api/auth/login/enrol/confirm', { body: { code }, schema: TotpConfirmed }),
  logout: () => request('POST', '/api/auth/logout', { body: {} }),
  logoutEverywhere: () => request('POST', '/api/auth/logout-everywhere', { body: {} }),
  setupStatus: () => request('GET', '/api/setup', { schema: SetupStatus }),
  setup: (body: SetupBody) => request('POST', '/api/setup', { body, schema: LoginResult }),
  security: () => request('GET', '/api/auth/security', { schema: SecurityStatus }),
  startTotp: () => request('POST', '/api/auth/totp/enrol', { body: {}, schema: TotpEnrolment }),
  confirmTotp: (code: string) => request('POST', '/api/auth/totp/confirm', { body: { code }, schema: TotpConfirmed }),
  disableTotp: (code: string) => request('POST', '/api/auth/totp/disable', { body: { code } }),
  sessions: () => request('GET', '/api/auth/sessions', { schema: z.array(SessionInfo) }),
  endSession: (sessionId: string) => request('POST', `/api/auth/sessions/${sessionId}/end`, { body: {} }),
};
