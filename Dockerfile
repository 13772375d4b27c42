# syntax=docker/dockerfile:1

ARG NODE_IMAGE=node:22-bookworm-slim

# npm as the lockfile was written with: npm 11 honours package.json#allowScripts, the npm 10 that
# Node 22 bundles ignores it. Going through 11.11.0 avoids the self-upgrade crash of the npm 10.9.7
# in some Node 22 images on npm >= 11.12 ("Cannot find module 'promise-retry'", npm/cli#9151).
FROM ${NODE_IMAGE} AS toolchain
ARG NPM_VERSION=11.19.1
WORKDIR /app
RUN --mount=type=cache,target=/root/.npm \
    npm install --global --no-audit --no-fund npm@11.11.0 \
    && npm install --global --no-audit --no-fund "npm@${NPM_VERSION}" \
    && npm --version

FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

# The optional dependencies are the embedded PostgreSQL binaries (~60 MB, used only when DB_HOST is
# unset, which the image does not support) and fallbacks unused on Node 22 outside Cloudflare. Without
# them the only production install script left is @scarf/scarf's, which allowScripts denies anyway.
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The code stays root-owned and read-only to the app; only .data (the mail outbox when RESEND_API_KEY
# is unset) is writable.
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
