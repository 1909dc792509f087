// The event's evidence clip: a <video> playing the MP4 (security and admin; each view is audited by the API),
// or why there is none. While the clip is being recorded the state is polled.
import { api, fmtDateTime, fmtDuration, t, tOr } from './app.js';

const root = document.getElementById('event');
const id = root.dataset.id;
const video = document.getElementById('event-clip');
const state = document.getElementById('event-clip-state');
const POLL_MS = 3000;

const fmtSize = (bytes) => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`);
const reasonText = (reasons) => reasons.map((r) => tOr(`clips.reason.${r}`, r)).join('; ');

function show(kind, text) {
  state.dataset.state = kind;
  state.textContent = text;
  state.className = kind === 'truncated' || kind === 'error' ? 'warn' : 'muted';
}

async function load() {
  let info;
  try {
    info = await api(`/api/events/${encodeURIComponent(id)}/clip/info`);
  } catch (err) {
    show('error', t('clips.state.error', { error: err.message }));
    return;
  }
  if (info.state === 'recording') {
    show('recording', t('clips.state.recording'));
    setTimeout(load, POLL_MS);
    return;
  }
  if (info.state === 'unavailable') return show('unavailable', t('clips.state.unavailable', { reasons: reasonText(info.reasons) }));
  if (info.state !== 'ready') return show('none', t('clips.state.none'));
  video.src = info.url;
  video.hidden = false;
  video.dataset.durationMs = String(info.durationMs);
  const summary = t('clips.state.ready', { from: fmtDateTime(info.startedAt), to: fmtDateTime(info.endedAt), duration: fmtDuration(info.durationMs / 1000), size: fmtSize(info.bytes) });
  if (info.truncated) show('truncated', `${t('clips.state.truncated', { reasons: reasonText(info.reasons) })} ${summary}`);
  else show('ready', summary);
}

void load();
