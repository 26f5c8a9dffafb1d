#!/usr/bin/env bash
# Starts the Redis and PostgreSQL servers the store tests run against, on
# 127.0.0.1, installing them with apt-get when missing. Idempotent: a server
# that already answers is left alone, so a second run takes well under a second.
#
#   source .ci/services.sh      # exports REDIS_URL and POSTGRES_URL
#   eval "$(.ci/services.sh)"   # same, from a child shell: prints `export …` lines
#
# Ports: TINKER_REDIS_PORT (6379), TINKER_POSTGRES_PORT (the cluster's, usually 5432).
# Database, user and password for tests: tinker_test / tinker / tinker.
# Progress goes to stderr; stdout carries only the `export` lines.

tinker_services() {
  local redis_port="${TINKER_REDIS_PORT:-6379}"
  local pg_db=tinker_test pg_user=tinker pg_password=tinker
  local sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo -n); fi
  _tinker_log() { printf 'services: %s\n' "$*" >&2; }

  # --- install what is missing -------------------------------------------------
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    _tinker_log "installing ${missing[*]} with apt-get"
    "${sudo_cmd[@]}" apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >&2 || return 1
  fi

  # --- Redis -------------------------------------------------------------------
  if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
    _tinker_log "redis already answers on 127.0.0.1:$redis_port"
  else
    _tinker_log "starting redis on 127.0.0.1:$redis_port"
    # NOTE: no service manager in containers (policy-rc.d denies it); run the daemon directly.
    "${sudo_cmd[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes \
      --save '' --appendonly no --logfile /tmp/tinker-redis.log >&2 || return 1
    local i
    for i in $(seq 1 50); do
      redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG || { _tinker_log "redis did not start (see /tmp/tinker-redis.log)"; return 1; }
  fi

  # --- PostgreSQL --------------------------------------------------------------
  local cluster version name port
  cluster="$(pg_lsclusters -h 2>/dev/null | head -n 1)"
  if [ -z "$cluster" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    _tinker_log "creating PostgreSQL $version cluster main"
    "${sudo_cmd[@]}" pg_createcluster "$version" main >&2 || return 1
    cluster="$(pg_lsclusters -h | head -n 1)"
  fi
  read -r version name port _ <<<"$cluster"
  port="${TINKER_POSTGRES_PORT:-$port}"
  if pg_isready -q -h 127.0.0.1 -p "$port"; then
    _tinker_log "postgresql $version/$name already answers on 127.0.0.1:$port"
  else
    _tinker_log "starting postgresql $version/$name on 127.0.0.1:$port"
    # pg_ctlcluster runs the server as the postgres user, so this is safe as root.
    "${sudo_cmd[@]}" pg_ctlcluster "$version" "$name" start -- -o "-p $port -c listen_addresses=127.0.0.1" >&2 || return 1
    local j
    for j in $(seq 1 100); do
      pg_isready -q -h 127.0.0.1 -p "$port" && break
      sleep 0.1
    done
    pg_isready -q -h 127.0.0.1 -p "$port" || { _tinker_log "postgresql did not start"; return 1; }
  fi
  local psql_cmd=("${sudo_cmd[@]}" runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$port" -d postgres)
  [ "$(id -u)" = 0 ] || psql_cmd=(sudo -n -u postgres psql -q -v ON_ERROR_STOP=1 -p "$port" -d postgres)
  if ! "${psql_cmd[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$pg_user'" | grep -q 1; then
    _tinker_log "creating role $pg_user"
    # CREATEDB: each test file works in a database of its own.
    "${psql_cmd[@]}" -c "CREATE ROLE $pg_user LOGIN CREATEDB PASSWORD '$pg_password'" >&2 || return 1
  fi
  if ! "${psql_cmd[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$pg_user' AND rolcreatedb" | grep -q 1; then
    "${psql_cmd[@]}" -c "ALTER ROLE $pg_user CREATEDB" >&2 || return 1
  fi
  if ! "${psql_cmd[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$pg_db'" | grep -q 1; then
    _tinker_log "creating database $pg_db"
    "${psql_cmd[@]}" -c "CREATE DATABASE $pg_db OWNER $pg_user" >&2 || return 1
  fi

  REDIS_URL="redis://127.0.0.1:$redis_port"
  POSTGRES_URL="postgresql://$pg_user:$pg_password@127.0.0.1:$port/$pg_db"
  export REDIS_URL POSTGRES_URL
  printf 'export REDIS_URL=%s\n' "$REDIS_URL"
  printf 'export POSTGRES_URL=%s\n' "$POSTGRES_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  tinker_services
  exit $?
else
  # Sourced: export into the caller's shell, keep its options (no set -e here).
  tinker_services >/dev/null
  unset -f tinker_services _tinker_log
fi
