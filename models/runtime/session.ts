import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ModelError } from '../errors';
import { modelsLog } from './log';

export const ExecutionProviderSchema = z.enum(['cuda', 'cpu']);
export type ExecutionProvider = z.infer<typeof ExecutionProviderSchema>;

export const SessionConfigSchema = z
  .object({
    /** Threads ORT uses inside one operator; 0 lets ORT choose (all physical cores). */
    intraOpThreads: z.number().int().min(0).max(256).default(0),
    graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
    /** Tried in order; a provider this machine lacks is skipped with one warning. `cpu` is always last. */
    executionProviders: z.array(ExecutionProviderSchema).min(1).default(['cuda', 'cpu']),
    /**
     * Let idle intra-op threads busy-wait for the next operator. Off by default: on a 2-4 core box
     * spinning threads of several sessions starve each other and sharp (measured: face describe
     * 30 ms with spinning, 15 ms without).
     */
    allowSpinning: z.boolean().default(false),
    /** Flush denormal floats to zero: avoids slow denormal arithmetic on real images. */
    denormalAsZero: z.boolean().default(true),
  })
  .strict();
export type SessionConfig = z.input<typeof SessionConfigSchema>;

export interface LoadedSession {
  session: ort.InferenceSession;
  /** The provider the session actually runs on. */
  provider: ExecutionProvider;
  modelPath: string;
}

const warnedProviders = new Set<string>();

function warnOnce(provider: string, reason: string): void {
  if (warnedProviders.has(provider)) return;
  warnedProviders.add(provider);
  modelsLog.warn({ provider, reason }, `execution provider '${provider}' unavailable, falling back to cpu`);
}

const failedProviders = new Set<ExecutionProvider>();

/**
 * onnxruntime-node lists cuda as a backend even when its provider library was never installed
 * (the install script is skipped); trying it anyway makes ORT log an error per session.
 */
function providerAvailable(provider: ExecutionProvider): boolean {
  if (provider === 'cpu') return true;
  if (failedProviders.has(provider)) return false;
  const listed = ort.listSupportedBackends().some((b) => b.name === provider);
  return listed && existsSync(join(ortBinaryDir(), `libonnxruntime_providers_${provider}.so`));
}

function ortBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(root, 'bin', 'napi-v6', process.platform, process.arch);
}

function checkModelFile(modelPath: string): void {
  if (!existsSync(modelPath)) throw new ModelError(`model file not found: ${modelPath}`, modelPath);
  const size = statSync(modelPath).size;
  if (size === 0) throw new ModelError(`model file is empty: ${modelPath}`, modelPath);
}

/**
 * Opens an ONNX model with the first execution provider that works, falling back to cpu.
 * A missing, empty, truncated or corrupt file gives a ModelError naming the file.
 */
export async function loadSession(modelPath: string, config: SessionConfig = {}): Promise<LoadedSession> {
  const cfg = SessionConfigSchema.parse(config);
  checkModelFile(modelPath);
  const providers = [...cfg.executionProviders.filter((p) => p !== 'cpu'), 'cpu' as const];
  let lastError: unknown;
  for (const provider of providers) {
    if (!providerAvailable(provider)) {
      warnOnce(provider, 'not in onnxruntime-node backends on this machine');
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        intraOpNumThreads: cfg.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: cfg.graphOptimizationLevel,
        executionMode: 'sequential',
        extra: {
          session: {
            'intra_op.allow_spinning': cfg.allowSpinning ? '1' : '0',
            set_denormal_as_zero: cfg.denormalAsZero ? '1' : '0',
          },
        },
      });
      return { session, provider, modelPath };
    } catch (err) {
      lastError = err;
      if (provider !== 'cpu') {
        failedProviders.add(provider);
        warnOnce(provider, (err as Error).message);
      }
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new ModelError(`cannot load model ${modelPath}: ${reason.split('\n')[0]}`, modelPath);
}

/** Dimensions of a session input as ORT reports them (numbers, or names for symbolic dims). */
export function inputShape(session: ort.InferenceSession, index = 0): ReadonlyArray<number | string> {
  const meta = session.inputMetadata[index];
  if (!meta || !meta.isTensor) throw new ModelError(`model input ${index} is not a tensor`, `inputs[${index}]`);
  return meta.shape;
}

export function outputShape(session: ort.InferenceSession, index: number): ReadonlyArray<number | string> {
  const meta = session.outputMetadata[index];
  if (!meta || !meta.isTensor) throw new ModelError(`model output ${index} is not a tensor`, `outputs[${index}]`);
  return meta.shape;
}

export { ort };
