/**
 * `npm run central`: the data-centre server. Configuration from the environment:
 * DATABASE_URL, HOST, PORT, CENTRAL_ADMIN_TOKEN, CENTRAL_ACCEPT_FACE_CROPS, CENTRAL_RETENTION_DAYS,
 * CENTRAL_FACE_CROP_DAYS, CENTRAL_LOGIN_LIMIT, CENTRAL_LOGIN_WINDOW_MINUTES, CENTRAL_TRUST_PROXY, CENTRAL_AUDIT_RETENTION_DAYS, PG_POOL_MAX, LOG_LEVEL.
 * The console (pages at /, /login, /admin ...) is served by the same process; the first admin logs in
 * with CENTRAL_ADMIN_TOKEN and creates named users on /admin.
 */
import pino from 'pino';
import { z } from 'zod';
import { startCentralServer } from './server';
import { DEFAULT_DATABASE_URL } from './store';

const days = (fallback: number, min: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, 'expected a whole number of days')
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().int().min(min).max(36_500));

const Env = z
  .object({
    DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8090),
    CENTRAL_ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    CENTRAL_ACCEPT_FACE_CROPS: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
    /** Decree 13/2023: events, queue stats and raw records are kept this many days, then deleted. */
    CENTRAL_RETENTION_DAYS: days(90, 1),
    /** Face crops (only stored with CENTRAL_ACCEPT_FACE_CROPS) are stripped after this many days; 0: within the hour. */
    CENTRAL_FACE_CROP_DAYS: days(7, 0),
    /** Console logins: attempts per client address and per user name in the window before 429. */
    CENTRAL_LOGIN_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
    CENTRAL_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
    /** The console's audit trail (who did and saw what) is deleted after this many days. */
    CENTRAL_AUDIT_RETENTION_DAYS: days(365, 1),
    /** Set when a reverse proxy (which appends X-Forwarded-For) is the only way in: logins are throttled per real client. */
    CENTRAL_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
    PG_POOL_MAX: z.coerce.number().int().min(1).max(200).optional(),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  })
  .refine((e) => e.CENTRAL_FACE_CROP_DAYS <= e.CENTRAL_RETENTION_DAYS, { message: 'must not exceed CENTRAL_RETENTION_DAYS', path: ['CENTRAL_FACE_CROP_DAYS'] });

const log = pino({
  name: 'central',
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: [
      'authorization',
      '*.authorization',
      '*.headers.authorization',
      '*.headers.cookie',
      'cookie',
      '*.cookie',
      'secret',
      '*.secret',
      'token',
      '*.token',
      'password',
      '*.password',
      'adminToken',
      '*.adminToken',
      'databaseUrl',
    ],
    censor: '[redacted]',
  },
});

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    log.fatal({ variable: issue.path.join('.') }, `configuration error: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  if (!env.CENTRAL_ADMIN_TOKEN) log.warn({}, 'CENTRAL_ADMIN_TOKEN is not set: only API tokens created earlier can use the admin routes');
  const server = await startCentralServer({
    databaseUrl: env.DATABASE_URL,
    host: env.HOST,
    port: env.PORT,
    acceptFaceCrops: env.CENTRAL_ACCEPT_FACE_CROPS,
    ...(env.CENTRAL_ADMIN_TOKEN ? { adminToken: env.CENTRAL_ADMIN_TOKEN } : {}),
    ...(env.PG_POOL_MAX ? { pgPoolMax: env.PG_POOL_MAX } : {}),
    trustProxy: env.CENTRAL_TRUST_PROXY,
    auditRetentionDays: env.CENTRAL_AUDIT_RETENTION_DAYS,
    loginThrottle: { limit: env.CENTRAL_LOGIN_LIMIT, windowMs: env.CENTRAL_LOGIN_WINDOW_MINUTES * 60_000 },
    retention: { days: env.CENTRAL_RETENTION_DAYS, faceCropDays: env.CENTRAL_FACE_CROP_DAYS },
    log,
  });
  log.info(
    {
      url: server.url,
      database: server.store.dialect,
      acceptFaceCrops: env.CENTRAL_ACCEPT_FACE_CROPS,
      retentionDays: env.CENTRAL_RETENTION_DAYS,
      auditRetentionDays: env.CENTRAL_AUDIT_RETENTION_DAYS,
      faceCropDays: env.CENTRAL_FACE_CROP_DAYS,
    },
    'central server listening',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'central server failed to start');
  process.exit(1);
});
