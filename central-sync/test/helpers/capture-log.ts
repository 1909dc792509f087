import type { CentralLogger } from '../../server';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A CentralLogger that keeps every line for assertions. */
export function captureLog(): CentralLogger & { lines: LogLine[]; find(msg: string): LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, msg: msg ?? '', fields: { ...obj } as Record<string, unknown> });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), find: (msg) => lines.filter((l) => l.msg === msg) };
}
