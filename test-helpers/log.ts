/**
 * Test setup (vitest `setupFiles`): every pino logger made without a destination of its own (the
 * streams' and models' defaults, the loggers tests hand to the services) writes through
 * console.log. Vitest keeps console output per test and, with `silent: 'passed-only'`, prints it only
 * for a test that failed; pino's own destination writes to stdout directly, past vitest.
 */
import type { DestinationStream, LoggerOptions } from 'pino';
import { vi } from 'vitest';

vi.mock('pino', async (importOriginal) => {
  const actual = await importOriginal<typeof import('pino')>();
  const original = actual.default;
  const toConsole: DestinationStream = { write: (line: string) => console.log(line.trimEnd()) };
  const isStream = (value: unknown): value is DestinationStream => typeof (value as DestinationStream | undefined)?.write === 'function';
  function testPino(options?: LoggerOptions | DestinationStream, destination?: DestinationStream) {
    if (isStream(options)) return original(options);
    return original(options ?? {}, destination ?? toConsole);
  }
  const pino = Object.assign(testPino, original) as unknown as typeof original;
  return { ...actual, default: pino, pino };
});
