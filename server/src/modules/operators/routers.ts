// Channels register how their waiting work is routed, so the operators module does not know
// calls or conversations: when an operator becomes available every channel routes its waiting
// work (in registration order: the order of modules/index.ts), and when an operator's last
// console goes, the channels that ring withdraw that operator's rings.
export interface ChannelRouter {
  channel: string;
  /** Offers waiting work to available operators. */
  routeWaiting(): Promise<void>;
  /** The operator went offline: their rings move on at once. */
  withdrawOffersOf?(operatorId: string): Promise<void>;
}

export function routerRegistry() {
  const routers: ChannelRouter[] = [];
  return {
    register(router: ChannelRouter) {
      routers.push(router);
    },
    async routeWaiting() {
      for (const r of routers) await r.routeWaiting();
    },
    async withdrawOffersOf(operatorId: string) {
      for (const r of routers) await r.withdrawOffersOf?.(operatorId);
    },
  };
}
export type RouterRegistry = ReturnType<typeof routerRegistry>;
