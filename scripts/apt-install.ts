/**
 * Debian packages installed on a first run (`npm start` as root): one progress line per install on
 * the console, apt-get's own output appended to a log file whose path is printed when an install
 * fails.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AptInstallerOptions {
  /** Where apt-get's output goes (appended; the folder is created). */
  logFile: string;
  /** The command run, looked up on `env.PATH` (default apt-get). */
  aptGet?: string;
  env?: NodeJS.ProcessEnv;
  /** One line for the person running the gateway (default console.log). */
  print?: (line: string) => void;
}

export interface AptInstaller {
  /** Installs `packages` (saying so in one line); false, after a line naming the log, when apt-get fails. */
  install(what: string, packages: readonly string[]): boolean;
}

export function aptInstaller(options: AptInstallerOptions): AptInstaller {
  const aptGet = options.aptGet ?? 'apt-get';
  const env = { ...(options.env ?? process.env), DEBIAN_FRONTEND: 'noninteractive' };
  const print = options.print ?? ((line: string) => console.log(line));
  let listsUpdated = false;

  /** Runs apt-get with its output in the log; the failure, in words, or undefined. */
  const run = (args: string[]): string | undefined => {
    mkdirSync(dirname(options.logFile), { recursive: true });
    appendFileSync(options.logFile, `\n$ ${aptGet} ${args.join(' ')}\n`);
    const log = openSync(options.logFile, 'a');
    try {
      const r = spawnSync(aptGet, args, { env, stdio: ['ignore', log, log] });
      if (r.error) return `${aptGet} could not run (${r.error.message})`;
      return r.status === 0 ? undefined : `${aptGet} ${args[0]} exited with ${r.status ?? r.signal}`;
    } finally {
      closeSync(log);
    }
  };

  return {
    install(what, packages) {
      print(`installing ${what} with ${aptGet}: ${packages.join(' ')} (output in ${options.logFile})`);
      const failure = (listsUpdated ? undefined : run(['update'])) ?? run(['install', '-y', '--no-install-recommends', ...packages]);
      listsUpdated = true;
      if (failure) print(`installing ${what} failed: ${failure}; apt-get's output is in ${options.logFile}`);
      return failure === undefined;
    },
  };
}
