import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureFaceModels } from '../assets';
import { ModelError } from '../errors';
import { setModelsLogger } from '../runtime/log';
import { loadSession } from '../runtime/session';

const dir = mkdtempSync(join(tmpdir(), 'session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadSession', () => {
  it('falls back to cpu when cuda is missing, warning once however many sessions open', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    setModelsLogger(pino({ level: 'warn' }, sink));
    const path = ensureFaceModels().detect;
    const first = await loadSession(path, { executionProviders: ['cuda', 'cpu'], intraOpThreads: 1 });
    const second = await loadSession(path, { executionProviders: ['cuda', 'cpu'], intraOpThreads: 1 });
    expect(first.provider).toBe('cpu');
    expect(second.provider).toBe('cpu');
    const warnings = lines.filter((l) => l.includes("'cuda' unavailable"));
    // Each test file runs in its own process, so this file's first cuda attempt is the one that warns.
    expect(warnings).toHaveLength(1);
    await first.session.release();
    await second.session.release();
  });

  it('names the file when it is missing, empty, truncated or not a model', async () => {
    await expect(loadSession(join(dir, 'missing.onnx'))).rejects.toThrow(/model file not found: .*missing\.onnx/);
    writeFileSync(join(dir, 'empty.onnx'), '');
    await expect(loadSession(join(dir, 'empty.onnx'))).rejects.toThrow(/model file is empty: .*empty\.onnx/);
    const full = readFileSync(ensureFaceModels().embed);
    writeFileSync(join(dir, 'truncated.onnx'), full.subarray(0, Math.floor(full.length / 2)));
    const truncated = await loadSession(join(dir, 'truncated.onnx')).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(ModelError);
    expect((truncated as ModelError).subject).toMatch(/truncated\.onnx$/);
    writeFileSync(join(dir, 'text.onnx'), 'definitely not protobuf');
    await expect(loadSession(join(dir, 'text.onnx'))).rejects.toThrow(/cannot load model .*text\.onnx/);
  });
});
