import pino, { type Logger } from 'pino';

/** Logger for models/; the gateway may replace it with a child of its own logger. */
export let modelsLog: Logger = pino({ name: 'models', level: process.env.LOG_LEVEL ?? 'info' });

export function setModelsLogger(logger: Logger): void {
  modelsLog = logger;
}
