/**
 * Real test media from Debian packages (opencv-doc, python3-skimage), fetched into a
 * git-ignored cache and checked against pinned sha256 sums.
 *
 * Order of sources for each file: the cache (verified), the file installed on this system
 * (when the package is installed), the package's .deb fetched with `apt-get download` and
 * unpacked with `dpkg-deb`. Idempotent: with a warm cache it only hashes the files.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from './cache-dir';

interface MediaFile {
  /** Debian package that ships the file. */
  debPackage: string;
  /** Absolute path of the file inside the package. */
  pathInPackage: string;
  sha256: string;
}

const OPENCV_DATA = '/usr/share/doc/opencv-doc/examples/data';
const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';

function opencv(name: string, sha256: string): MediaFile {
  return { debPackage: 'opencv-doc', pathInPackage: `${OPENCV_DATA}/${name}`, sha256 };
}
function skimage(name: string, sha256: string): MediaFile {
  return { debPackage: 'python3-skimage', pathInPackage: `${SKIMAGE_DATA}/${name}`, sha256 };
}

export const MEDIA = {
  'vtest.avi': opencv('vtest.avi', '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf'),
  'tree.avi': opencv('tree.avi', '4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc'),
  'Megamind.avi': opencv('Megamind.avi', '0057387cb7e75c8fd1663b62cfdc51fa53f527795d0fe3c1fea2fd159d3130b5'),
  'basketball1.png': opencv('basketball1.png', 'ba06f6701f7260998b430c39b6557f775497e6ce7b1a74f0b7ea6af371bf54a6'),
  'basketball2.png': opencv('basketball2.png', 'b3047772e0dc6c9d83c26f64894ca1a897f799f855c5574ac24b2ef934c2978e'),
  'messi5.jpg': opencv('messi5.jpg', '1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9'),
  'fruits.jpg': opencv('fruits.jpg', '9c031d80a1c52da5eca790db896baffec6a7e52bf786cdb7bbfca5c7f880e6a1'),
  'home.jpg': opencv('home.jpg', '23b8cf46a1965d0ec33459b875aed43187802834db49e0daa9fa2cc842e9d8d2'),
  'astronaut.png': skimage('astronaut.png', '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5'),
  'camera.png': skimage('camera.png', 'b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a'),
  'coffee.png': skimage('coffee.png', 'cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7'),
  'chelsea.png': skimage('chelsea.png', '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb'),
} satisfies Record<string, MediaFile>;

export type MediaName = keyof typeof MEDIA;
const MEDIA_NAMES = Object.keys(MEDIA) as MediaName[];

export function mediaDir(): string {
  return join(cacheDir(), 'media');
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function isValid(path: string, sha256: string): boolean {
  return existsSync(path) && sha256File(path) === sha256;
}

/** Downloads a package's .deb into the cache (no root needed) and returns its path. */
function downloadDeb(debPackage: string, debDir: string): string {
  mkdirSync(debDir, { recursive: true });
  const existing = readdirSync(debDir).find((f) => f.startsWith(`${debPackage}_`) && f.endsWith('.deb'));
  if (existing) return join(debDir, existing);
  try {
    execFileSync('apt-get', ['download', debPackage], { cwd: debDir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(
      `media: could not download Debian package '${debPackage}' (run 'apt-get update' first?): ${stderr.trim()}`,
    );
  }
  const deb = readdirSync(debDir).find((f) => f.startsWith(`${debPackage}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`media: apt-get download ${debPackage} produced no .deb in ${debDir}`);
  return join(debDir, deb);
}

function extractFromDeb(deb: string, pathsInPackage: string[], outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const members = pathsInPackage.map((p) => `.${p}`);
  const script = 'deb=$1; out=$2; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out" "$@"';
  try {
    execFileSync('sh', ['-c', script, 'extract', deb, outDir, ...members], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new Error(`media: could not unpack ${members.join(', ')} from ${deb}: ${stderr}`);
  }
}

/**
 * Makes sure the named media files are in the cache with the right checksums and returns
 * their absolute paths. Throws an error naming the file when a checksum does not match.
 */
export function ensureMedia<N extends MediaName>(names: readonly N[] = MEDIA_NAMES as N[]): Record<N, string> {
  const dir = mediaDir();
  mkdirSync(dir, { recursive: true });
  const missing: N[] = [];
  for (const name of names) {
    const file = MEDIA[name];
    const target = join(dir, name);
    if (isValid(target, file.sha256)) continue;
    if (isValid(file.pathInPackage, file.sha256)) {
      copyFileSync(file.pathInPackage, target);
      continue;
    }
    missing.push(name);
  }
  const byPackage = new Map<string, N[]>();
  for (const name of missing) {
    const pkg = MEDIA[name].debPackage;
    byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), name]);
  }
  for (const [pkg, pkgNames] of byPackage) {
    const deb = downloadDeb(pkg, join(dir, 'debs'));
    const unpackDir = join(dir, `.unpack-${pkg}`);
    extractFromDeb(deb, pkgNames.map((n) => MEDIA[n].pathInPackage), unpackDir);
    for (const name of pkgNames) {
      const file = MEDIA[name];
      const extracted = join(unpackDir, file.pathInPackage);
      const actual = existsSync(extracted) ? sha256File(extracted) : 'missing';
      if (actual !== file.sha256) {
        throw new Error(`media: ${name} from ${pkg} has sha256 ${actual}, expected ${file.sha256}`);
      }
      renameSync(extracted, join(dir, name));
    }
    rmSync(unpackDir, { recursive: true, force: true });
  }
  return Object.fromEntries(names.map((n) => [n, resolve(dir, n)])) as Record<N, string>;
}

/** Removes downloaded .deb files once every file is extracted (they are 100+ MB). */
export function pruneDebs(): void {
  rmSync(join(mediaDir(), 'debs'), { recursive: true, force: true });
}
