// Worker bootstrap: worker threads do not inherit tsx's loader, so register it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./model-only-worker.ts', import.meta.url).href);
