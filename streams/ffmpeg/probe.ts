import { execFileSync } from 'node:child_process';

/**
 * The names of the options that differ between ffmpeg releases, as the binary itself describes
 * them in `ffmpeg -h full` (not guessed from its version line, which git snapshots do not number).
 */
export interface FfmpegOptionNames {
  /**
   * The RTSP demuxer's socket I/O timeout (microseconds): `-timeout` from ffmpeg 5, `-stimeout`
   * before, when ffmpeg 4's `-timeout` meant "wait for incoming connections" (listen mode).
   * Undefined when the binary has neither (no timeout is passed then).
   */
  rtspSocketTimeout: '-timeout' | '-stimeout' | undefined;
  /** The generic I/O timeout (microseconds) used for HTTP cameras; undefined when absent. */
  ioTimeout: '-rw_timeout' | undefined;
  /** How to keep each decoded frame's timing: `-fps_mode` (5.1+) or the older `-vsync`. */
  frameTiming: '-fps_mode' | '-vsync';
  /** showinfo can skip its per-frame Adler-32 of every pixel (`checksum=0`); the gateway only reads timestamps. */
  showinfoChecksumOption: boolean;
}

/** Each option a help text lists, by section: '' holds ffmpeg's own options, others e.g. 'RTSP demuxer'. */
export type HelpSections = Map<string, Map<string, string>>;

const SECTION = /^(\S.*) AVOptions:$/;
/** `  -stimeout          <int>        .D....... set timeout (in microseconds) ...` */
const AV_OPTION = /^ {2}-(\S+)\s+<[\w]+>\s+[A-Z.]+\s*(.*)$/;
/** `-fps_mode           set framerate mode ...` (ffmpeg's own options start at column 0). */
const MAIN_OPTION = /^-(\S+)\s*(.*)$/;

/** Parses `ffmpeg -h full` (or `-h long`, `-h demuxer=rtsp`) into options and their help text. */
export function parseHelp(text: string): HelpSections {
  const sections: HelpSections = new Map([['', new Map()]]);
  let current = sections.get('')!;
  for (const line of text.split('\n')) {
    const section = SECTION.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const option = AV_OPTION.exec(line) ?? (current === sections.get('') ? MAIN_OPTION.exec(line) : null);
    if (option && !current.has(option[1]!)) current.set(option[1]!, option[2]!.trim());
  }
  return sections;
}

/** A socket timeout, not ffmpeg 4's "maximum timeout (in seconds) to wait for incoming connections". */
function isSocketTimeout(help: string | undefined): boolean {
  return help !== undefined && /socket/i.test(help) && !/incoming connections|listen/i.test(help);
}

export function optionNamesFromHelp(text: string): FfmpegOptionNames {
  const sections = parseHelp(text);
  const rtsp = sections.get('RTSP demuxer') ?? new Map<string, string>();
  const protocols = sections.get('URLContext') ?? new Map<string, string>();
  return {
    rtspSocketTimeout: isSocketTimeout(rtsp.get('timeout')) ? '-timeout' : isSocketTimeout(rtsp.get('stimeout')) ? '-stimeout' : undefined,
    ioTimeout: protocols.has('rw_timeout') ? '-rw_timeout' : undefined,
    frameTiming: sections.get('')!.has('fps_mode') ? '-fps_mode' : '-vsync',
    // Filter options are listed without a dash: `   checksum   <boolean>  ..FV.... calculate checksums`.
    showinfoChecksumOption: /^showinfo AVOptions:\r?\n\s+checksum\s+<boolean>/m.test(text),
  };
}

const probed = new Map<string, FfmpegOptionNames>();

/** Asks the binary at `path` for its options once (`-h full`, ~0.2 s); cached per path. */
export function probeFfmpeg(path: string): FfmpegOptionNames {
  let names = probed.get(path);
  if (!names) {
    // The full help is ~1 MB (ffmpeg 5.1) and grows with each release.
    const help = execFileSync(path, ['-hide_banner', '-h', 'full'], { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'ignore'] });
    names = optionNamesFromHelp(help);
    probed.set(path, names);
  }
  return names;
}
