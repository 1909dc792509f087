// One camera live: jsmpeg (global `JSMpeg` from /ui/vendor/jsmpeg.js) decodes the gateway's MPEG-1
// websocket /ws/live/<camera> onto the canvas. Our own websocket source reports close codes, which
// jsmpeg's does not: 1013 means the gateway's cap on live relays is reached, 1008 that the viewer's
// access ended (logout, user removed or demoted).
import { api, fmtNumber, live, showError, t } from './app.js';

const RETRY_MS = 3000;
const LIMIT_RETRY_MS = 15_000;
/** With the socket open but no frame decoded for this long, the page says it is waiting for video. */
const STALL_MS = 5000;
const TRY_AGAIN_LATER = 1013;
const ACCESS_ENDED = 1008;

const view = document.getElementById('live-view');
const cameraId = view.dataset.camera;
const canvas = document.getElementById('live-canvas');
const cameraState = document.getElementById('camera-state');
const playerState = document.getElementById('player-state');
const fpsEl = document.getElementById('player-fps');
const overlay = document.getElementById('live-overlay');
const message = document.getElementById('live-message');
const retryButton = document.getElementById('live-retry');
const errorEl = document.getElementById('live-error');
const stateClass = (state) => ({ streaming: 'ok', playing: 'ok', starting: 'warn', stalled: 'warn', reconnecting: 'warn', waiting: 'warn', connecting: 'warn', failed: 'bad', limit: 'bad', refused: 'bad', unknown: 'bad', disconnected: 'bad' })[state] ?? '';

function setPlayerState(state, text, { retry = false } = {}) {
  if (playerState.dataset.state === state && message.textContent === (text ?? '')) return;
  playerState.dataset.state = state;
  playerState.className = `badge ${stateClass(state)}`;
  playerState.textContent = t(`live.player.${state}`);
  overlay.hidden = !text;
  message.textContent = text ?? '';
  retryButton.hidden = !retry;
}

function setCameraState(cam) {
  const state = cam?.camera?.state ?? 'unknown';
  if (cameraState.dataset.state === state) return;
  cameraState.dataset.state = state;
  cameraState.className = `badge ${stateClass(state)}`;
  cameraState.textContent = t(`live.state.${state}`);
}

/**
 * A jsmpeg source (the interface of JSMpeg.Source.WebSocket) over a websocket, that tells the page
 * how the socket closed and lets it choose when to reconnect (`onClose` returns a delay in ms, or 0).
 */
class LiveSource {
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.streaming = true;
    this.completed = false;
    this.established = false;
    this.progress = 0;
    this.destination = null;
    this.socket = null;
    this.retryTimer = 0;
    this.stopped = false;
  }

  connect(destination) {
    this.destination = destination;
  }

  start() {
    clearTimeout(this.retryTimer);
    this.stopped = false;
    this.established = false;
    this.progress = 0;
    const hooks = this.options.live;
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.progress = 1;
      hooks.onOpen();
    };
    ws.onmessage = (ev) => {
      if (!this.established) {
        this.established = true;
        this.options.hookOnEstablished?.();
      }
      this.destination?.write(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.stopped) return;
      const delay = hooks.onClose(ev.code, ev.reason, opened);
      if (delay > 0) this.retryTimer = setTimeout(() => this.start(), delay);
    };
    this.socket = ws;
  }

  /** Reconnects now (the retry button). */
  restart() {
    const old = this.socket;
    this.socket = null;
    old?.close();
    this.start();
  }

  resume() {}

  destroy() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const old = this.socket;
    this.socket = null;
    old?.close();
  }
}

let decoded = 0;
let decodedAtLastTick = 0;
let lastDecodedAt = 0;
let socketOpen = false;

function onOpen() {
  socketOpen = true;
  lastDecodedAt = performance.now();
  setPlayerState('connecting', null);
}

function onClose(code, reason, opened) {
  socketOpen = false;
  if (code === TRY_AGAIN_LATER) {
    setPlayerState('limit', t('live.limitReached', { reason: reason || '' }), { retry: true });
    return LIMIT_RETRY_MS;
  }
  if (!opened || code === ACCESS_ENDED) {
    // Refused at the handshake or cut off (1008): a lapsed or ended session (api() sends the browser to the login page), a role that may not watch, or a camera gone.
    api('/api/me').catch(() => undefined);
    setPlayerState('refused', t('live.refused'), { retry: true });
    return RETRY_MS * 2;
  }
  setPlayerState('disconnected', t('live.disconnected'), { retry: true });
  return RETRY_MS;
}

/** Once a second: the decoded frame rate, and whether video stopped coming. */
function tick() {
  const now = performance.now();
  const fps = decoded - decodedAtLastTick;
  decodedAtLastTick = decoded;
  canvas.dataset.frames = String(decoded);
  fpsEl.textContent = socketOpen ? t('live.fps', { n: fmtNumber(fps) }) : '';
  if (!socketOpen) return;
  if (fps > 0) setPlayerState('playing', null);
  else if (now - lastDecodedAt > STALL_MS) setPlayerState('waiting', t('live.waiting'));
}

async function main() {
  let cameras;
  try {
    cameras = (await api('/api/cameras')).cameras ?? [];
  } catch (err) {
    showError(errorEl, err);
    return;
  }
  const cam = cameras.find((c) => c.camera?.cameraId === cameraId);
  setCameraState(cam);
  if (!cam) {
    setPlayerState('unknown', t('live.unknownCamera', { camera: cameraId }));
    return;
  }
  live({ onCounts: (msg) => setCameraState(msg.cameras?.find((c) => c.camera?.cameraId === cameraId)) });
  if (typeof JSMpeg === 'undefined') {
    showError(errorEl, new Error(t('live.noPlayer')));
    return;
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/live/${encodeURIComponent(cameraId)}`;
  // jsmpeg's WebAssembly decoder (the CSP allows compiling WebAssembly, nothing else) keeps up with the relay's 25 fps.
  const player = new JSMpeg.Player(url, {
    canvas,
    source: LiveSource,
    audio: false,
    videoBufferSize: 1024 * 1024,
    onVideoDecode: () => {
      decoded++;
      lastDecodedAt = performance.now();
    },
    live: { onOpen, onClose },
  });
  retryButton.addEventListener('click', () => {
    setPlayerState('connecting', null);
    player.source.restart();
  });
  // Leaving the page closes the socket at once, so the gateway stops the relay without waiting for a timeout.
  window.addEventListener('pagehide', () => player.destroy());
  setInterval(tick, 1000);
}

void main();
