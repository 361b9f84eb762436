import { Me, SetupStatus, type LoginBody, type SetupBody } from '@trustline/shared';
import { request } from './client';

export const authApi = {
  me: () => request('GET', '/api/auth/me', { schema: Me }),
  login: (body: LoginBody) => request('POST', '/api/auth/login', { body, schema: Me }),
  logout: () => request('POST', '/api/auth/logout', { body: {} }),
  setupStatus: () => request('GET', '/api/setup', { schema: SetupStatus }),
  setup: (body: SetupBody) => request('POST', '/api/setup', { body, schema: Me }),
};
