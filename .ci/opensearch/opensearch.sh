#!/usr/bin/env bash
# Launcher for a real single-node OpenSearch 2.19 server built from Maven
# Central jars (no tarball, no Docker). See README.md next to this file.
#
#   opensearch.sh build              compile launcher + copy jars (mvn package)
#   opensearch.sh start [k=v ...]    build if needed, start in background, wait for health
#   opensearch.sh stop               stop the node started by `start`
#   opensearch.sh status             exit 0 if up and healthy, 1 if up but unhealthy, 3 if down
#   opensearch.sh clean              delete data/logs of a stopped node
#
# Env: OPENSEARCH_PORT (9200), OPENSEARCH_HOME (<this dir>/run),
#      OPENSEARCH_JAVA_OPTS (-Xms512m -Xmx1g), OPENSEARCH_START_TIMEOUT (120),
#      OPENSEARCH_JAVA (java from $JAVA_HOME or PATH), MVN (mvn).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${OPENSEARCH_PORT:-9200}"
HOME_DIR="${OPENSEARCH_HOME:-$DIR/run}"
JAVA_OPTS="${OPENSEARCH_JAVA_OPTS:--Xms512m -Xmx1g}"
TIMEOUT="${OPENSEARCH_START_TIMEOUT:-120}"
if [ -n "${OPENSEARCH_JAVA:-}" ]; then JAVA="$OPENSEARCH_JAVA"
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java; fi
MVN="${MVN:-mvn}"
MAIN=ci.opensearch.OpenSearchNode
PID_FILE="$HOME_DIR/opensearch.pid"
LOG_FILE="$HOME_DIR/opensearch.log"
STAMP="$DIR/target/.build-stamp"
URL="http://127.0.0.1:$PORT"

log() { echo "opensearch.sh: $*" >&2; }

build() {
    log "building launcher (mvn package)..."
    local out
    out="$(mktemp)"
    # Maven prints errors on stdout (and stray colour codes even with -q):
    # keep its output quiet unless the build fails.
    if ! (cd "$DIR" && "$MVN" -B -q package -DskipTests) > "$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        log "build failed"
        exit 1
    fi
    rm -f "$out"
    touch "$STAMP"
}

needs_build() {
    [ -f "$STAMP" ] && [ -d "$DIR/target/lib" ] || return 0
    [ "$DIR/pom.xml" -nt "$STAMP" ] && return 0
    [ -n "$(find "$DIR/src" -newer "$STAMP" -type f -print -quit)" ] && return 0
    return 1
}

# Prints the pid if the node started by this script is alive, else nothing.
running_pid() {
    [ -f "$PID_FILE" ] || return 0
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN"; then
        echo "$pid"
    fi
}

# One health probe: succeeds if the cluster is at least yellow.
healthy() {
    local body
    body="$(curl -fsS --max-time "${1:-5}" \
        "$URL/_cluster/health?wait_for_status=yellow&timeout=${2:-1s}" 2>/dev/null)" || return 1
    case "$body" in *'"timed_out":false'*) return 0 ;; *) return 1 ;; esac
}

# Wait until healthy, the process dies, or TIMEOUT seconds pass.
wait_healthy() {
    local pid="$1" start=$SECONDS
    while (( SECONDS - start < TIMEOUT )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "process $pid exited during startup"
            return 1
        fi
        healthy 5 1s && return 0
        sleep 1
    done
    log "not healthy after ${TIMEOUT}s"
    return 1
}

fail_with_log() {
    log "log tail ($LOG_FILE):"
    tail -n 60 "$LOG_FILE" >&2 2>/dev/null || true
    exit 1
}

start() {
    local pid
    pid="$(running_pid)"
    if [ -n "$pid" ]; then
        log "already running (pid $pid), checking health..."
        wait_healthy "$pid" || fail_with_log
        log "healthy at $URL"
        return 0
    fi
    rm -f "$PID_FILE"
    if curl -fsS --max-time 2 "$URL/" >/dev/null 2>&1; then
        log "port $PORT is already answering HTTP but not from a node started here ($PID_FILE); refusing to start"
        exit 1
    fi
    if needs_build; then build; fi
    mkdir -p "$HOME_DIR"
    log "starting OpenSearch on $URL (home $HOME_DIR, log $LOG_FILE)"
    local t0=$SECONDS
    # setsid: detach from the caller's process group so ^C in the caller's
    # terminal does not kill the node. Not a fork, so $! is the java pid.
    # shellcheck disable=SC2086
    OPENSEARCH_HOME="$HOME_DIR" OPENSEARCH_PORT="$PORT" nohup setsid "$JAVA" $JAVA_OPTS \
        -Dopensearch.set.netty.runtime.available.processors=false \
        -Dlog4j2.shutdownHookEnabled=false \
        -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        -cp "$DIR/target/classes:$DIR/target/lib/*" "$MAIN" "$@" \
        > "$LOG_FILE" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$PID_FILE"
    if ! wait_healthy "$pid"; then
        kill "$pid" 2>/dev/null || true
        rm -f "$PID_FILE"
        fail_with_log
    fi
    log "healthy at $URL after $((SECONDS - t0))s (pid $pid)"
}

stop() {
    local pid
    pid="$(running_pid)"
    if [ -z "$pid" ]; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    log "stopping pid $pid..."
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "still alive after 30s, sending SIGKILL"
        kill -9 "$pid" 2>/dev/null || true
        sleep 1
    fi
    rm -f "$PID_FILE"
    log "stopped"
}

status() {
    local pid
    pid="$(running_pid)"
    if [ -z "$pid" ]; then
        echo "not running"
        return 3
    fi
    if healthy 5 1s; then
        echo "running (pid $pid) at $URL: $(curl -fsS --max-time 5 "$URL/_cat/health?h=status" 2>/dev/null)"
        return 0
    fi
    echo "running (pid $pid) but $URL is not healthy; see $LOG_FILE"
    return 1
}

clean() {
    if [ -n "$(running_pid)" ]; then
        log "node is running; stop it first"
        exit 1
    fi
    rm -rf "$HOME_DIR/data" "$HOME_DIR/logs" "$HOME_DIR/config" \
        "$HOME_DIR/modules" "$HOME_DIR/plugins" "$LOG_FILE" "$PID_FILE"
    log "cleaned $HOME_DIR"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    build) build ;;
    start) start "$@" ;;
    stop) stop ;;
    restart) stop; start "$@" ;;
    status) status ;;
    clean) clean ;;
    *) echo "usage: $0 {build|start [setting=value ...]|stop|restart|status|clean}" >&2; exit 2 ;;
esac
