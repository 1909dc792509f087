import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { deprecatedSettings, deprecationMessage, emitDeprecation, type ConfigWarning } from './deprecations';
import { GatewayConfigSchema, type GatewayConfig } from './schema';

export class ConfigError extends Error {
  constructor(
    message: string,
    /** The path of the offending value, e.g. `cameras[2].zones[0].points`. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `cameras.2.zones.0.points` → `cameras[2].zones[0].points`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/**
 * Replaces `${NAME}` in every string with the environment variable, naming the path when it is unset;
 * `${NAME:-fallback}` uses the fallback (possibly empty) when it is unset or empty.
 */
function expandEnv(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (fallback !== undefined) return v === undefined || v === '' ? fallback : v;
      if (v === undefined) throw new ConfigError(`${formatPath(path)}: environment variable ${name} is not set`, formatPath(path));
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, [...path, k])]));
  }
  return value;
}

/** The environment variable that overrides a user's token: upper-cased, non-alphanumerics as `_`. */
export const tokenVariable = (user: string): string => `GATEWAY_TOKEN_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * GATEWAY_TOKEN_<USER> overrides a user's token. Two users whose names map to the same variable
 * (`guard.a`, `guard-a`) are a configuration error: a token rotated for one would log in as the other.
 */
function applySecretOverrides(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const cfg = raw as { users?: unknown };
  if (!Array.isArray(cfg.users)) return raw;
  const owners = new Map<string, { name: string; index: number }>();
  cfg.users.forEach((user: { name?: unknown; token?: unknown } | null, index) => {
    if (typeof user?.name !== 'string') return;
    const variable = tokenVariable(user.name);
    const first = owners.get(variable);
    if (first && first.name !== user.name) {
      const path = `users[${index}].name`;
      throw new ConfigError(`${path}: users '${first.name}' (users[${first.index}]) and '${user.name}' (users[${index}]) both take their token from ${variable}; rename one`, path);
    }
    owners.set(variable, { name: user.name, index });
    const override = env[variable];
    if (override) user.token = override;
  });
  return raw;
}

function firstIssue(error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  const path = formatPath(issue.path);
  return new ConfigError(`${path || '(root)'}: ${issue.message}`, path);
}

/**
 * Validates a parsed configuration object; throws a ConfigError naming the first bad value's path.
 * Deprecated settings (see deprecatedSettings) are accepted, dropped and named once through `warn`.
 */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env, warn: ConfigWarning = emitDeprecation): GatewayConfig {
  const expanded = applySecretOverrides(expandEnv(structuredClone(raw), env), env);
  const parsed = GatewayConfigSchema.safeParse(expanded);
  if (!parsed.success) throw firstIssue(parsed.error);
  const deprecated = deprecatedSettings(expanded);
  if (deprecated.length > 0) warn(deprecationMessage(deprecated));
  return parsed.data;
}

/** Reads a YAML (.yaml/.yml) or JSON configuration file. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env, warn: ConfigWarning = emitDeprecation): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration ${path}: ${(err as Error).message}`, '');
  }
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`, '');
  }
  return parseConfig(raw, env, (message) => warn(`${path}: ${message}`));
}
