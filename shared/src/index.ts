export * from './roles.js';
export * from './auth.js';
export * from './users.js';
export * from './errors.js';
export * from './realtime.js';
export * from './audit.js';
export * from './directory.js';
export * from './dispatch.js';
