#!/usr/bin/env bash
# Start or stop a local Prefect server (UI and API) on 127.0.0.1:${PREFECT_PORT:-4200}.
# Schedules need a real server: the temporary one a bare flow run starts never schedules.
# Usage: deploy/prefect-server.sh start|stop   (make prefect / make prefect-stop)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PREFECT_PORT:-4200}
STATE=${TMT_HOME:-$PWD/data}/prefect
PID_FILE=$STATE/server.pid
# While the server runs, every `tmt` command with this TMT_HOME uses it (flows/cli.py) instead
# of starting a temporary server of its own (4 s warm, 13 s cold, per command).
URL_FILE=$STATE/api_url
mkdir -p "$STATE"
export PREFECT_HOME=$STATE PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_UI_ENABLED=true

case "${1:-}" in
  start)
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "Prefect server already running (pid $(cat "$PID_FILE")) on http://127.0.0.1:$PORT"
      exit 0
    fi
    # Prefect's `server start`, its SQLite write transactions IMMEDIATE: a write waits for
    # another instead of failing into a 503 and a 2 s client retry (flows/ops/prefect_server.py).
    nohup "$BIN/python" -m flows.ops.prefect_server --host 127.0.0.1 --port "$PORT" \
      >"$STATE/server.log" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 120); do
      if "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/api/health', timeout=2)" 2>/dev/null; then
        echo "http://127.0.0.1:$PORT/api" >"$URL_FILE"
        echo "Prefect server on http://127.0.0.1:$PORT (UI), API http://127.0.0.1:$PORT/api"
        echo "export PREFECT_API_URL=http://127.0.0.1:$PORT/api   # then: tmt serve"
        exit 0
      fi
      kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { cat "$STATE/server.log"; exit 1; }
      sleep 1
    done
    echo "Prefect server did not become healthy in 120 s; see $STATE/server.log" >&2
    exit 1 ;;
  stop)
    if [ -f "$PID_FILE" ]; then
      kill -INT "$(cat "$PID_FILE")" 2>/dev/null || true
      rm -f "$PID_FILE"
    fi
    rm -f "$URL_FILE" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
