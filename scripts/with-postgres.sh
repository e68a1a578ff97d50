#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: installs Debian's `postgresql` if missing,
# starts a cluster in a temporary directory listening only on a Unix socket there (no TCP port to
# collide with), exports GENTUTOR_TEST_PG_URL, runs "$@", and stops and deletes the cluster
# whatever the command's outcome. Usage: scripts/with-postgres.sh cargo test -p gentutor-server
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  echo "with-postgres: installing Debian's postgresql (once)" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(pg_bin)"
# initdb refuses root: run the cluster as the `postgres` user when we are root, else as ourselves.
if [ "$(id -u)" -eq 0 ]; then
  AS=(runuser -u postgres --)
  OWNER=postgres
else
  AS=()
  OWNER="$(id -un)"
fi
DIR="$(mktemp -d /tmp/gentutor-pg.XXXXXX)"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"
stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >"$DIR/initdb.log" 2>&1 || {
  cat "$DIR/initdb.log" >&2
  exit 1
}
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -o "-k $DIR -h '' -c max_connections=200 -c fsync=on" -l "$DIR/log" -w start >/dev/null || {
  cat "$DIR/log" >&2
  exit 1
}
export GENTUTOR_TEST_PG_URL="postgresql://postgres@localhost/postgres?host=$DIR"
echo "with-postgres: cluster on $DIR (GENTUTOR_TEST_PG_URL set)" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
