# One image for the worker, the webhook receiver, the simulators and the schedule job.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Workers run this prebuilt bundle and declare its hash as their deployment version (README runbook).
RUN npm run build:workflows
ENV BRIDGE_WORKFLOW_BUNDLE=/app/dist/workflows/bundle.js
ENV BRIDGE_CONFIG=config/compose.json
ENTRYPOINT ["node", "bin/bridge.js"]
CMD ["worker"]
