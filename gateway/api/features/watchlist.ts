import { z } from 'zod';
import { embedEnrolmentPhoto } from '../../watchlist';
import type { ApiDeps } from '../deps';
import { jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';
import { multipartForm, photoFiles } from '../multipart';
import { nameText, noteText } from '../text';

const PersonParam = z.object({ id: z.uuid() }).strict();
const EnrolFields = z
  .object({ name: nameText(z.string().trim().min(1).max(120)), note: noteText(z.string().max(1000)).optional() })
  .strict();

/** The watchlist: persons enrolled from photos (a refused photo is answered by the API's error handler). */
export const watchlistFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/api/watchlist', summary: 'Watchlist persons', roles: ['security'], audited: true },
    { method: 'POST', path: '/api/watchlist', summary: 'Enrol a person from photos (multipart: name, note, photo...)', roles: ['security'], audited: true },
    { method: 'GET', path: '/api/watchlist/:id', summary: 'One watchlist person', roles: ['security'], audited: true },
    { method: 'DELETE', path: '/api/watchlist/:id', summary: 'Remove a person and their embeddings', roles: ['security'], audited: true },
  ],
  handlers: (deps, { now }) => ({
    'GET /api/watchlist': (c) => c.json({ persons: deps.watchlist.list() }),
    'GET /api/watchlist/:id': (c) => {
      const { id } = validate(PersonParam, c.req.param(), 'path');
      const person = deps.watchlist.get(id);
      return person ? c.json(person) : jsonError(c, 404, `no watchlist person ${id}`, 'id');
    },
    'DELETE /api/watchlist/:id': (c) => {
      const { id } = validate(PersonParam, c.req.param(), 'path');
      return deps.watchlist.remove(id) ? c.json({ removed: id }) : jsonError(c, 404, `no watchlist person ${id}`, 'id');
    },
    'POST /api/watchlist': async (c) => {
      const form = await multipartForm(c, 'fields name, note and one or more photo files');
      const fields = Object.entries(form).filter(([k]) => k !== 'photo');
      const text = validate(EnrolFields, Object.fromEntries(fields.map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), 'body');
      const photos = photoFiles(form);
      const engine = await deps.faceEngine();
      const embeddings: Float32Array[] = [];
      for (const [i, file] of photos.entries()) {
        embeddings.push(await embedEnrolmentPhoto(engine, Buffer.from(await file.arrayBuffer()), `photo[${i}]`));
      }
      return c.json(deps.watchlist.enrol(text.name, text.note, embeddings, c.get('user').name, now()), 201);
    },
  }),
};
