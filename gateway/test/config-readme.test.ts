import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { CameraStream } from '../../streams';
import { CameraSourceSchema } from '../../streams/camera/config';
import { CameraConfigSchema, GatewayConfigSchema, loadConfigFile, streamSourceOf } from '../config';
import { envVariables, README, section, tableFields, yamlBlocks } from './readme-doc';

const dir = mkdtempSync(join(tmpdir(), 'gw-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gatewaySection = section('## The gateway (gateway/)');
const uplinkSection = section('### Gateway uplink (`sync:` in the gateway configuration)');
const cameraTable = tableFields(section('### Camera configuration'));

/** A value for every `${VAR}` the examples use: 32 characters, long enough for a token. */
const env = Object.fromEntries(envVariables(gatewaySection + uplinkSection).map((name) => [name, `${name.toLowerCase()}-`.padEnd(32, 'x')]));
const expand = (value: unknown): unknown =>
  typeof value === 'string' ? value.replace(/\$\{([A-Z0-9_]+)(?::-[^}]*)?\}/g, (_m, name: string) => env[name]!) : value;

/** Writes a configuration as a site file would be and loads it through the gateway's loader. */
function load(config: unknown, name: string) {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(config));
  return loadConfigFile(path, env);
}

/** [path, value] of every scalar in a parsed YAML document. */
function leaves(value: unknown, path: Array<string | number> = []): Array<[Array<string | number>, unknown]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [[path, value]];
}
const at = (value: unknown, path: Array<string | number>): unknown => path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);

/** Every key name anywhere in a zod schema (objects, arrays, optionals, defaults, unions, pipes). */
function fieldNames(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, inner]) => [key, ...fieldNames(inner)]);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return fieldNames(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return fieldNames(schema.element as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(fieldNames);
  if (schema instanceof z.ZodPipe) return [...fieldNames(schema.in as z.ZodType), ...fieldNames(schema.out as z.ZodType)];
  return [];
}

/**
 * A value for each documented camera field that is not its default, so arriving proves it was read.
 * A field the README documents without a value here fails the test: add one.
 */
const SAMPLES: Record<string, unknown> = {
  id: 'sample-cam',
  url: 'rtsp://viewer:pw@10.0.0.9:554/live',
  detectFps: 12.5,
  detectSize: { width: 1280, height: 720 },
  letterbox: true,
  transport: 'udp',
  keyframesOnly: true,
  fastDecode: false,
  inputOptions: ['-hwaccel', 'vaapi'],
  realtime: false,
  loop: false,
  stallAfterMs: 4000,
  watchdogMs: 15_000,
  startTimeoutMs: 30_000,
  socketTimeoutMs: 7000,
  backoff: { initialMs: 500, maxMs: 20_000, resetAfterMs: 30_000, failAfterAttempts: 5, failedRetryMs: 120_000, jitter: 0.1 },
  name: 'Hall, window side',
  enabled: false,
  faceRecognition: true,
  motionGate: false,
  clips: false,
  zones: [{ id: 'line', type: 'queue', points: [[0, 0], [0.5, 0], [0.5, 1]], maxLength: 4, maxWaitSeconds: 300 }],
  masks: [[[0.9, 0], [1, 0], [1, 0.2]]],
};
const site = { id: 'readme', name: 'README site' };
/** Camera fields accepted only so old site files still load, with a warning, and dropped (config.test.ts): not documented. */
const DEPRECATED = ['role'];
const minimalCamera = { id: 'minimal', url: 'rtsp://10.0.0.1/live' };

describe('the README configuration example', () => {
  it('loads, with every value of the gateway example and the `sync:` example as written', () => {
    const [example] = yamlBlocks(gatewaySection);
    const [uplink] = yamlBlocks(uplinkSection);
    expect(example, 'a ```yaml block under "## The gateway (gateway/)"').toMatchObject({ site: expect.anything(), cameras: expect.anything() });
    expect(uplink, 'a ```yaml block under "### Gateway uplink"').toMatchObject({ sync: expect.anything() });
    const documented = { ...(example as object), ...(uplink as object) };
    const loaded = load(documented, 'example');
    const values = leaves(documented);
    expect(values.length).toBeGreaterThan(40);
    for (const [path, value] of values) expect(at(loaded, path), path.join('.')).toEqual(expand(value));
  });
});

describe('the README camera table (### Camera configuration)', () => {
  it('documents every camera field the gateway accepts but the deprecated `role`, and no other', () => {
    expect([...cameraTable].sort()).toEqual(Object.keys(CameraConfigSchema.shape).filter((field) => !DEPRECATED.includes(field)).sort());
  });

  it.each(cameraTable)('`%s` is accepted and reaches the loaded configuration, and the stream when it is a stream setting', (field) => {
    expect(Object.keys(SAMPLES), `a sample value for the documented field ${field}`).toContain(field);
    const sample = SAMPLES[field];
    const defaults = load({ site, cameras: [minimalCamera] }, `default-${field}`).cameras[0]!;
    expect((defaults as Record<string, unknown>)[field], 'the sample must differ from the default').not.toEqual(sample);

    const camera = load({ site, cameras: [{ ...minimalCamera, [field]: sample }] }, `field-${field}`).cameras[0]!;
    expect((camera as Record<string, unknown>)[field]).toEqual(sample);
    if (field in CameraSourceSchema.shape) {
      // What service.ts starts the camera's stream (and live relay) with.
      const stream = new CameraStream(streamSourceOf(camera));
      expect((stream.config as Record<string, unknown>)[field]).toEqual(sample);
    }
  });
});

describe('the README documents the whole gateway configuration', () => {
  it('names every field of the gateway configuration schema (as `name`, `section.name` or in a YAML example)', () => {
    // `name`, `section.name` or `name:` (a YAML key) anywhere in the README.
    const mentioned = (name: string) => new RegExp(`\`(?:\\w+\\.)*${name}\`|\\b${name}:`).test(README);
    const names = [...new Set(fieldNames(GatewayConfigSchema))];
    // The walk reaches into every part: models, zones of each type, schedules, sync, cameras' stream settings.
    expect(names).toEqual(expect.arrayContaining(['personThreshold', 'detectorModel', 'maxWaitSeconds', 'loiterSeconds', 'windows', 'days', 'sendFaceCrops', 'letterbox', 'failedRetryMs', 'tls', 'keyPath']));
    const undocumented = names.filter((name) => !mentioned(name));
    expect(undocumented).toEqual([]);
  });
});
