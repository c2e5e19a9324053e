# The production-like stack of `make serve-prod` (issue 13): how each part starts, stops and
# fails. Sourced by .ci/prod/serve, .ci/prod/stop and .ci/prod/ctl (which .ci/prod/chaos.py
# calls to break and mend parts). Every start is idempotent; everything lives in $PROD_DIR.
#
#   127.0.0.1:18080  HAProxy -> app servers 127.0.0.1:18081, 18082 (gunicorn, 2 workers each)
#   127.0.0.1:9219   HAProxy -> OpenSearch nodes prod-1..3 (HTTP 9210-9212, transport 9310-9312)
#   127.0.0.1:18089  HAProxy's statistics (;csv for scripts)
#   127.0.0.1:6391   Redis (no persistence)
#   127.0.0.1:5442   PostgreSQL, its own cluster in $PROD_DIR/pg (socket there too)
#   db_worker + search_index_worker: the task worker and the search retries
# Ports other engineers' runs use are left alone: Redis 6390, OpenSearch 9200/9300,
# PostgreSQL 5432, Lighthouse 18997.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROD_DIR=${PROD_DIR:-/tmp/cms-prod}
# What the app servers and workers run: a `git archive` of HEAD (make_release), not the
# checkout, whose files others may be editing while a recycled worker imports them.
RELEASE=$PROD_DIR/release
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)/bin}
PG_PORT=5442
REDIS_PORT_PROD=6391
LB_PORT=18080
APP_PORTS=(18081 18082)
STATS_PORT=18089
SEARCH_LB_PORT=9219
OS_HTTP_PORTS=(9210 9211 9212)
OS_TRANSPORT_PORTS=(9310 9311 9312)
# Three JVMs on one machine: a small heap each (ENGINES.md).
OS_JAVA_OPTS=${PROD_OPENSEARCH_JAVA_OPTS:--Xms256m -Xmx512m}
APP_WORKERS=${PROD_APP_WORKERS:-2}

# shellcheck source=../engines.sh
source "$REPO/.ci/engines.sh"

say() { printf 'prod: %s\n' "$*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      say "$what: not ready after ${seconds}s"
      return 1
    fi
    sleep 0.5
  done
}

# --- environment of every Django process ------------------------------------------------

write_env() {
  mkdir -p "$PROD_DIR"
  [ -f "$PROD_DIR/env" ] && return 0
  local secret
  secret=$("$REPO/.venv/bin/python" -c "import secrets; print(secrets.token_urlsafe(64))")
  cat >"$PROD_DIR/env" <<EOF
# Written once by .ci/prod/serve: the environment of the app servers and the worker.
export DJANGO_SETTINGS_MODULE=cms.settings.production
export SECRET_KEY='$secret'
export ALLOWED_HOSTS=.localhost,localhost,127.0.0.1
export SECURE_SSL_REDIRECT=false  # plain HTTP on 127.0.0.1: no TLS proxy here (as .ci/lighthouse)
export DATABASE_URL=postgres://cms:cms@127.0.0.1:$PG_PORT/cms
export CACHE_URL=redis://127.0.0.1:$REDIS_PORT_PROD/0
export SEARCH_URL=opensearch2://127.0.0.1:$SEARCH_LB_PORT
export SEARCH_INDEX_PREFIX=prod_
export TASKS_BACKEND=database
export MEDIA_ROOT=$PROD_DIR/media STATIC_ROOT=$PROD_DIR/static
export FORWARDED_ALLOW_IPS=127.0.0.1
# HAProxy sends X-Forwarded-For: the sign-in throttle and rate limit read the client there.
export TRUSTED_PROXIES=127.0.0.1
# The task worker gives back its analysis tables after this many idle seconds (60; CI's short
# form serves with 15, so that its after-the-run memory reading waits less).
export TASK_WORKER_RELEASE_AFTER_IDLE=${TASK_WORKER_RELEASE_AFTER_IDLE:-60}
EOF
}

load_env() {
  # shellcheck disable=SC1091
  source "$PROD_DIR/env"
}

manage() { (cd "$RELEASE" && load_env && .venv/bin/python manage.py "$@"); }

# The release: HEAD's files (committed changes only), the checkout's virtualenv, the
# compiled catalogues. Replaced only while no app server or worker runs from it.
make_release() {
  local running="" name
  for name in app-1 app-2 "${WORKERS[@]}"; do alive "$PROD_DIR/$name.pid" && running+=" $name"; done
  if [ -n "$running" ] && [ -f "$RELEASE/REVISION" ]; then
    say "release $(cat "$RELEASE/REVISION") kept:$running still run from it"
    return 0
  fi
  rm -rf "$RELEASE.new"
  mkdir -p "$RELEASE.new"
  git -C "$REPO" archive HEAD | tar -x -C "$RELEASE.new"
  ln -s "$REPO/.venv" "$RELEASE.new/.venv"
  (cd "$RELEASE.new" && ./.venv/bin/pybabel compile --domain django --directory locale &&
    ./.venv/bin/pybabel compile --domain django --directory locale/_wagtail &&
    ./.venv/bin/pybabel compile --domain djangojs --directory locale/_wagtail) >/dev/null 2>&1  # make messages
  git -C "$REPO" rev-parse --short HEAD >"$RELEASE.new/REVISION"
  rm -rf "$RELEASE"
  mv "$RELEASE.new" "$RELEASE"
  say "release $(cat "$RELEASE/REVISION") in $RELEASE (git archive HEAD)"
}

# --- PostgreSQL: its own cluster, owned by the postgres user ----------------------------

pg() { su postgres -c "$*"; }
pg_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

start_pg() {
  apt_install postgresql >&2
  local data=$PROD_DIR/pg/data
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$PROD_DIR/pg" && chown postgres: "$PROD_DIR/pg"
    say "initdb $data"
    pg "$PG_BIN/initdb -D $data -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8" >"$PROD_DIR/pg/initdb.log" 2>&1
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PROD_DIR/pg'
shared_buffers = 128MB
max_connections = 100
fsync = on
EOF
  fi
  if ! pg_up; then
    pg "$PG_BIN/pg_ctl -D $data -l $PROD_DIR/pg/postgres.log -w -t 60 start" >/dev/null
  fi
  pg "psql -q -h $PROD_DIR/pg -p $PG_PORT -d postgres" >/dev/null <<'SQL'
SELECT 'CREATE ROLE cms LOGIN PASSWORD ''cms'''
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cms')\gexec
SELECT 'CREATE DATABASE cms OWNER cms'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'cms')\gexec
SQL
  say "PostgreSQL on 127.0.0.1:$PG_PORT ($PROD_DIR/pg)"
}

# A planned restart, as an operator does it: a CHECKPOINT first, so the one at shutdown has
# little left to write (after the demo load it took 3.4 s, then requests failed meanwhile).
restart_pg() {
  pg "psql -q -h $PROD_DIR/pg -p $PG_PORT -d postgres -c CHECKPOINT" >/dev/null
  pg "$PG_BIN/pg_ctl -D $PROD_DIR/pg/data -m fast -w -t 60 restart" >/dev/null
}

stop_pg() {
  [ -f "$PROD_DIR/pg/data/postmaster.pid" ] || return 0
  pg "$PG_BIN/pg_ctl -D $PROD_DIR/pg/data -m fast -w -t 60 stop" >/dev/null 2>&1 || true
}

# --- Redis ----------------------------------------------------------------------------------

redis_up() { redis-cli -p "$REDIS_PORT_PROD" ping 2>/dev/null | grep -q PONG; }

start_redis_prod() {
  apt_install redis-server >&2
  mkdir -p "$PROD_DIR/redis"
  if ! redis_up; then
    redis-server --port "$REDIS_PORT_PROD" --bind 127.0.0.1 --save '' --appendonly no \
      --maxmemory 256mb --maxmemory-policy allkeys-lru --dir "$PROD_DIR/redis" \
      --pidfile "$PROD_DIR/redis/redis.pid" --logfile "$PROD_DIR/redis/redis.log" --daemonize yes
  fi
  wait_for 15 Redis redis_up
}

stop_redis_prod() {
  redis_up || return 0
  redis-cli -p "$REDIS_PORT_PROD" shutdown nosave >/dev/null 2>&1 || true
  local i
  for i in $(seq 20); do redis_up || return 0; sleep 0.25; done
}

# --- OpenSearch: the embedded node of .ci/opensearch, three times, one cluster ----------

os_node() {  # os_node N COMMAND [settings...]: .ci/opensearch/opensearch.sh for node N (1-3)
  local n=$1 command=$2
  shift 2
  local seeds="" port
  for port in "${OS_TRANSPORT_PORTS[@]}"; do seeds+="${seeds:+,}127.0.0.1:$port"; done
  local settings=()
  if [ "$command" = start ]; then
    settings=(
      cluster.name=cms-prod node.name="prod-$n"
      discovery.type=zen  # instead of the single-node default of OpenSearchNode.java
      discovery.seed_hosts="$seeds"
      cluster.initial_cluster_manager_nodes=prod-1,prod-2,prod-3
      transport.port="${OS_TRANSPORT_PORTS[$((n - 1))]}"
      "$@"
    )
  fi
  OPENSEARCH_HOME=$PROD_DIR/os/node-$n OPENSEARCH_PORT=${OS_HTTP_PORTS[$((n - 1))]} \
    OPENSEARCH_JAVA_OPTS=$OS_JAVA_OPTS OPENSEARCH_START_TIMEOUT=${OPENSEARCH_START_TIMEOUT:-240} \
    "$REPO/.ci/opensearch/opensearch.sh" "$command" "${settings[@]}"
}

os_health() {  # the cluster's status as one node sees it (green/yellow/red), or nothing
  curl -fsS --max-time 3 "http://127.0.0.1:${1:-$SEARCH_LB_PORT}/_cat/health?h=status" 2>/dev/null |
    tr -d ' \n'
}

start_os_cluster() {
  # Build once, then the three nodes side by side: a lone fresh node waits for a quorum.
  local dir=$REPO/.ci/opensearch
  if [ ! -f "$dir/target/.build-stamp" ] || [ "$dir/pom.xml" -nt "$dir/target/.build-stamp" ] ||
    [ -n "$(find "$dir/src" -newer "$dir/target/.build-stamp" -type f -print -quit)" ]; then
    "$dir/opensearch.sh" build
  fi
  local n pids=() status=0
  for n in 1 2 3; do
    os_node "$n" start >"$PROD_DIR/os-start-$n.log" 2>&1 &
    pids+=($!)
  done
  for n in 1 2 3; do
    wait "${pids[$((n - 1))]}" || { status=1; say "node prod-$n failed:"; tail -20 "$PROD_DIR/os-start-$n.log" >&2; }
  done
  return $status
}

start_os_node() { os_node "$1" start >"$PROD_DIR/os-start-$1.log" 2>&1 || { tail -20 "$PROD_DIR/os-start-$1.log" >&2; return 1; }; }

kill_os_node() {  # SIGKILL: a crash, not a shutdown
  local pidfile=$PROD_DIR/os/node-$1/opensearch.pid
  alive "$pidfile" && kill -9 "$(cat "$pidfile")"
  rm -f "$pidfile"
}

stop_os_cluster() {
  local n
  for n in 1 2 3; do os_node "$n" stop >/dev/null 2>&1 & done
  wait
}

# Indices with one replica (also OpenSearch's default), whatever creates them: a template.
os_template() {
  curl -fsS --max-time 10 -X PUT -H 'Content-Type: application/json' \
    "http://127.0.0.1:${OS_HTTP_PORTS[0]}/_index_template/cms-prod" \
    -d '{"index_patterns": ["prod_*"], "priority": 10,
         "template": {"settings": {"number_of_shards": 1, "number_of_replicas": 1}}}' >/dev/null
}

# --- app servers, the task worker, the load balancer -----------------------------------

app_up() { curl -fs -o /dev/null --max-time 3 "http://127.0.0.1:${APP_PORTS[$(($1 - 1))]}/health/"; }

start_app() {
  local n=$1 port=${APP_PORTS[$(($1 - 1))]}
  alive "$PROD_DIR/app-$n.pid" && return 0
  # setsid: a process group of its own (master and workers), so a crash can be played
  # by killing the group, and ^C in the caller's terminal leaves it alone.
  (cd "$RELEASE" && load_env && GUNICORN_BIND=127.0.0.1:$port WEB_CONCURRENCY=$APP_WORKERS \
    exec setsid .venv/bin/gunicorn -c python:cms.gunicorn_conf --pid "$PROD_DIR/app-$n.pid" \
    cms.wsgi >>"$PROD_DIR/app-$n.log" 2>&1 </dev/null) &
  wait_for 60 "app server $n" app_up "$n"
}

kill_app() {  # SIGKILL to the master and its workers: the machine or the process died
  local pidfile=$PROD_DIR/app-$1.pid
  alive "$pidfile" && kill -9 -- "-$(cat "$pidfile")"
  rm -f "$pidfile"
}

stop_app() {
  local pidfile=$PROD_DIR/app-$1.pid
  alive "$pidfile" || return 0
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# The task worker of `make worker` (db_worker) and, with an engine, the search retries;
# each under a loop that starts it again when it exits, as systemd's Restart=always would
# (db_worker exits when its database connection fails). The loop's pid is $name.pid (its
# process group holds both), the Python process's $name.child.
WORKERS=(db_worker search_index_worker)

start_workers() {
  local name
  for name in "${WORKERS[@]}"; do
    alive "$PROD_DIR/$name.pid" && continue
    (cd "$RELEASE" && load_env && exec setsid bash -c '
      while :; do
        .venv/bin/python manage.py "$1" & echo $! >"$2.child"
        wait $!
        echo "prod: $1 exited ($?), starting it again in 1 s"
        sleep 1
      done' _ "$name" "$PROD_DIR/$name" >>"$PROD_DIR/$name.log" 2>&1 </dev/null) &
    echo $! >"$PROD_DIR/$name.pid"
  done
}

stop_workers() {
  local name pid
  for name in "${WORKERS[@]}"; do
    alive "$PROD_DIR/$name.pid" || continue
    pid=$(cat "$PROD_DIR/$name.pid")
    kill -TERM -- "-$pid"
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 -- "-$pid" 2>/dev/null || true
    rm -f "$PROD_DIR/$name.pid" "$PROD_DIR/$name.child"
  done
}

write_haproxy_cfg() {
  local n
  {
    cat <<EOF
# Written by .ci/prod/serve. Two app servers and the search cluster behind one HAProxy.
global
    maxconn 2000
    pidfile $PROD_DIR/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 35s  # above gunicorn's 30 s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout check 10s  # a probe waits behind busy sync workers
    option http-keep-alive
    # A request that could not reach a server, or got nothing back, goes to the other one;
    # only idempotent requests (below) are sent again after they reached a server.
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 502 503 504

frontend web
    bind 127.0.0.1:$LB_PORT
    http-request disable-l7-retry unless METH_GET or METH_HEAD
    http-request set-header X-Forwarded-Proto http
    option forwardfor
    default_backend apps

backend apps
    balance leastconn
    # Readiness, not liveness: a server without its database gets no traffic.
    option httpchk
    http-check send meth GET uri /ready/ ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    # As many requests at once as a server has workers (sync: one each); the rest wait
    # here, where a dead server's queue can go to the other one.
    # A refused connection takes a server out at once; a slow probe (behind busy workers
    # on a loaded machine) only after 3 in a row.
    default-server check inter 2s fall 3 rise 2 maxconn $APP_WORKERS observe layer4 error-limit 1 on-error mark-down
EOF
    for n in 1 2; do echo "    server app-$n 127.0.0.1:${APP_PORTS[$((n - 1))]}"; done
    cat <<EOF

frontend search
    bind 127.0.0.1:$SEARCH_LB_PORT
    # Searches and counts are POSTs that change nothing: sent again to another node when the
    # one they reached died under them (chaos: 1 search of 154 answered degraded without).
    http-request disable-l7-retry unless METH_GET or METH_HEAD or { path_end -m str /_search /_count /_msearch }
    default_backend opensearch

backend opensearch
    balance roundrobin
    option httpchk
    http-check send meth GET uri /_cluster/health?local=true ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2
EOF
    for n in 1 2 3; do echo "    server prod-$n 127.0.0.1:${OS_HTTP_PORTS[$((n - 1))]}"; done
    cat <<EOF

frontend stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /
EOF
  } >"$PROD_DIR/haproxy.cfg"
}

start_haproxy() {
  apt_install haproxy >&2
  write_haproxy_cfg
  haproxy -c -q -f "$PROD_DIR/haproxy.cfg" >&2
  if alive "$PROD_DIR/haproxy.pid"; then
    haproxy -D -f "$PROD_DIR/haproxy.cfg" -sf "$(cat "$PROD_DIR/haproxy.pid")"  # reload
  else
    haproxy -D -f "$PROD_DIR/haproxy.cfg"
  fi
}

stop_haproxy() {
  alive "$PROD_DIR/haproxy.pid" && kill "$(cat "$PROD_DIR/haproxy.pid")"
  rm -f "$PROD_DIR/haproxy.pid"
}

lb_ready() { curl -fs -o /dev/null --max-time 5 -H 'Host: localhost' "http://127.0.0.1:$LB_PORT/ready/"; }
