import pino, { type Logger } from 'pino';

let logger: Logger = pino({
  name: 'streams',
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: ['url', '*.url', 'password', '*.password', 'credentials'], censor: '[redacted]' },
});

export function streamsLog(): Logger {
  return logger;
}

/** Lets the service hand streams/ its own logger (child loggers keep the redaction). */
export function setStreamsLogger(next: Logger): void {
  logger = next;
}
