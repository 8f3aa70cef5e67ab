#!/usr/bin/env bash
# Serves Sdelka on http://127.0.0.1:8000 with gunicorn, plus the background worker when there is one.
# Called by `make run` after `make setup`; Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=127.0.0.1
PORT=8000
PY=.venv/bin/python

# SO_REUSEADDR as gunicorn does: only a live listener makes the port busy, not closing connections.
if ! "$PY" -c "import socket as so; s = so.socket(); s.setsockopt(so.SOL_SOCKET, so.SO_REUSEADDR, 1)
s.bind(('$HOST', $PORT))" 2>/dev/null; then
    echo "ERROR: $HOST:$PORT is already in use; stop whatever listens there and run 'make run' again." >&2
    exit 1
fi

# With no mail server configured, letters (mailing rules, e-mails written in the app) are printed here by the
# worker instead of failing against localhost:25; set EMAIL_HOST (or EMAIL_BACKEND) to send them for real.
if [[ -z "${EMAIL_HOST:-}" && -z "${EMAIL_BACKEND:-}" ]]; then
    export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
    echo "No EMAIL_HOST set: letters are printed to this terminal instead of being sent."
fi

# Creates demo data in an empty database, and always prints the demo logins.
"$PY" manage.py demo --if-empty

pids=()
stop_all() {
    trap - INT TERM EXIT
    if ((${#pids[@]})); then
        echo
        echo "Stopping Sdelka..."
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# Background jobs of a script ignore Ctrl+C, so stop_all sends them SIGTERM itself.
if "$PY" manage.py help worker >/dev/null 2>&1; then
    echo "Starting the background worker (manage.py worker)"
    "$PY" manage.py worker &
    pids+=($!)
fi

echo
echo "=============================================================================================="
echo "  Sdelka is running on http://$HOST:$PORT — log in with the users printed above; Ctrl+C stops it"
echo "=============================================================================================="
echo

.venv/bin/gunicorn config.wsgi --bind "$HOST:$PORT" --workers 2 --threads 4 --access-logfile - &
pids+=($!)

# Runs until Ctrl+C, or until gunicorn or the worker exits; then the EXIT trap stops the other.
status=0
wait -n || status=$?
echo "A Sdelka process exited (status $status)." >&2
exit "$status"
