# The Temporal server of docker-compose.yml: the same v1.32.2 Go module and the same schema steps as
# scripts/temporal-cluster.sh (which this image runs, `serve`), so the compose file and
# `npm run test:cluster` run one server build.
FROM golang:1.26-bookworm AS build
# v1.32.2's go.mod asks for go >= 1.26.10; GOTOOLCHAIN fetches it from the module proxy.
ENV GOTOOLCHAIN=go1.26.10 GOBIN=/out
RUN go install go.temporal.io/server/cmd/server@v1.32.2 && go install go.temporal.io/server/cmd/tools/sql@v1.32.2 \
 && mv /out/server /out/temporal-server && mv /out/sql /out/temporal-sql-tool

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/bin/
COPY scripts/temporal-cluster.sh /app/scripts/temporal-cluster.sh
WORKDIR /app
ENV CLUSTER_BIN=/usr/local/bin CLUSTER_DIR=/var/lib/temporal CLUSTER_PORT=7233 CLUSTER_PG_PORT=5432
ENTRYPOINT ["bash", "scripts/temporal-cluster.sh", "serve"]
