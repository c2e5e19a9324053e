# Shell functions that install and start the real engines tests need.
# Sourced by .ci/run and .ci/eval-search; every function is idempotent.

apt_install() {
  # Install Debian packages that are missing (CI runs as root).
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# start_postgres DBNAME: start Debian's PostgreSQL, create a login role and print a DATABASE_URL.
start_postgres() {
  local dbname=$1
  apt_install postgresql >&2
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q" && break
    sleep 1
  done
  su postgres -c "psql -q" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cms_ci') THEN
    CREATE ROLE cms_ci LOGIN PASSWORD 'cms_ci' CREATEDB;
  END IF;
END $$;
SQL
  echo "postgres://cms_ci:cms_ci@127.0.0.1:5432/${dbname}"
}

# start_opensearch: build (Maven Central) and start the embedded OpenSearch node; print SEARCH_URL.
start_opensearch() {
  .ci/opensearch/opensearch.sh start >&2
  echo "opensearch2://127.0.0.1:${OPENSEARCH_PORT:-9200}"
}

# start_redis: start Debian's redis-server (no persistence) on REDIS_PORT; print a CACHE_URL.
start_redis() {
  local port=${REDIS_PORT:-6390}
  apt_install redis-server >&2
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >&2
  fi
  for _ in $(seq 1 30); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  redis-cli -p "$port" ping >/dev/null
  echo "redis://127.0.0.1:${port}/0"
}
