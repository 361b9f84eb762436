# One image for both processes of a deployment: the server (default command) and the BullMQ
# worker (docker-compose.yml overrides the command with server/src/worker.ts, what `npm run worker` runs).
FROM node:20-bookworm-slim

WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1

# Dependencies first, so a code change does not reinstall them. `npm ci`'s postinstall runs
# scripts/prisma-generate.mjs, which needs the Prisma schema and its config.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci

COPY . .
# Generate the Prisma client from the schema as copied (our script: no engine download), then
# build the console into console/dist, which the server serves from /. Development-only
# packages are dropped afterwards.
RUN npm run db:generate \
 && npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force \
 && mkdir -p /app/data \
 && chown -R node:node /app/data

# The stock non-root user of the node image.
USER node
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# tsx runs the TypeScript server directly; there is no separate server build. It is loaded into
# one Node process (`node --import tsx`) rather than through `npx tsx` or `npm run server`:
# those wrappers exit on SIGTERM without passing it on (measured with npm 11), so
# `docker stop` would kill the server instead of letting it finish its requests and jobs.
CMD ["node", "--import", "tsx", "server/src/server.ts"]
