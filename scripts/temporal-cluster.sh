#!/usr/bin/env bash
# A real Temporal server (the Go module, not the CLI's dev server) on the machine's PostgreSQL, as
# four separate services, for `npm run test:cluster` and for trying a deployment without Docker.
#
#   npm run cluster -- build            go install temporal-server + temporal-sql-tool (cached: skipped when built)
#   npm run cluster -- start            Postgres (initdb the first time), schema steps, config, the four services,
#                                       namespace `default` and the bridge's search attributes
#   npm run cluster -- restart <svc>    stops and starts one service (frontend | history | matching | worker)
#   npm run cluster -- stop             stops the services (by the PIDs this script recorded) and Postgres
#   npm run cluster -- status
#   temporal-cluster.sh serve           (docker-compose.yml) schema steps, config, all services in one process, in the
#                                       foreground, against an external PostgreSQL: CLUSTER_PG_HOST, CLUSTER_BIN
#
# Everything lives under .tools/cluster (CLUSTER_DIR). Ports: Postgres 55432 (CLUSTER_PG_PORT); frontend
# gRPC 7400 (CLUSTER_PORT), history/matching/worker +1..+3, membership +10..+13, frontend HTTP +20.
# The same server version and schema steps as docker-compose.yml (keep them in step).
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_VERSION=v1.32.2
# v1.32.2's go.mod asks for go >= 1.26.10; GOTOOLCHAIN fetches that toolchain from the module proxy.
BUILD_TOOLCHAIN=${CLUSTER_GOTOOLCHAIN:-go1.26.10}
BASE=${CLUSTER_DIR:-$PWD/.tools/cluster}
BIN=${CLUSTER_BIN:-$BASE/bin}
PGHOST_TCP=${CLUSTER_PG_HOST:-127.0.0.1}   # set: an external PostgreSQL (its superuser is temporal/temporal)
PGBIN=${CLUSTER_PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${CLUSTER_PG_PORT:-55432}
FP=${CLUSTER_PORT:-7400}
PG_OS_USER=postgres                       # initdb and postgres refuse to run as root
CLI=${TEMPORAL_CLI:-$(cat .tools/temporal-cli.path 2>/dev/null || echo .tools/temporal/temporal)}
PGDATA=$BASE/pg/data PGSOCK=$BASE/pg/sock CONF=$BASE/config RUN=$BASE/run
SERVICES=(history matching frontend worker)  # history first: the frontend waits for its shards

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi; }
psql_admin() {
  if [ -n "${CLUSTER_PG_HOST:-}" ]; then PGPASSWORD=temporal psql -h "$PGHOST_TCP" -p "$PGPORT" -U temporal -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"
  else "$PGBIN/psql" -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; fi
}
say() { echo "cluster: $*"; }

build() {
  if [ -x "$BIN/temporal-server" ] && [ -x "$BIN/temporal-sql-tool" ] &&
     "$BIN/temporal-server" --version 2>/dev/null | grep -q "${TEMPORAL_VERSION#v}"; then
    say "temporal-server $TEMPORAL_VERSION already built in $BIN"; return
  fi
  mkdir -p "$BIN"
  local t0=$SECONDS
  for pkg in cmd/server cmd/tools/sql; do
    GOTOOLCHAIN=$BUILD_TOOLCHAIN GOBIN=$BIN go install "go.temporal.io/server/$pkg@$TEMPORAL_VERSION"
  done
  mv -f "$BIN/server" "$BIN/temporal-server"
  mv -f "$BIN/sql" "$BIN/temporal-sql-tool"
  say "built $("$BIN/temporal-server" --version) in $((SECONDS - t0)) s"
}

postgres_up() {
  mkdir -p "$RUN"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA" "$PGSOCK"
    [ "$(id -u)" = 0 ] && chown -R "$PG_OS_USER" "$BASE/pg"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$BASE/pg/postgres.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGSOCK -c max_connections=300" start >/dev/null
  fi
  [ "$(psql_admin "SELECT count(*) FROM pg_roles WHERE rolname = 'temporal'")" = 1 ] ||
    psql_admin "CREATE ROLE temporal LOGIN CREATEDB PASSWORD 'temporal'"
}

# The schema steps of Temporal's own auto-setup: create the database and setup-schema 0.0 once, then
# update-schema to the versions this release ships (a no-op when already there).
schema() {
  local tool=("$BIN/temporal-sql-tool" --plugin postgres12 --endpoint "$PGHOST_TCP" --port "$PGPORT" --user temporal --password temporal)
  local db dir
  for db in temporal temporal_visibility; do
    dir=temporal; [ "$db" = temporal_visibility ] && dir=visibility
    if [ "$(psql_admin "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
      "${tool[@]}" --database "$db" create-database >>"$RUN/schema.log" 2>&1
      "${tool[@]}" --database "$db" setup-schema -v 0.0 >>"$RUN/schema.log" 2>&1
    fi
    "${tool[@]}" --database "$db" update-schema --schema-name "postgresql/v12/$dir" >>"$RUN/schema.log" 2>&1 ||
      { echo "cluster: schema update of $db failed; see $RUN/schema.log" >&2; exit 1; }
  done
}

write_config() {
  mkdir -p "$CONF" "$RUN"
  # Dynamic config: worker deployment versions (Worker Deployment versioning, default on in 1.32; set
  # so a downgrade of the default cannot silently turn it off), updates, and search attributes read
  # through the cache so the ones registered at start are usable at once.
  cat >"$CONF/dynamicconfig.yaml" <<'YAML'
system.enableDeploymentVersions:
  - value: true
frontend.workerVersioningWorkflowAPIs:
  - value: true
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
YAML
  local bind="bindOnLocalHost: true" broadcast=127.0.0.1
  # In a container: listen on every interface and announce the container's own address.
  [ -n "${CLUSTER_PG_HOST:-}" ] && { bind="bindOnIP: 0.0.0.0"; broadcast=$(hostname -i | cut -d' ' -f1); }
  local sql="pluginName: postgres12, connectAddr: \"$PGHOST_TCP:$PGPORT\", connectProtocol: tcp, user: temporal, password: temporal, maxConnLifetime: 1h"
  cat >"$CONF/temporal.yaml" <<YAML
log: {stdout: true, level: warn}
persistence:
  defaultStore: main
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    main: {sql: {$sql, databaseName: temporal, maxConns: 20, maxIdleConns: 20}}
    visibility: {sql: {$sql, databaseName: temporal_visibility, maxConns: 10, maxIdleConns: 10}}
global:
  membership: {maxJoinDuration: 30s, broadcastAddress: $broadcast}
services:
  frontend: {rpc: {grpcPort: $FP, membershipPort: $((FP + 10)), httpPort: $((FP + 20)), $bind}}
  history: {rpc: {grpcPort: $((FP + 1)), membershipPort: $((FP + 11)), $bind}}
  matching: {rpc: {grpcPort: $((FP + 2)), membershipPort: $((FP + 12)), $bind}}
  worker: {rpc: {grpcPort: $((FP + 3)), membershipPort: $((FP + 13)), $bind}}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: local
  currentClusterName: local
  clusterInformation:
    local: {enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "$broadcast:$FP", httpAddress: "$broadcast:$((FP + 20))"}
dcRedirectionPolicy: {policy: noop}
archival: {history: {state: disabled}, visibility: {state: disabled}}
namespaceDefaults: {archival: {history: {state: disabled}, visibility: {state: disabled}}}
dynamicConfigClient: {filepath: "$CONF/dynamicconfig.yaml", pollInterval: 10s}
YAML
}

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_service() {
  running "$1" && return
  nohup "$BIN/temporal-server" --config-file "$CONF/temporal.yaml" --allow-no-auth start --service "$1" \
    >>"$RUN/$1.log" 2>&1 &
  echo $! >"$RUN/$1.pid"
}

stop_service() {
  [ -f "$RUN/$1.pid" ] || return 0
  local pid; pid=$(cat "$RUN/$1.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    say "stopped $1 ($pid)"
  fi
  rm -f "$RUN/$1.pid"
}

wait_healthy() {
  local t0=$SECONDS s
  until "$CLI" operator cluster health --address "127.0.0.1:$FP" >/dev/null 2>&1; do
    (( SECONDS - t0 > 180 )) && { echo "cluster: frontend not healthy after 180 s; see $RUN/*.log" >&2; exit 1; }
    for s in "${SERVICES[@]}"; do running "$s" || { echo "cluster: $s exited: $(tail -3 "$RUN/$s.log")" >&2; exit 1; }; done
    sleep 1
  done
}

# `name=Type` for every search attribute the bridge uses, from its own list (src/temporal/search-attributes.ts).
search_attributes() {
  node --import tsx -e "import('./src/temporal/search-attributes.ts').then((m) => console.log(m.DEV_SERVER_SEARCH_ATTRIBUTE_FLAGS.filter((f) => f !== '--search-attribute').join(' ')))"
}

register() {
  local ns=(--address "127.0.0.1:$FP" --namespace default) t0=$SECONDS
  until "$CLI" operator namespace describe "${ns[@]}" >/dev/null 2>&1; do
    "$CLI" operator namespace create "${ns[@]}" --retention 72h >/dev/null 2>&1 || sleep 1
    (( SECONDS - t0 > 120 )) && { echo "cluster: could not create namespace default" >&2; exit 1; }
  done
  local args=() pair
  for pair in $(search_attributes); do args+=(--name "${pair%%=*}" --type "${pair#*=}"); done
  # A namespace just created is described at once but reaches the services' namespace cache only on
  # its next refresh (seconds): until then the search-attribute calls answer "Namespace default is
  # not found". Retry until every attribute is listed.
  t0=$SECONDS
  for (( ; ; )); do
    local have missing=0; have=$("$CLI" operator search-attribute list "${ns[@]}" 2>/dev/null || true)
    for pair in $(search_attributes); do grep -q "${pair%%=*}" <<<"$have" || missing=1; done
    [ "$missing" = 0 ] && [ -n "$have" ] && return 0
    "$CLI" operator search-attribute create "${ns[@]}" "${args[@]}" >/dev/null 2>&1 || sleep 2
    (( SECONDS - t0 > 120 )) && { echo "cluster: could not register the search attributes in namespace default" >&2; exit 1; }
  done
}

start() {
  [ -x "$BIN/temporal-server" ] || { echo "cluster: not built; run: npm run cluster -- build" >&2; exit 1; }
  postgres_up
  schema
  write_config
  local s; for s in "${SERVICES[@]}"; do start_service "$s"; done
  wait_healthy
  register
  say "Temporal $TEMPORAL_VERSION (frontend, history, matching, worker) on 127.0.0.1:$FP; PostgreSQL on 127.0.0.1:$PGPORT"
}

status() {
  local s; for s in "${SERVICES[@]}"; do
    if running "$s"; then echo "$s up ($(cat "$RUN/$s.pid"))"; else echo "$s down"; fi
  done
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status 2>/dev/null | head -1 || echo "postgres down"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  restart) [[ " ${SERVICES[*]} " == *" ${2:-} "* ]] || { echo "usage: $0 restart frontend|history|matching|worker" >&2; exit 2; }
           stop_service "$2"; start_service "$2"; wait_healthy; say "restarted $2" ;;
  stop) for s in frontend worker matching history; do stop_service "$s"; done
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 && say "stopped postgres" || true ;;
  status) status ;;
  serve) mkdir -p "$RUN"; schema; write_config
         exec "$BIN/temporal-server" --config-file "$CONF/temporal.yaml" --allow-no-auth start ;;
  *) echo "usage: $0 build | start | restart <service> | stop | status | serve" >&2; exit 2 ;;
esac
