#!/bin/sh
# Runs the central server in the foreground: the container's entry point and systemd's ExecStart.
# Configured from the environment: DATABASE_URL, HOST, PORT, CENTRAL_ADMIN_TOKEN, ... (see README).
set -eu
cd "$(dirname "$0")/.."
# exec: node becomes this process, so SIGTERM closes the server and the database cleanly (exit 0).
exec node --import tsx central-sync/server/main.ts
