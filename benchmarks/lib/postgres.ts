import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries under
 * /usr/lib/postgresql/<version>/bin (or PG_BIN), a temp data dir, 127.0.0.1 on a free port with
 * trust auth, the unix socket inside the temp dir. As root, the server runs as the `postgres` user
 * (PostgreSQL refuses to run as root). stop() kills it (-m immediate) and deletes everything.
 */
export interface TestPostgres {
  port: number;
  /** Connection URL of a database in this cluster (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export interface StartPostgresOptions {
  /** fsync and synchronous_commit on (benchmarks); tests run with them off for speed. */
  durable?: boolean;
}

function findBinDir(): string | undefined {
  const candidates = process.env.PG_BIN
    ? [process.env.PG_BIN]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => join('/usr/lib/postgresql', v, 'bin'))
      : [];
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!findBinDir()) return 'no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; install postgresql or set PG_BIN';
  if (process.getuid?.() === 0 && !postgresUser()) return "running as root and there is no 'postgres' system user to run the server as";
  return undefined;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const why = postgresUnavailable();
  if (why) throw new Error(why);
  const bin = findBinDir()!;
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser()! : undefined;
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = owner ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    return execFileSync(cmd as string, argv as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };

  const dir = mkdtempSync(join(tmpdir(), 'central-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  let started = false;
  const stop = () => {
    if (started) {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '20']);
      } catch {
        // Already gone.
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process dies without afterAll, do not leave a server behind.
  const onExit = () => stop();
  process.once('exit', onExit);

  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    if (owner) chownSync(join(data, 'pg_hba.conf'), owner.uid, owner.gid);
    const settings = [
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c max_connections=200',
      '-c shared_buffers=256MB',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ];
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        run('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-o', `-p ${port} ${settings.join(' ')}`]);
        started = true;
        break;
      } catch (err) {
        // Another process may have taken the port between probe and start.
        if (attempt >= 3) throw new Error(`pg_ctl start failed: ${(err as Error).message}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''}`);
      }
    }
    const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
    return {
      port,
      url,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
        const client = new pg.Client({ connectionString: url() });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return url(name);
      },
      stop() {
        process.removeListener('exit', onExit);
        stop();
      },
    };
  } catch (err) {
    process.removeListener('exit', onExit);
    stop();
    throw err;
  }
}
