import { changedTables, type Fingerprint, type Fingerprinter } from './fingerprint';
import { preview } from './json-text';
import type { Rng } from './prng';

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface FuzzCase {
  /** `${method} ${pattern}` of the route table. */
  route: string;
  role: string;
  /** What is hostile about this request. */
  label: string;
  request: FuzzRequest;
}

export interface FuzzTarget {
  name: string;
  send(request: FuzzRequest): Promise<Response>;
  fingerprint: Fingerprinter;
  /** Of the tables a refused request changed, those it may change by design (default: none). */
  allowedChanges?(c: FuzzCase, before: Fingerprint, after: Fingerprint, changed: string[]): string[];
  /** Errors the server logged since the last call (what a 5xx was about). */
  takeLoggedErrors(): string[];
}

export type FindingKind = 'status >= 500' | 'request threw' | 'no answer in time' | 'stored from a refused request' | 'stack trace in the answer';

export interface Finding {
  kind: FindingKind;
  route: string;
  role: string;
  label: string;
  status: number | null;
  error: string;
  request: string;
}

export interface FuzzReport {
  target: string;
  seed: number;
  sent: number;
  byStatus: Record<number, number>;
  /** Requests per `${route} as ${role}`. */
  covered: Record<string, number>;
  findings: Finding[];
  ms: number;
  /** The slowest requests (answer and fingerprint check), slowest first. */
  slowest: Array<{ ms: number; route: string; role: string; label: string }>;
}

const SLOWEST_KEPT = 3;

const STACK_TRACE = /\n\s+at \S.*:\d+:\d+|\.ts:\d+:\d+|node_modules\//;

function describeRequest(r: FuzzRequest): string {
  const headers = Object.entries(r.headers)
    .filter(([k]) => !k.startsWith('x-signature') && k !== 'x-nonce')
    .map(([k, v]) => `${k}: ${preview(v, 60)}`)
    .join('; ');
  const body = r.body ? ` body ${preview(Buffer.from(r.body).toString('utf8'), 160)}` : '';
  return `${r.method} ${preview(r.path, 160)} [${headers}]${body}`;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The answer's text (an event stream is cancelled after its headers: it never ends). */
async function bodyText(res: Response): Promise<string> {
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await res.body?.cancel();
    return '';
  }
  return res.text();
}

function errorOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON
  }
  return preview(text, 200);
}

/**
 * Sends every case and checks the invariants a hostile request must not break: no status >= 500,
 * no exception out of the app, an answer within `timeoutMs`, no stack trace in an error, and no
 * table changed by a refused (>= 400) request. Findings are collected, not thrown, so one run
 * lists them all.
 */
export async function runFuzz(target: FuzzTarget, seed: number, cases: AsyncIterable<FuzzCase>, timeoutMs = 20_000): Promise<FuzzReport> {
  const started = performance.now();
  const report: FuzzReport = { target: target.name, seed, sent: 0, byStatus: {}, covered: {}, findings: [], ms: 0, slowest: [] };
  for await (const c of cases) {
    const before = await target.fingerprint.take();
    target.takeLoggedErrors();
    const sentAt = performance.now();
    report.sent += 1;
    const pair = `${c.route} as ${c.role}`;
    report.covered[pair] = (report.covered[pair] ?? 0) + 1;
    const found = (kind: FindingKind, status: number | null, error: string) =>
      report.findings.push({ kind, route: c.route, role: c.role, label: c.label, status, error, request: describeRequest(c.request) });
    let status: number;
    let text: string;
    try {
      const answer = await withTimeout(
        target.send(c.request).then(async (res) => ({ status: res.status, text: await bodyText(res) })),
        timeoutMs,
      );
      if (answer === 'timeout') {
        found('no answer in time', null, `no answer within ${timeoutMs} ms`);
        continue;
      }
      ({ status, text } = answer);
    } catch (err) {
      found('request threw', null, (err as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(err));
      continue;
    }
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    if (status >= 500) found('status >= 500', status, [errorOf(text), ...target.takeLoggedErrors()].join(' | logged: '));
    if (status >= 400 && STACK_TRACE.test(text)) found('stack trace in the answer', status, preview(text, 300));
    if (status >= 400) {
      const after = await target.fingerprint.take();
      const changed = changedTables(before, after);
      const allowed = target.allowedChanges?.(c, before, after, changed) ?? [];
      const stored = changed.filter((t) => !allowed.includes(t));
      if (stored.length > 0) found('stored from a refused request', status, `tables changed: ${stored.map((t) => `${t} ${before[t] ?? '-'} -> ${after[t] ?? '-'}`).join(', ')}; answer: ${errorOf(text)}`);
    }
    report.slowest.push({ ms: Math.round(performance.now() - sentAt), route: c.route, role: c.role, label: c.label });
    report.slowest = report.slowest.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_KEPT);
  }
  report.ms = performance.now() - started;
  return report;
}

/** Distinct findings (same kind, route, role, status and error shape), each with one example and a count. */
export function distinctFindings(findings: readonly Finding[]): Array<Finding & { count: number }> {
  const groups = new Map<string, Finding & { count: number }>();
  for (const f of findings) {
    const key = [f.kind, f.route, f.role, f.status, f.error.replace(/\d+/g, '#').slice(0, 160)].join('|');
    const seen = groups.get(key);
    if (seen) seen.count += 1;
    else groups.set(key, { ...f, count: 1 });
  }
  return [...groups.values()];
}

export function formatReport(report: FuzzReport): string {
  const statuses = Object.entries(report.byStatus)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  const slowest = report.slowest.map((s) => `${s.ms} ms ${s.route} as ${s.role} (${s.label.slice(0, 80)})`).join('; ');
  const head = `${report.target}: ${report.sent} requests in ${(report.ms / 1000).toFixed(1)} s (seed ${report.seed}; replay with FUZZ_SEED=${report.seed}); statuses ${statuses}; slowest: ${slowest}`;
  const lines = distinctFindings(report.findings).map(
    (f, i) => `  ${i + 1}. [${f.kind}] ${f.route} as ${f.role} -> ${f.status ?? '-'} (${f.count}×): ${f.error}\n     input: ${f.label}\n     request: ${f.request}`,
  );
  return lines.length > 0 ? `${head}\n${lines.join('\n')}` : head;
}

export interface PlanEntry<R> {
  route: R;
  role: string;
}

/**
 * Which route and role each request goes to: every pair `perPair` times (refusals by role are
 * fuzzed too), the rest of `total` spread over the pairs `deep` says reach the route's own
 * validation, in proportion to `weight`; shuffled so state changes interleave.
 */
export function plan<R>(rng: Rng, routes: readonly R[], roles: readonly string[], total: number, deep: (route: R, role: string) => boolean, weight: (route: R) => number = () => 1, perPair = 2): PlanEntry<R>[] {
  const out: PlanEntry<R>[] = [];
  for (const route of routes) for (const role of roles) for (let i = 0; i < perPair; i++) out.push({ route, role });
  const deepPairs = routes.flatMap((route) => roles.filter((role) => deep(route, role)).map((role) => ({ route, role })));
  const totalWeight = deepPairs.reduce((sum, p) => sum + weight(p.route), 0);
  const rest = Math.max(0, total - out.length);
  for (const p of deepPairs) for (let i = 0; i < Math.round((rest * weight(p.route)) / totalWeight); i++) out.push(p);
  // Rounding each share may fall short of `total`: top up from the deep pairs in turn, so exactly `total` are planned.
  for (let k = 0; out.length < total && deepPairs.length > 0; k++) out.push(deepPairs[k % deepPairs.length]!);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The `route as role` pairs of `routes` × `roles` that got no request. */
export function uncovered(report: FuzzReport, routes: readonly string[], roles: readonly string[]): string[] {
  return routes.flatMap((route) => roles.map((role) => `${route} as ${role}`)).filter((pair) => !report.covered[pair]);
}

/** Answers with a status in [from, to). */
export const answered = (report: FuzzReport, from: number, to: number): number =>
  Object.entries(report.byStatus).reduce((sum, [status, n]) => (Number(status) >= from && Number(status) < to ? sum + n : sum), 0);

/** Own keys of Object.prototype: a prototype-pollution canary for after the run. */
export const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
