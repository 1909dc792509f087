/** Receives one message per configuration that still uses deprecated settings. */
export type ConfigWarning = (message: string) => void;

const warned = new Set<string>();

/** Node's channel for deprecations (stderr, `--no-deprecation` silences it); each message once per process. */
export const emitDeprecation: ConfigWarning = (message) => {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { type: 'DeprecationWarning', code: 'GATEWAY_CONFIG_DEPRECATED' });
};

/**
 * The paths of settings an old site file may still hold that nothing reads: accepted, dropped from
 * the parsed configuration and named in a warning. Today only a camera's `role`.
 */
export function deprecatedSettings(raw: unknown): string[] {
  const cameras = raw && typeof raw === 'object' ? (raw as { cameras?: unknown }).cameras : undefined;
  if (!Array.isArray(cameras)) return [];
  return cameras.flatMap((camera: unknown, i) => (camera && typeof camera === 'object' && 'role' in camera ? [`cameras[${i}].role`] : []));
}

export function deprecationMessage(paths: readonly string[]): string {
  return `${paths.join(', ')}: a camera's \`role\` is read by nothing and is ignored; remove it (a later version will refuse it)`;
}
