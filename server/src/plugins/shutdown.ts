// Graceful close of the HTTP side. On close Fastify stops taking connections and waits for the
// open ones to end; two kinds would otherwise hold it open until the grace period ran out (and
// the process exited 1 before finishing its jobs):
// - consoles' socket.io connections: their transports are closed, which a console reads as a
//   dropped connection, so it reconnects (to another node, behind a load balancer) and recovers
//   what it missed (connection-state recovery);
// - keep-alive connections on which a request in flight is answered during the close: the answer
//   carries `Connection: close`, so the connection ends with it.
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
      app.services.infra.io.engine?.close();
    });
    app.addHook('onSend', async (_req, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'shutdown', dependencies: ['socket'] },
);
