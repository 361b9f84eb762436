// Typed HTTP calls, one object per feature (lib/api/<feature>.ts), all through `request`.
export { ApiFailure, onUnauthenticated, request, setCsrfToken } from './client';
export { authApi } from './auth';
export { usersApi } from './users';
export { auditApi } from './audit';
