# The Covenant Pact Broker as a container, configured like the reference broker's image
# (PACT_BROKER_DATABASE_URL or its parts, PACT_BROKER_PORT, PACT_BROKER_BASIC_AUTH_*,
# PACT_BROKER_ALLOW_PUBLIC_READ, PACT_BROKER_LOG_LEVEL, PACT_BROKER_BASE_URL).
# test/packaging/dockerfile.test.ts runs the RUN, HEALTHCHECK and CMD lines below outside Docker.

# build: the full image has the compilers better-sqlite3 needs when no prebuilt binary matches
FROM node:24-bookworm AS build
ARG COVENANT_VERSION=latest
WORKDIR /app
RUN npm init --yes >/dev/null && npm install --omit=dev --no-audit --no-fund @covenant/cli@${COVENANT_VERSION} @covenant/broker@${COVENANT_VERSION}

# run: production dependencies only, as the unprivileged node user
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PACT_BROKER_HOST=0.0.0.0 \
    PACT_BROKER_PORT=9292 \
    PACT_BROKER_DATABASE_URL=/data/pact_broker.sqlite
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 9292
# the heartbeat, asked with Node's own fetch: the slim image has no curl
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PACT_BROKER_PORT || 9292}/diagnostic/status/heartbeat`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "node_modules/@covenant/cli/bin/covenant.js", "broker"]
