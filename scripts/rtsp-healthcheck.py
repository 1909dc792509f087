#!/usr/bin/python3
"""Health probe for the camera simulator: RTSP OPTIONS to HOST:PORT, exit 0 on `RTSP/1.0 200`, else 1.

Usage: rtsp-healthcheck.py [HOST] [PORT]  (default 127.0.0.1 and $SIM_PORT or 8554; 3 s timeout)
"""
import os
import socket
import sys

host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
port = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("SIM_PORT", "8554"))
try:
    with socket.create_connection((host, port), timeout=3) as conn:
        conn.sendall(b"OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n")
        status = conn.recv(64)
except OSError as err:
    print(f"rtsp-healthcheck: {host}:{port}: {err}", file=sys.stderr)
    sys.exit(1)
if not status.startswith(b"RTSP/1.0 200"):
    print(f"rtsp-healthcheck: {host}:{port} answered {status[:40]!r}", file=sys.stderr)
    sys.exit(1)
