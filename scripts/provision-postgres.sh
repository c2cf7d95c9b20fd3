#!/usr/bin/env bash
# Make a PostgreSQL + PostGIS server reachable for Siaga 112 and print nothing but progress.
# Used by `make run` and `make test`. With SIAGA_DATABASE_URL set, it only checks that the
# server answers: the deployment owns that database. Otherwise it provisions a local one:
#   - a server already running on 127.0.0.1:5432 is used as it is (PostGIS added for its version);
#   - an installed but stopped cluster is started (as the postgres user: PostgreSQL refuses root);
#   - no server at all: the OS packages are installed and a cluster created.
# The local role `siaga` is a superuser of that loopback-only dev cluster, because the test suite
# creates a fresh database per run and PostGIS is not a trusted extension.
set -euo pipefail

log() { echo "[provision] $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ ! -f /tmp/.siaga-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.siaga-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
as_postgres() { as_root runuser -u postgres -- "$@"; }

if [ -n "${SIAGA_DATABASE_URL:-}" ]; then
  log "using SIAGA_DATABASE_URL; not provisioning a local server"
  exit 0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing PostgreSQL and PostGIS from the OS packages"
  apt_install postgresql postgresql-common
fi

version=$(pg_lsclusters -h 2>/dev/null | awk '$2=="main"{print $1; exit}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  log "creating cluster $version/main"
  as_root pg_createcluster "$version" main >/dev/null
fi

if ! dpkg -s "postgresql-$version-postgis-3" >/dev/null 2>&1; then
  log "installing postgresql-$version-postgis-3"
  apt_install "postgresql-$version-postgis-3"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting cluster $version/main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { log "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }

as_postgres psql -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -d postgres <<'SQL' >/dev/null
SELECT 'CREATE ROLE siaga LOGIN SUPERUSER PASSWORD ''siaga'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'siaga') \gexec
SELECT 'CREATE DATABASE siaga OWNER siaga'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'siaga') \gexec
SQL
log "PostgreSQL $version with PostGIS ready: postgresql://siaga@127.0.0.1:5432/siaga"
