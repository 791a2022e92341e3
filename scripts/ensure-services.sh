#!/usr/bin/env bash
# Make sure the test suite has what it needs on this machine: Debian's chromium for the browser
# tests and a PostgreSQL server for the PostgreSQL run. Uses the services that already answer;
# installs and starts them from Debian's packages when they do not. Writes the PostgreSQL URL to $1.
set -euo pipefail
out=${1:-var/postgres-url}
mkdir -p "$(dirname "$out")"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt_install chromium
fi

# 1. A server that already answers on 127.0.0.1:5432 with trust authentication.
if command -v psql >/dev/null 2>&1 && psql "postgresql://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
  echo "postgresql://postgres@127.0.0.1:5432/ris3hub" > "$out"
  exit 0
fi

# 2. Otherwise Debian's postgresql, reached through its socket as a role named after this user.
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing Debian's postgresql for the PostgreSQL test run" >&2
  apt_install postgresql
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
if [ -z "$version" ]; then
  $sudo pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
fi
$sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h /var/run/postgresql && break
  sleep 1
done
user=$(id -un)
if ! $sudo runuser -u postgres -- psql -Atqc "select 1 from pg_roles where rolname='$user'" | grep -q 1; then
  $sudo runuser -u postgres -- createuser --superuser "$user"
fi
echo "postgresql://$user@/ris3hub?host=/var/run/postgresql" > "$out"
