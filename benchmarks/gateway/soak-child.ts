/** The memory soak's own process (soak.ts): one request in over IPC, the result out, then exit. */
import pino from 'pino';
import { setModelsLogger } from '../../models';
import { setStreamsLogger } from '../../streams';
import { runSoak, type SoakReply, type SoakRequest } from './soak';

setModelsLogger(pino({ name: 'models', level: process.env.LOG_LEVEL ?? 'error' }));
setStreamsLogger(pino({ name: 'streams', level: process.env.LOG_LEVEL ?? 'error' }));

process.once('message', (req: SoakRequest) => {
  void runSoak(req.cameras, req.minutes, req.options)
    .then((result): SoakReply => ({ ok: true, result }))
    .catch((err: unknown): SoakReply => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))
    .then((reply) => process.send!(reply, () => process.exit(0)));
});
