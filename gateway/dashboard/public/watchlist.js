// Watchlist: enrol after previewing the face found in each photo, remove with a confirm, and the access trail.
import { api, fmtDateTime, fmtNumber, h, showError, t } from './app.js';

const MAX_PHOTOS = 5;
const form = document.getElementById('enrol-form');
const fileInput = form.elements.photo;
const preview = document.getElementById('preview');
const previewStatus = document.getElementById('preview-status');
const submit = document.getElementById('enrol-submit');
const enrolError = document.getElementById('enrol-error');
const enrolDone = document.getElementById('enrol-done');

/** The persons listed now, for the audit trail's subjects. */
let persons = [];
/** Whether the photos chosen now all passed the preview. */
let previewOk = false;
/** Bumped whenever the chosen photos change: a late preview answer for older photos is dropped. */
let previewGeneration = 0;

/** The server's refusal, in the user's language where it is one of the enrolment checks. */
function refusal(r) {
  const many = /(\d+) faces found/.exec(r.error);
  if (r.status === 413 && /pixels; the limit/.test(r.error)) return t('watchlist.err.tooManyPixels');
  if (r.status === 413) return t('watchlist.err.tooBig');
  if (r.status === 503) return t('watchlist.err.busy');
  if (r.status === 415) return t('watchlist.err.notImage');
  if (/no face found/.test(r.error)) return t('watchlist.err.noFace');
  if (many) return t('watchlist.err.manyFaces', { n: many[1] });
  if (/not clear enough/.test(r.error)) return t('watchlist.err.unclear');
  if (/px; at least/.test(r.error)) return t('watchlist.err.tooSmall');
  return r.error;
}

function updateSubmit() {
  submit.disabled = !previewOk || !form.elements.name.value.trim();
}

async function runPreview() {
  const gen = ++previewGeneration;
  const files = [...fileInput.files];
  previewOk = false;
  preview.replaceChildren();
  enrolDone.hidden = true;
  showError(enrolError, null);
  updateSubmit();
  if (files.length === 0) {
    previewStatus.textContent = '';
    return;
  }
  if (files.length > MAX_PHOTOS) {
    previewStatus.textContent = t('watchlist.tooMany', { max: MAX_PHOTOS });
    return;
  }
  previewStatus.textContent = t('watchlist.previewing');
  const body = new FormData();
  for (const f of files) body.append('photo', f, f.name);
  try {
    const answer = await api('/api/watchlist/preview', { method: 'POST', form: body });
    if (gen !== previewGeneration) return;
    preview.replaceChildren(
      ...answer.photos.map((r) => {
        const name = files[r.photo]?.name ?? `#${r.photo + 1}`;
        return r.ok
          ? h(
              'li',
              { class: 'ok', dataset: { ok: 'true' } },
              h('img', { class: 'face-preview', src: r.crop, alt: t('watchlist.faceOf', { file: name }) }),
              h('span', { class: 'file', text: name }),
              h('span', { class: 'ok', text: t('watchlist.previewOk', { score: fmtNumber(r.score, 2) }) }),
            )
          : h(
              'li',
              { class: 'refused', dataset: { ok: 'false' } },
              h('span', { class: 'face-preview none', text: '✕' }),
              h('span', { class: 'file', text: name }),
              h('span', { class: 'error', text: refusal(r) }),
              h('span', { class: 'muted small', text: r.error }),
            );
      }),
    );
    previewOk = answer.usable;
    previewStatus.textContent = answer.usable ? t('watchlist.previewReady') : t('watchlist.previewRefused');
  } catch (err) {
    if (gen !== previewGeneration) return;
    previewStatus.textContent = '';
    showError(enrolError, err);
  }
  updateSubmit();
}

form.elements.name.addEventListener('input', updateSubmit);
fileInput.addEventListener('change', runPreview);
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!previewOk) return;
  const body = new FormData();
  body.set('name', form.elements.name.value.trim());
  const note = form.elements.note.value.trim();
  if (note) body.set('note', note);
  for (const f of fileInput.files) body.append('photo', f, f.name);
  submit.disabled = true;
  submit.textContent = t('watchlist.enrolling');
  try {
    const person = await api('/api/watchlist', { method: 'POST', form: body });
    form.reset();
    preview.replaceChildren();
    previewStatus.textContent = '';
    previewOk = false;
    enrolDone.textContent = t('watchlist.enrolled', { name: person.name });
    enrolDone.hidden = false;
    showError(enrolError, null);
    await refresh();
  } catch (err) {
    showError(enrolError, err);
  } finally {
    submit.textContent = t('watchlist.enrolSubmit');
    updateSubmit();
  }
});

async function remove(person) {
  if (!window.confirm(t('watchlist.confirmRemove', { name: person.name }))) return;
  try {
    await api(`/api/watchlist/${encodeURIComponent(person.id)}`, { method: 'DELETE' });
    await refresh();
  } catch (err) {
    showError(document.getElementById('persons-error'), err);
  }
}

async function loadPersons() {
  const errorEl = document.getElementById('persons-error');
  try {
    ({ persons } = await api('/api/watchlist'));
    document.querySelector('#persons tbody').replaceChildren(
      ...persons.map((p) =>
        h(
          'tr',
          { dataset: { id: p.id } },
          h('td', { class: 'name', text: p.name }),
          h('td', { text: p.note ?? '' }),
          h('td', { text: fmtNumber(p.photos) }),
          h('td', { class: 'by', text: p.createdBy }),
          h('td', { text: fmtDateTime(p.createdAt) }),
          h('td', {}, h('button', { type: 'button', class: 'danger remove', onclick: () => remove(p) }, t('watchlist.remove'))),
        ),
      ),
    );
    document.getElementById('persons-empty').hidden = persons.length > 0;
    showError(errorEl, null);
  } catch (err) {
    showError(errorEl, err);
  }
}

const AUDIT_ACTIONS = {
  'GET /api/watchlist': 'list',
  'POST /api/watchlist': 'enrol',
  'GET /api/watchlist/:id': 'view',
  'DELETE /api/watchlist/:id': 'remove',
  'POST /api/watchlist/preview': 'preview',
  'GET /api/audit/watchlist': 'audit',
  view_watchlist_match: 'match',
  view_face_crop: 'faceCrop',
};

/** Who an entry concerns: a person by name where it names one, a link to the event a face read was of; the action says the rest. */
function subjectCell(e, kind) {
  const eventId = /^event:(\d+)$/.exec(e.subject)?.[1];
  if (eventId) return h('td', { class: 'subject' }, h('a', { href: `/events/${eventId}`, text: `#${eventId}` }));
  return h('td', { class: 'subject', text: subjectText(e, kind) });
}

function subjectText(e, kind) {
  const id = /^\/api\/watchlist\/([0-9a-f-]{36})$/.exec(e.subject)?.[1];
  if (id) return persons.find((p) => p.id === id)?.name ?? t('watchlist.removedPerson', { id: id.slice(0, 8) });
  if (kind === 'enrol') {
    // The enrol entry is written as the request ends: the person that user created just before it.
    const made = persons.filter((p) => p.createdBy === e.user && e.at >= p.createdAt && e.at - p.createdAt < 10_000).sort((a, b) => b.createdAt - a.createdAt)[0];
    return made?.name ?? '—';
  }
  return kind ? '—' : e.subject;
}

async function loadAudit() {
  const errorEl = document.getElementById('audit-error');
  try {
    const { entries } = await api('/api/audit/watchlist?limit=50');
    document.querySelector('#watchlist-audit tbody').replaceChildren(
      ...entries.map((e) => {
        const kind = AUDIT_ACTIONS[e.action];
        return h(
          'tr',
          { dataset: { action: kind ?? e.action, user: e.user } },
          h('td', { text: fmtDateTime(e.at) }),
          h('td', { text: e.user }),
          h('td', { text: kind ? t(`watchlist.auditAction.${kind}`) : e.action }),
          subjectCell(e, kind),
        );
      }),
    );
    document.getElementById('audit-empty').hidden = entries.length > 0;
    showError(errorEl, null);
  } catch (err) {
    showError(errorEl, err);
  }
}

async function refresh() {
  await loadPersons();
  await loadAudit();
}

await refresh();
