#!/bin/sh
# Serves simulated RTSP cameras on all interfaces (docker/camera-simulator), all from one H.264 MP4.
#   SIM_MEDIA    the video (required; `node --import tsx scripts/simulator-media.ts DIR` makes it)
#   SIM_CAMERAS  mount names, space-separated (default: queue-hall back-street)
#   SIM_HOST, SIM_PORT  listen address (default 0.0.0.0:8554)
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
media="${SIM_MEDIA:-}"
cameras="${SIM_CAMERAS:-queue-hall back-street}"
host="${SIM_HOST:-0.0.0.0}"
port="${SIM_PORT:-8554}"

fail() { echo "camera-simulator-entrypoint: $*" >&2; exit 1; }
[ -r "$media" ] || fail "SIM_MEDIA=$media is not a readable file"
# Values go into JSON unescaped, so only plain characters are accepted.
case "$media$host" in *[\"\\]*) fail "SIM_MEDIA and SIM_HOST may not contain a double quote or a backslash" ;; esac
case "$port" in '' | *[!0-9]*) fail "SIM_PORT=$port is not a port number" ;; esac

mounts=''
for name in $cameras; do
  case "$name" in *[!A-Za-z0-9_.-]*) fail "camera name '$name': use letters, digits, dot, dash or underscore" ;; esac
  mounts="$mounts${mounts:+,}{\"path\":\"/$name\",\"file\":\"$media\",\"user\":null,\"password\":null}"
done
[ -n "$mounts" ] || fail 'SIM_CAMERAS is empty'

# Debian's python3-gi loads only in the system interpreter.
exec /usr/bin/python3 "$root/streams/simulator/rtsp_server.py" "{\"host\":\"$host\",\"port\":$port,\"mounts\":[$mounts]}"
