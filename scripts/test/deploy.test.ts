/**
 * Deployment files, checked without a Docker engine: the Dockerfiles (linted with dockerfile-utils,
 * plus the project's rules), docker-compose.yml, the compose gateway configuration and the systemd
 * units; and the entry-point scripts run for real, from a folder laid out as each image holds them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile } from '../../gateway/config';
import { simulatorMedia } from '../../streams/simulator';
import { cacheDir, REPO_ROOT } from '../cache-dir';
import { executable } from '../system-ffmpeg';
import { contextFiles, copyArgs, DockerIgnore, layOutStage, parseDockerfile, type Stage } from './docker-context';

const DOCKERFILES = ['docker/gateway/Dockerfile', 'docker/central/Dockerfile', 'docker/camera-simulator/Dockerfile'];
const COMPOSE = 'docker/docker-compose.yml';
const COMPOSE_DIR = join(REPO_ROOT, dirname(COMPOSE));
const UNITS = ['deploy/edge-gateway.service', 'deploy/central.service'];

const read = (rel: string) => readFileSync(join(REPO_ROOT, rel), 'utf8');
const ignore = new DockerIgnore(read('.dockerignore'));
const stagesOf = (dockerfile: string) => parseDockerfile(read(dockerfile));
const finalStage = (dockerfile: string) => stagesOf(dockerfile).at(-1)!;
const argsOf = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) env[m[1]!] = m[3] ?? m[2]!;
  return env;
}

// ---- compose model --------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}
const compose = parseYaml(read(COMPOSE)) as ComposeFile;
const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`${COMPOSE} has no service ${name}`);
  return s;
};
const volumeMounts = (s: ComposeService) =>
  (s.volumes ?? []).map((v) => {
    const [source = '', target = ''] = v.split(':');
    return { source, target, bind: /^[./~]/.test(source) };
  });

/** `${NAME}`, `${NAME:?message}` or `${NAME:-}`: a value the environment supplies, never a default secret. */
const SUBSTITUTION_ONLY = /^\$\{[A-Z0-9_]+(:\?[^}]*|:-)?\}$/;
const SECRET_NAME = /PASSWORD|TOKEN|SECRET|KEY|CREDENTIAL/i;

// ---- processes ------------------------------------------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'deploy-test-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Only what the scripts need: no inherited DATABASE_URL, tokens or the like. */
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmp };

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exit };
}

async function waitForOutput(run: Started, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(needle)) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`no '${needle}' within ${timeoutMs} ms; output:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runToEnd(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
  const run = start(command, args, options);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const { code } = await run.exit;
  clearTimeout(timer);
  return { code, output: run.output() };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A stage of a Dockerfile (the final one unless named) laid out under a fresh folder; node_modules is
 * the repository's, where the stage copies or installs one.
 */
function imageTree(dockerfile: string, stageName?: string): { root: string; workdir: string } {
  const stages = stagesOf(dockerfile);
  const stage = stageName ? stages.find((s) => s.name === stageName)! : stages.at(-1)!;
  const root = mkdtempSync(join(tmp, 'image-'));
  const { workdir, fromStages } = layOutStage(stage, REPO_ROOT, ignore, root);
  const installs = argsOf(stage, 'RUN').some((r) => /npm (ci|install)/.test(r));
  if (installs || fromStages.some((c) => c.sources.some((s) => s.endsWith('node_modules/')))) symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, workdir, 'node_modules'));
  return { root, workdir: join(root, workdir) };
}

// ---- Dockerfiles ----------------------------------------------------------------------------

describe('Dockerfiles', () => {
  const strict: ValidatorSettings = {
    deprecatedMaintainer: ValidationSeverity.ERROR,
    directiveCasing: ValidationSeverity.ERROR,
    emptyContinuationLine: ValidationSeverity.ERROR,
    instructionCasing: ValidationSeverity.ERROR,
    instructionCmdMultiple: ValidationSeverity.ERROR,
    instructionEntrypointMultiple: ValidationSeverity.ERROR,
    instructionHealthcheckMultiple: ValidationSeverity.ERROR,
    instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
    instructionWorkdirRelative: ValidationSeverity.ERROR,
  };

  it.each(DOCKERFILES)('%s passes dockerfile-utils with every rule as an error', (dockerfile) => {
    const problems = validate(read(dockerfile), strict).map((d) => `${dockerfile}:${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it.each(DOCKERFILES)('%s: Debian bookworm bases, slim apt installs, non-root user, health check, tini entry point', (dockerfile) => {
    const stages = stagesOf(dockerfile);
    const names = new Set<string>();
    for (const stage of stages) {
      expect(['node:20-bookworm-slim', 'debian:bookworm-slim', ...names]).toContain(stage.from);
      if (stage.name) names.add(stage.name);
      for (const run of argsOf(stage, 'RUN').filter((r) => r.includes('apt-get install'))) expect(run).toContain('--no-install-recommends');
    }
    const final = stages.at(-1)!;
    expect(stages.length).toBeGreaterThan(1);
    expect(argsOf(final, 'RUN').some((r) => r.includes('apt-get install') && r.includes('rm -rf /var/lib/apt/lists/*'))).toBe(true);
    const user = argsOf(final, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(argsOf(final, 'HEALTHCHECK').at(-1)).toMatch(/ CMD \[/);
    expect(argsOf(final, 'EXPOSE')).toHaveLength(1);
    const entrypoint = JSON.parse(argsOf(final, 'ENTRYPOINT').at(-1)!) as string[];
    expect(entrypoint.slice(0, 2)).toEqual(['/usr/bin/tini', '--']);
    expect(entrypoint[2]).toMatch(/^scripts\/[a-z-]+-entrypoint\.sh$/);
    expect(executable(join(REPO_ROOT, entrypoint[2]!))).toBe(true);
  });

  it.each(DOCKERFILES)('%s: every COPY source exists, is in the build context and names an earlier stage when --from', (dockerfile) => {
    const stages = stagesOf(dockerfile);
    stages.forEach((stage, index) => {
      for (const instruction of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
        expect(instruction.keyword, `${dockerfile}:${instruction.line}`).toBe('COPY');
        const copy = copyArgs(instruction);
        if (copy.from) {
          expect(stages.slice(0, index).map((s) => s.name), `${dockerfile}:${instruction.line}`).toContain(copy.from);
          continue;
        }
        for (const source of copy.sources) {
          expect(existsSync(join(REPO_ROOT, source)), `${dockerfile}:${instruction.line}: ${source} missing`).toBe(true);
          expect(contextFiles(REPO_ROOT, source, ignore).length, `${dockerfile}:${instruction.line}: ${source} is .dockerignored`).toBeGreaterThan(0);
        }
      }
    });
  });

  it("npm ci runs with onnxruntime-node's CUDA download skipped (ONNXRUNTIME_NODE_INSTALL=skip), and only the gateway build runs postinstall (models converted at build time)", () => {
    for (const dockerfile of ['docker/gateway/Dockerfile', 'docker/central/Dockerfile']) {
      const build = stagesOf(dockerfile)[0]!;
      const skip = build.instructions.findIndex((i) => i.keyword === 'ENV' && /\bONNXRUNTIME_NODE_INSTALL=skip\b/.test(i.args));
      const ci = build.instructions.findIndex((i) => i.keyword === 'RUN' && i.args.includes('npm ci'));
      expect(skip).toBeGreaterThanOrEqual(0);
      expect(ci).toBeGreaterThan(skip);
      expect(build.instructions[ci]!.args.includes('--ignore-scripts')).toBe(dockerfile.includes('central'));
      expect(build.instructions[ci]!.args).toContain('--omit=dev');
    }
    expect(argsOf(finalStage('docker/gateway/Dockerfile'), 'RUN').join(' ')).toMatch(/apt-get install [^&]*\bffmpeg\b/);
  });

  it('the volumes hold the data: the gateway data dir and the central SQLite file', () => {
    expect(argsOf(finalStage('docker/gateway/Dockerfile'), 'VOLUME')).toEqual(['["/var/lib/edge-gateway"]']);
    const central = finalStage('docker/central/Dockerfile');
    expect(argsOf(central, 'VOLUME')).toEqual(['["/var/lib/edge-central"]']);
    expect(envOf(central).DATABASE_URL).toMatch(/^sqlite:\/var\/lib\/edge-central\//);
  });

  it('the central image holds everything the server imports: central-sync/ alone, none of the packages it deletes', () => {
    const removed = [...read('docker/central/Dockerfile').matchAll(/node_modules\/(@?[\w.-]+)/g)].map((m) => m[1]!);
    expect(removed).toContain('onnxruntime-node');
    const sources = contextFiles(REPO_ROOT, 'central-sync', ignore).filter((f) => f.endsWith('.ts'));
    for (const file of sources) {
      for (const m of read(file).matchAll(/from '([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) expect(posix.join(posix.dirname(file), spec), `${file} imports ${spec}`).toMatch(/^central-sync\//);
        else expect(removed, `${file} imports ${spec}`).not.toContain(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
  });
});

// ---- compose --------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('has the gateway, the central server, PostgreSQL and the camera simulator, built from the Dockerfiles here', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['camera-simulator', 'central', 'gateway', 'postgres']);
    expect(service('postgres').image).toMatch(/^postgres:\d+/);
    for (const s of Object.values(compose.services).filter((s) => s.build)) {
      expect(existsSync(join(COMPOSE_DIR, s.build!.context, s.build!.dockerfile))).toBe(true);
      expect(DOCKERFILES).toContain(posix.join(posix.relative(REPO_ROOT, join(COMPOSE_DIR, s.build!.context)), s.build!.dockerfile));
    }
  });

  it('every service has a health check or waits on a condition, and every awaited health check exists', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const deps = s.depends_on ?? {};
      const conditions = Array.isArray(deps) ? [] : Object.entries(deps);
      expect(s.healthcheck !== undefined || (conditions.length > 0 && conditions.every(([, d]) => d.condition)), name).toBe(true);
      for (const [dep, d] of conditions) if (d.condition === 'service_healthy') expect(service(dep).healthcheck, `${name} waits on ${dep}`).toBeDefined();
    }
  });

  it('keeps data in named volumes and mounts only files of the repository', () => {
    const config = loadConfigFile(join(COMPOSE_DIR, 'gateway.compose.yaml'), { GATEWAY_ADMIN_TOKEN: 'a'.repeat(32), CENTRAL_ENROLMENT_TOKEN: 'e'.repeat(32) });
    const named = (name: string) => volumeMounts(service(name)).filter((m) => !m.bind);
    expect(named('gateway').map((m) => m.target)).toContain(config.storage.dataDir);
    expect(named('postgres').map((m) => m.target)).toContain('/var/lib/postgresql/data');
    for (const [name, s] of Object.entries(compose.services)) {
      for (const mount of volumeMounts(s)) {
        if (mount.bind) expect(existsSync(join(COMPOSE_DIR, mount.source)), `${name}: ${mount.source}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name}: ${mount.source}`).toContain(mount.source);
      }
    }
    const configMount = volumeMounts(service('gateway')).find((m) => m.source === './gateway.compose.yaml');
    expect(configMount?.target).toBe(envOf(finalStage('docker/gateway/Dockerfile')).GATEWAY_CONFIG);
  });

  it('hard-codes no secret: passwords, tokens and URL credentials are ${VAR} substitutions without defaults', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, raw] of Object.entries(s.environment ?? {})) {
        const value = String(raw ?? '');
        if (SECRET_NAME.test(key)) expect(value, `${name}.${key}`).toMatch(SUBSTITUTION_ONLY);
        const password = /:\/\/[^/:@]+:([^@]+)@/.exec(value)?.[1];
        if (password !== undefined) expect(password, `${name}.${key}`).toMatch(SUBSTITUTION_ONLY);
      }
    }
    const text = read('docker/gateway.compose.yaml');
    const gateway = parseYaml(text) as { users: Array<{ token: string }>; sync: { enrolmentToken: string }; cameras: Array<{ url: string }> };
    for (const secret of [...gateway.users.map((u) => u.token), gateway.sync.enrolmentToken]) expect(secret).toMatch(SUBSTITUTION_ONLY);
    for (const camera of gateway.cameras) expect(new URL(camera.url).password).toBe('');
    // Every ${VAR} of the gateway configuration is handed to the container.
    for (const m of text.matchAll(/\$\{([A-Z0-9_]+)\}/g)) expect(Object.keys(service('gateway').environment ?? {})).toContain(m[1]);
  });

  it('the compose gateway configuration is valid and points at the compose services and health check port', () => {
    const config = loadConfigFile(join(COMPOSE_DIR, 'gateway.compose.yaml'), { GATEWAY_ADMIN_TOKEN: 'a'.repeat(32), CENTRAL_ENROLMENT_TOKEN: 'e'.repeat(32) });
    const services = Object.keys(compose.services);
    const simPort = envOf(finalStage('docker/camera-simulator/Dockerfile')).SIM_PORT;
    for (const camera of config.cameras) {
      const url = new URL(camera.url);
      expect(url.hostname).toBe('camera-simulator');
      expect(url.port).toBe(simPort);
      expect(String(service('camera-simulator').environment?.SIM_CAMERAS).split(' ')).toContain(url.pathname.slice(1));
    }
    expect(services).toContain(new URL(config.sync!.url).hostname);
    expect(config.sync!.credentialsFile.startsWith(`${config.storage.dataDir}/`)).toBe(true);
    expect(config.api.host).toBe('0.0.0.0');
    const probe = service('gateway').healthcheck!.test;
    expect(Array.isArray(probe) ? probe.join(' ') : probe).toContain(`http://127.0.0.1:${config.api.port}/health`);
    expect(envOf(finalStage('docker/gateway/Dockerfile')).HEALTHCHECK_URL).toBe(`http://127.0.0.1:${config.api.port}/health`);
  });
});

// ---- image layouts, run outside Docker ------------------------------------------------------

describe('image layouts, run outside Docker', () => {
  it('central-entrypoint.sh serves on SQLite, healthcheck.mjs says 0 to it and 1 to a dead port or a silent one, SIGTERM exits 0', async () => {
    const image = imageTree('docker/central/Dockerfile');
    const dbFile = join(tmp, 'central', 'central.sqlite');
    const port = await freePort();
    const env = { ...baseEnv, DATABASE_URL: `sqlite:${dbFile}`, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' };
    const server = start(join(image.workdir, 'scripts/central-entrypoint.sh'), [], { cwd: tmp, env });
    await waitForOutput(server, 'central server listening', 30_000);
    expect(existsSync(dbFile)).toBe(true);

    const probe = (url: string, extra: Record<string, string> = {}) => runToEnd('node', ['scripts/healthcheck.mjs', url], { cwd: image.workdir, env: { ...baseEnv, ...extra } });
    expect(await probe(`http://127.0.0.1:${port}/healthz`)).toMatchObject({ code: 0 });
    const viaEnv = await runToEnd('node', ['scripts/healthcheck.mjs'], { cwd: image.workdir, env: { ...baseEnv, HEALTHCHECK_URL: `http://127.0.0.1:${port}/healthz` } });
    expect(viaEnv.code).toBe(0);
    const dead = await probe(`http://127.0.0.1:${await freePort()}/healthz`);
    expect(dead.code).toBe(1);
    expect(dead.output).toContain('ECONNREFUSED');
    expect((await probe(`http://127.0.0.1:${port}/no-such-route`)).code).toBe(1);

    const silent = createServer(() => undefined);
    const silentPort = await listen(silent);
    const hung = await probe(`http://127.0.0.1:${silentPort}/healthz`, { HEALTHCHECK_TIMEOUT_MS: '300' });
    silent.close();
    expect(hung.code).toBe(1);
    expect(hung.output).toContain('no answer within 300 ms');

    server.child.kill('SIGTERM');
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"signal":"SIGTERM"');
  });

  it('gateway-entrypoint.sh loads the whole gateway from the image layout and stops on a missing secret or configuration', async () => {
    const image = imageTree('docker/gateway/Dockerfile');
    const config = join(tmp, 'gateway.yaml');
    writeFileSync(config, read('docker/gateway.compose.yaml'));
    const entrypoint = join(image.workdir, 'scripts/gateway-entrypoint.sh');
    const noSecret = await runToEnd(entrypoint, [], { cwd: tmp, env: { ...baseEnv, GATEWAY_CONFIG: config } });
    expect(noSecret.code).toBe(1);
    expect(noSecret.output).toContain('configuration error: users[0].token: environment variable GATEWAY_ADMIN_TOKEN is not set');
    const noFile = await runToEnd(entrypoint, [], { cwd: tmp, env: { ...baseEnv, GATEWAY_CONFIG: join(tmp, 'missing.yaml') } });
    expect(noFile.code).toBe(1);
    expect(noFile.output).toContain('cannot read the configuration');
  });

  it("the build stages hold what their RUN steps need: npm ci's model preparation, the simulator's video", async () => {
    const build = imageTree('docker/gateway/Dockerfile', 'build');
    const prepare = await runToEnd('node', ['--import', 'tsx', 'models/cli.ts', 'prepare'], { cwd: build.workdir, env: { ...baseEnv, GATEWAY_CACHE_DIR: cacheDir() } });
    expect(prepare.output).toContain('models ready');
    expect(prepare.code).toBe(0);

    const media = imageTree('docker/camera-simulator/Dockerfile', 'media');
    const out = join(tmp, 'sim-media');
    const made = await runToEnd('node', ['--import', 'tsx', 'scripts/simulator-media.ts', out, '720p'], { cwd: media.workdir, env: { ...baseEnv, GATEWAY_CACHE_DIR: cacheDir() } });
    expect(made.code, made.output).toBe(0);
    const simMedia = envOf(finalStage('docker/camera-simulator/Dockerfile')).SIM_MEDIA!;
    expect(existsSync(join(out, posix.basename(simMedia)))).toBe(true);
  });

  const gstreamer = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('GstRtspServer', '1.0')"]).status === 0;
  it.skipIf(!gstreamer)('camera-simulator-entrypoint.sh serves the named cameras, rtsp-healthcheck.py says 0 to it and 1 once it stopped', async () => {
    const image = imageTree('docker/camera-simulator/Dockerfile');
    const port = String(await freePort());
    const env = { ...baseEnv, SIM_MEDIA: simulatorMedia('720p'), SIM_CAMERAS: 'queue-hall back-street', SIM_HOST: '127.0.0.1', SIM_PORT: port };
    const sim = start(join(image.workdir, 'scripts/camera-simulator-entrypoint.sh'), [], { cwd: tmp, env });
    await waitForOutput(sim, 'READY', 30_000);
    const probe = () => runToEnd('/usr/bin/python3', ['scripts/rtsp-healthcheck.py'], { cwd: image.workdir, env: { ...baseEnv, SIM_PORT: port } });
    expect(await probe()).toMatchObject({ code: 0 });
    sim.child.kill('SIGTERM');
    expect(await sim.exit).toEqual({ code: 0, signal: null });
    expect((await probe()).code).toBe(1);

    const bad = await runToEnd(join(image.workdir, 'scripts/camera-simulator-entrypoint.sh'), [], { cwd: tmp, env: { ...env, SIM_CAMERAS: 'a/b' } });
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("camera name 'a/b'");
  });
});

// ---- systemd --------------------------------------------------------------------------------

describe('systemd units', () => {
  const unitSettings = (rel: string) => {
    const settings = new Map<string, string[]>();
    for (const line of read(rel).split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (m) settings.set(m[1]!, [...(settings.get(m[1]!) ?? []), m[2]!]);
    }
    return (key: string) => settings.get(key) ?? [];
  };

  it.each(UNITS)('%s runs the entry point as its own user, restarts, stops gently and is hardened', (unit) => {
    const get = unitSettings(unit);
    const name = unit.includes('gateway') ? 'edge-gateway' : 'edge-central';
    expect(get('User')).toEqual([name]);
    expect(get('WorkingDirectory')).toEqual([`/opt/${name}`]);
    expect(get('StateDirectory')).toEqual([name]);
    expect(get('ReadWritePaths').join(' ')).toContain(`/var/lib/${name}`);
    const exec = get('ExecStart')[0]!;
    expect(exec.startsWith(`/opt/${name}/scripts/`)).toBe(true);
    expect(executable(join(REPO_ROOT, exec.slice(`/opt/${name}/`.length)))).toBe(true);
    expect(get('Restart')).toEqual(['always']);
    expect(get('KillMode')).toEqual(['mixed']);
    expect(Number(get('TimeoutStopSec')[0])).toBeGreaterThanOrEqual(10);
    for (const [key, value] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['PrivateTmp', 'yes'], ['ProtectHome', 'yes']] as const) expect(get(key), key).toEqual([value]);
    if (name === 'edge-gateway') {
      expect(get('Environment')).toContain('GATEWAY_CONFIG=/etc/edge-gateway/gateway.yaml');
      // installShutdownHooks exits 143 after a clean SIGTERM stop; systemd must not call that a failure.
      expect(get('SuccessExitStatus')).toEqual(['143']);
    }
  });

  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  it.skipIf(!analyze)('systemd-analyze verifies both units without a word and rates their exposure at most 4.0', () => {
    // ExecStart must exist for verify: point it at this checkout instead of /opt.
    const dir = mkdtempSync(join(tmp, 'units-'));
    const copies = UNITS.map((unit) => {
      const path = join(dir, posix.basename(unit));
      writeFileSync(path, read(unit).replace(/^ExecStart=\/opt\/[a-z-]+\//m, `ExecStart=${REPO_ROOT}/`));
      return path;
    });
    const verify = spawnSync('systemd-analyze', ['verify', ...copies], { encoding: 'utf8' });
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(verify.status).toBe(0);
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=40', ...copies], { encoding: 'utf8' });
    expect(security.status, security.stdout.split('\n').filter((l) => l.includes('Overall')).join('\n')).toBe(0);
  });
});
