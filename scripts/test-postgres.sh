#!/usr/bin/env bash
# Runs the test suite against a throwaway PostgreSQL cluster: `scripts/test-postgres.sh [pytest args]`.
#
# The cluster lives in a temporary directory, listens on a free port of 127.0.0.1 only, and is stopped
# and deleted on exit, whatever happened. If PostgreSQL cannot be started, the run is skipped with a
# loud warning, or fails when CI=true. PG_BINDIR overrides where the server binaries are looked for.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
    if [[ "${CI:-}" == "true" ]]; then
        echo "ERROR: PostgreSQL could not be started, and CI=true requires the PostgreSQL run: $1" >&2
        exit 1
    fi
    {
        echo
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo "!!! PostgreSQL run SKIPPED: $1"
        echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        echo
    } >&2
    exit 0
}

# --- Find the server binaries ---------------------------------------------------------------------
find_bindir() {
    local dir candidates
    if [[ -n "${PG_BINDIR:-}" ]]; then
        candidates=("$PG_BINDIR")
    else
        candidates=(/usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)"
            $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV))
    fi
    for dir in "${candidates[@]}"; do
        if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}
BINDIR=$(find_bindir) ||
    skip "no PostgreSQL server binaries (initdb, pg_ctl) in ${PG_BINDIR:-/usr/lib/postgresql/*/bin};
install the server: apt-get install postgresql"

# --- PostgreSQL refuses to run as root: run the server as the postgres user then -----------------
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no 'postgres' user to run the server"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/sdelka-pg.XXXXXX")
DATA="$PGTMP/data"
SOCKETS="$PGTMP/sockets"
LOG="$PGTMP/server.log"
started=false

cleanup() {
    if $started; then
        as_pg "$BINDIR/pg_ctl" stop -D "$DATA" -m immediate -s >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 700 "$PGTMP"
mkdir -m 700 "$SOCKETS"
if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres: "$PGTMP"
fi

# C.UTF-8 keeps upper()/lower() and case-insensitive lookups right for Cyrillic text.
locale_opt=(--locale=C.UTF-8)
if ! locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    locale_opt=(--no-locale)
fi

# The server's working directory must be one the postgres user can enter.
if ! (cd "$PGTMP" && as_pg "$BINDIR/initdb" -D "$DATA" --username=postgres --auth=trust \
    --encoding=UTF8 "${locale_opt[@]}" >"$PGTMP/initdb.log" 2>&1); then
    cat "$PGTMP/initdb.log" >&2
    skip "initdb failed (see its output above)"
fi

cat >>"$DATA/postgresql.conf" <<EOF

# Throwaway cluster for the Sdelka test suite: speed over durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKETS'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Another program may take the free port before the server binds it: try a few ports.
for attempt in 1 2 3; do
    PORT=$(free_port)
    if (cd "$PGTMP" && as_pg "$BINDIR/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 -s -o "-p $PORT"); then
        started=true
        break
    fi
    echo "PostgreSQL did not start on port $PORT (attempt $attempt):" >&2
    tail -n 20 "$LOG" >&2 || true
done
$started || skip "the server did not start (its log is above)"

if ! "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres sdelka; then
    skip "could not create the database 'sdelka'"
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/sdelka"
echo "Throwaway $("$BINDIR/postgres" --version) on 127.0.0.1:$PORT, data in $DATA"

status=0
.venv/bin/pytest "$@" || status=$?
exit "$status"
