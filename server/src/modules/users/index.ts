// Staff accounts and their roles.
import { defineFeature } from '../feature.js';
import { usersRepository } from './users.repository.js';
import routes from './users.routes.js';
import { usersService, type UsersService } from './users.service.js';

declare module '../../kernel.js' {
  interface Services {
    users: UsersService;
  }
}

export const usersFeature = defineFeature({
  name: 'users',
  create: ({ prisma, transaction }, { audit, sessions }) => ({ users: usersService({ repo: usersRepository(prisma), audit, transaction, sessions }) }),
  routes: [routes],
});
