import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aptInstaller } from '../apt-install';
import { ensureSystemFfmpeg } from '../system-ffmpeg';

let dir: string;
let bin: string;
let logFile: string;
let printed: string[];
const print = (line: string) => void printed.push(line);

/**
 * A stand-in apt-get on PATH: a real process printing 300 lines for each call, like apt-get does;
 * `install` also puts an ffmpeg beside it, unless it fails with exit 100 as asked.
 */
function fakeAptGet(failOn?: 'update' | 'install'): void {
  const script = `#!/bin/sh
i=0
while [ $i -lt 300 ]; do echo "apt line $i for $1"; i=$((i+1)); done
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND args: $*" >&2
${failOn ? `[ "$1" = "${failOn}" ] && { echo "E: Unable to locate package" >&2; exit 100; }` : ''}
[ "$1" = install ] && { printf '#!/bin/sh\\necho ffmpeg\\n' > "${bin}/ffmpeg"; /bin/chmod +x "${bin}/ffmpeg"; }
exit 0
`;
  writeFileSync(join(bin, 'apt-get'), script);
  chmodSync(join(bin, 'apt-get'), 0o755);
}

/** PATH with the stand-in alone (the script names /bin/chmod in full): no ffmpeg of the system's. */
function env(): NodeJS.ProcessEnv {
  return { PATH: bin };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'first-run-'));
  bin = join(dir, 'bin');
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin);
  logFile = join(dir, 'data', 'install.log');
  printed = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('first-run installs', () => {
  it("print one line per install and keep apt-get's whole output in the log under the data dir", () => {
    fakeAptGet();
    const apt = aptInstaller({ logFile, env: env(), print });
    expect(apt.install("the camera simulator's packages", ['python3-gi', 'gir1.2-gst-rtsp-server-1.0'])).toBe(true);
    expect(apt.install('ffmpeg', ['ffmpeg'])).toBe(true);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/^installing the camera simulator's packages with apt-get: python3-gi gir1.2-gst-rtsp-server-1.0/);
    expect(printed[1]).toMatch(/^installing ffmpeg with apt-get: ffmpeg/);
    const log = readFileSync(logFile, 'utf8');
    // Package lists updated once, then two installs: 3 runs of 300 lines, each under its command line.
    expect(log.match(/^apt line \d+ for /gm)).toHaveLength(900);
    expect(log.match(/^\$ apt-get update$/gm)).toHaveLength(1);
    expect(log).toContain('args: install -y --no-install-recommends python3-gi gir1.2-gst-rtsp-server-1.0');
    expect(log).toContain('DEBIAN_FRONTEND=noninteractive args: install -y --no-install-recommends ffmpeg');
  });

  it('name the log file when apt-get fails, and say which step failed', () => {
    fakeAptGet('install');
    const apt = aptInstaller({ logFile, env: env(), print });
    expect(apt.install('ffmpeg', ['ffmpeg'])).toBe(false);
    expect(printed).toHaveLength(2);
    expect(printed[1]).toBe(`installing ffmpeg failed: apt-get install exited with 100; apt-get's output is in ${logFile}`);
    expect(readFileSync(logFile, 'utf8')).toContain('E: Unable to locate package');
  });

  it('say so when apt-get cannot even start', () => {
    const apt = aptInstaller({ logFile, env: env(), print, aptGet: 'no-such-apt-get' });
    expect(apt.install('ffmpeg', ['ffmpeg'])).toBe(false);
    expect(printed[1]).toMatch(new RegExp(`^installing ffmpeg failed: no-such-apt-get could not run \\(.*ENOENT.*\\); apt-get's output is in ${logFile}$`));
  });
});

describe("the demo's ffmpeg on a first run", () => {
  it("installs Debian's ffmpeg when the system has none and this process may install it", () => {
    fakeAptGet();
    const installer = aptInstaller({ logFile, env: env(), print });
    expect(ensureSystemFfmpeg({ env: env(), installer, print })).toBe('installed');
    expect(existsSync(join(bin, 'ffmpeg'))).toBe(true);
    expect(printed).toEqual([`installing ffmpeg with apt-get: ffmpeg (output in ${logFile})`]);
  });

  it('uses the npm binary and says so once when it may not install, or the install fails', () => {
    expect(ensureSystemFfmpeg({ env: env(), print })).toBe('npm');
    expect(printed).toEqual(["ffmpeg: the system's is not installed and this is not root (apt-get install ffmpeg installs it); using the copy shipped by npm (@ffmpeg-installer/ffmpeg)"]);
    printed = [];
    fakeAptGet('update');
    expect(ensureSystemFfmpeg({ env: env(), installer: aptInstaller({ logFile, env: env(), print }), print })).toBe('npm');
    expect(printed).toHaveLength(3);
    expect(printed[1]).toBe(`installing ffmpeg failed: apt-get update exited with 100; apt-get's output is in ${logFile}`);
    expect(printed[2]).toMatch(/^ffmpeg: the system's could not be installed; using the copy shipped by npm/);
  });

  it('leaves a system ffmpeg, or FFMPEG_PATH, alone and says nothing', () => {
    fakeAptGet();
    const installer = aptInstaller({ logFile, env: env(), print });
    expect(ensureSystemFfmpeg({ env: { ...env(), FFMPEG_PATH: '/opt/ffmpeg' }, installer, print })).toBe('configured');
    writeFileSync(join(bin, 'ffmpeg'), '#!/bin/sh\n');
    chmodSync(join(bin, 'ffmpeg'), 0o755);
    expect(ensureSystemFfmpeg({ env: env(), installer, print })).toBe('system');
    expect(printed).toEqual([]);
    expect(existsSync(logFile)).toBe(false);
  });
});
