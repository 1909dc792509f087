#!/usr/bin/python3
"""Camera simulator: a real RTSP server (GStreamer gst-rtsp-server) on 127.0.0.1.

Each source file (H.264 in MP4) is played once, in real time and in a loop, by one shared producer;
every mount fed from it gets the same access units through an appsrc, so a loop restart is invisible
to clients and many clients cost no extra decoding or encoding.

Usage: rtsp_server.py CONFIG_JSON
  {"port": 0, "securePort": 0, "host": "127.0.0.1",
   "mounts": [{"path": "/cam1", "file": "/x/720p.mp4", "user": null, "password": null}, ...]}
Mounts with a user are served on securePort and demand HTTP Basic credentials (401 otherwise).
Prints one line `READY {"port": N, "securePort": M}` on stdout when serving; stops on SIGTERM/SIGINT.
"""
import json
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

CAPS = "video/x-h264,stream-format=byte-stream,alignment=au"


class Producer:
    """Plays one file in real time, looping, and fans its access units out to registered appsrcs."""

    def __init__(self, path):
        self.sinks = {}  # appsrc -> waiting_for_keyframe
        self.pipeline = Gst.parse_launch(
            f'filesrc location="{path}" ! qtdemux ! h264parse config-interval=-1 ! {CAPS} '
            "! appsink name=out sync=true emit-signals=true max-buffers=4 drop=false"
        )
        self.pipeline.get_by_name("out").connect("new-sample", self.on_sample)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)
        self.pipeline.set_state(Gst.State.PLAYING)

    def on_message(self, _bus, message):
        if message.type == Gst.MessageType.EOS:
            self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
        elif message.type == Gst.MessageType.ERROR:
            err, _ = message.parse_error()
            print(f"producer error: {err.message}", file=sys.stderr, flush=True)

    def on_sample(self, sink):
        sample = sink.emit("pull-sample")
        buf = sample.get_buffer()
        keyframe = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        for src, waiting in list(self.sinks.items()):
            if waiting and not keyframe:
                continue
            self.sinks[src] = False
            out = buf.copy()
            out.pts = Gst.CLOCK_TIME_NONE
            out.dts = Gst.CLOCK_TIME_NONE
            src.emit("push-buffer", out)
        return Gst.FlowReturn.OK

    def attach(self, src):
        self.sinks[src] = True

    def detach(self, src):
        self.sinks.pop(src, None)


class MountFactory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, producer):
        super().__init__()
        self.producer = producer
        self.set_shared(True)
        self.set_launch(
            f"( appsrc name=src is-live=true format=time do-timestamp=true caps={CAPS} "
            "! h264parse config-interval=1 ! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        self.connect("media-configure", self.on_configure)

    def on_configure(self, _factory, media):
        src = media.get_element().get_child_by_name("src")
        self.producer.attach(src)
        media.connect("unprepared", lambda _m: self.producer.detach(src))


def role_permissions(role):
    perms = GstRtspServer.RTSPPermissions()
    perms.add_role_from_structure(
        Gst.Structure.new_from_string(f"{role}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")
    )
    return perms


def build_server(host, port, mounts, producers, secure):
    """Open mounts on one server; mounts with credentials on a second one, where every request must
    authenticate (gst-rtsp-server answers 404, not 401, when a default token lacks a role)."""
    server = GstRtspServer.RTSPServer()
    server.set_address(host)
    server.set_service(str(port))
    # One thread per client: DESCRIBE blocks until a mount's media prerolls (up to one GOP), and the
    # default pool of 1 thread would serialise concurrent cameras connecting at once.
    server.get_thread_pool().set_max_threads(-1)
    points = server.get_mount_points()
    auth = GstRtspServer.RTSPAuth() if secure else None
    for mount in mounts:
        producer = producers.get(mount["file"]) or Producer(mount["file"])
        producers[mount["file"]] = producer
        factory = MountFactory(producer)
        if secure:
            role = "user-" + mount["user"]
            token = GstRtspServer.RTSPToken()
            token.set_string("media.factory.role", role)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(mount["user"], mount["password"]), token)
            factory.set_permissions(role_permissions(role))
        points.add_factory(mount["path"], factory)
    if auth:
        server.set_auth(auth)
    if server.attach(None) == 0:
        print(f"cannot bind RTSP port {port}", file=sys.stderr, flush=True)
        sys.exit(2)
    return server


def main():
    config = json.loads(sys.argv[1])
    Gst.init(None)
    host = config.get("host", "127.0.0.1")
    producers = {}
    open_mounts = [m for m in config["mounts"] if not m.get("user")]
    secure_mounts = [m for m in config["mounts"] if m.get("user")]
    server = build_server(host, config.get("port", 0), open_mounts, producers, secure=False)
    ready = {"port": server.get_bound_port()}
    if secure_mounts:
        secure = build_server(host, config.get("securePort", 0), secure_mounts, producers, secure=True)
        ready["securePort"] = secure.get_bound_port()
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, loop.quit)
    print("READY " + json.dumps(ready), flush=True)
    loop.run()
    for producer in producers.values():
        producer.pipeline.set_state(Gst.State.NULL)


if __name__ == "__main__":
    main()
