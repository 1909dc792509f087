/** CLI: `npm run media` fetches every test/demo media file into the cache. */
import { ensureMedia, pruneDebs } from './media';

const started = Date.now();
const paths = ensureMedia();
pruneDebs();
for (const [name, path] of Object.entries(paths)) console.log(`${name.padEnd(18)} ${path}`);
console.log(`media ready in ${Date.now() - started} ms`);
