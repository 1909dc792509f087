#!/bin/sh
# Runs a site's gateway in the foreground: the container's entry point and systemd's ExecStart.
# GATEWAY_CONFIG: the configuration file (default /etc/edge-gateway/gateway.yaml).
set -eu
cd "$(dirname "$0")/.."
config="${GATEWAY_CONFIG:-/etc/edge-gateway/gateway.yaml}"
if [ ! -r "$config" ]; then
  echo "gateway-entrypoint: cannot read the configuration $config (set GATEWAY_CONFIG)" >&2
  exit 1
fi
# exec: node becomes this process, so SIGTERM from Docker or systemd reaches the gateway's shutdown hooks.
exec node --import tsx gateway/main.ts --config "$config"
