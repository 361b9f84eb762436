// The provider directory (HSDS): organisations, services, capacity; imported and exported as HSDS.
import { defineFeature } from '../feature.js';
import { directoryRepository, type DirectoryRepository } from './directory.repository.js';
import routes from './directory.routes.js';
import { directorySeeder } from './directory.seed.js';
import { directoryService, type DirectoryService } from './directory.service.js';

/** What dispatch needs of the directory: the services that can take an urgent kind, and their
 * capacity, held and given back inside dispatch's transaction. */
export type ProviderPool = Pick<DirectoryRepository, 'candidates' | 'takeCapacity' | 'giveBackCapacity'>;

declare module '../../kernel.js' {
  interface Services {
    directory: DirectoryService;
    providerPool: ProviderPool;
  }
}

export const directoryFeature = defineFeature({
  name: 'directory',
  create: ({ prisma, transaction, phones }, { audit }) => {
    const repo = directoryRepository(prisma);
    return { directory: directoryService({ repo, audit, transaction, phones }), providerPool: repo };
  },
  routes: [routes],
  seeders: [directorySeeder],
});
