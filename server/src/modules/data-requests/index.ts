// A person's requests about their data (152-FZ): find everything held about a phone, a contact
// or a case; export it; erase it.
import { defineFeature } from '../feature.js';
import { dataRequestsRepository } from './data-requests.repository.js';
import routes from './data-requests.routes.js';
import { dataRequestsService, type DataRequestsService } from './data-requests.service.js';

declare module '../../kernel.js' {
  interface Services {
    dataRequests: DataRequestsService;
  }
}

export const dataRequestsFeature = defineFeature({
  name: 'data-requests',
  create: ({ prisma, transaction, phones, config }, { audit }) => ({
    dataRequests: dataRequestsService({
      repo: dataRequestsRepository(prisma),
      audit,
      transaction,
      phones,
      appSecret: config.appSecret,
      timeZone: config.timezone,
    }),
  }),
  routes: [routes],
});
