# One image for the worker, the webhook receiver, the simulators and the schedule job.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV BRIDGE_CONFIG=config/compose.json
ENTRYPOINT ["node", "bin/bridge.js"]
CMD ["worker"]
