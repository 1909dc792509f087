/**
 * Progress of `npm run bench` on stderr. On a terminal: one bar redrawn in place (overall percent by
 * estimated section durations, the current section and step, elapsed time). Without a terminal (CI,
 * a pipe, a log file): one line per step, nothing redrawn.
 */
export interface Progress {
  /** A section (one run of one benchmark) starts. */
  begin(section: string, label: string): void;
  /** A step inside the current section (one model, one camera count...). */
  step(line: string): void;
  end(section: string, ok: boolean, message?: string): void;
  finish(): void;
}

export interface ProgressOptions {
  /** Planned sections in order, each with its estimated seconds. */
  plan: Array<{ section: string; seconds: number }>;
  stream?: NodeJS.WriteStream;
  /** Overrides stream.isTTY (tests). */
  tty?: boolean;
  now?: () => number;
}

const fmt = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function createProgress({ plan, stream = process.stderr, tty = stream.isTTY === true, now = Date.now }: ProgressOptions): Progress {
  const total = plan.reduce((a, p) => a + p.seconds, 0) || 1;
  const t0 = now();
  let index = -1;
  let doneWeight = 0;
  let sectionStart = t0;
  let label = 'starting';
  let detail = '';
  let active = false;
  let timer: NodeJS.Timeout | undefined;

  const percent = (): number => {
    const current = plan[index];
    const inSection = current && active ? Math.min(0.95 * current.seconds, (now() - sectionStart) / 1000) : 0;
    return Math.min(100, Math.floor((100 * (doneWeight + inSection)) / total));
  };
  const position = () => `${Math.max(0, Math.min(index + 1, plan.length))}/${plan.length}`;

  const draw = (): void => {
    const width = 24;
    const p = percent();
    const filled = Math.round((p / 100) * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const cols = (stream.columns || 100) - 1;
    const line = `[${bar}] ${String(p).padStart(3)}% ${position()} ${label} ${fmt(now() - t0)}${detail ? `  ${detail}` : ''}`;
    stream.write(`\r\x1b[K${line.slice(0, cols)}`);
  };
  const print = (line: string): void => {
    stream.write(`[${String(percent()).padStart(3)}%] ${line}\n`);
  };

  if (tty) {
    timer = setInterval(draw, 500);
    timer.unref();
  }

  return {
    begin(section, l) {
      index = plan.findIndex((p, i) => i > index && p.section === section);
      if (index < 0) index = plan.length;
      sectionStart = now();
      active = true;
      label = l;
      detail = '';
      if (tty) draw();
      else print(`${position()} ${l}: start`);
    },
    step(line) {
      if (!line) return;
      detail = line;
      if (tty) draw();
      else print(`${position()} ${label}: ${line}`);
    },
    end(section, ok, message) {
      const current = plan[index];
      if (current?.section === section && active) doneWeight += current.seconds;
      active = false;
      const took = fmt(now() - sectionStart);
      if (tty) {
        stream.write(`\r\x1b[K${ok ? 'done' : 'FAILED'} ${label} in ${took}${ok ? '' : `: ${message ?? ''}`}\n`);
        detail = '';
        draw();
      } else {
        print(`${position()} ${label}: ${ok ? 'done' : `FAILED: ${message ?? ''}`} in ${took}`);
      }
    },
    finish() {
      if (timer) clearInterval(timer);
      index = plan.length;
      doneWeight = total;
      if (tty) stream.write(`\r\x1b[K[${'#'.repeat(24)}] 100% all done in ${fmt(now() - t0)}\n`);
      else print(`all done in ${fmt(now() - t0)}`);
    },
  };
}
