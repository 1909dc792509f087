import { z } from 'zod';

/** A topic prefix: MQTT topic levels without wildcards, no leading or trailing '/', no empty level. */
const TOPIC_PREFIX = /^[^/#+\u0000]+(\/[^/#+\u0000]+)*$/;

/**
 * `mqtt:` (optional, top level): the local event feed. Credentials go in username/password (which may
 * come from `${ENV}`), never in the URL, so the URL can be shown and logged as it is.
 */
export const MqttConfigSchema = z
  .object({
    /** mqtt://host:1883 or mqtts://host:8883. */
    url: z
      .url({ protocol: /^mqtts?$/, error: 'must be an mqtt:// or mqtts:// URL' })
      .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'put credentials in mqtt.username and mqtt.password, not in the URL'),
    /** Default: gateway/<site.id>. */
    topicPrefix: z.string().max(200).regex(TOPIC_PREFIX, "topic levels without '#', '+' or empty levels, no leading or trailing '/'").optional(),
    /** Default: gateway-<site.id>-<random>. */
    clientId: z.string().min(1).max(128).optional(),
    username: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(1024).optional(),
    tls: z
      .object({
        /** PEM CA bundle that signed the broker's certificate (read at start; an unreadable file is a configuration error). */
        caFile: z.string().min(1).optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** Publish face crops and watchlist names (who matched) with events; every such event is audited. */
    includeFaceData: z.boolean().default(false),
    /** How often zone counts and waits are read and published when changed. */
    statsIntervalSeconds: z.number().min(1).max(3600).default(5),
    /** Events held while the broker is unreachable; beyond this new events are dropped and counted. */
    queueLimit: z.number().int().min(1).max(1_000_000).default(1000),
    /** QoS of event messages (availability uses 1, camera state and zones 0). */
    qos: z.union([z.literal(0), z.literal(1)]).default(1),
    keepaliveSeconds: z.number().int().min(5).max(3600).default(30),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.tls && !cfg.url.startsWith('mqtts:')) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls needs an mqtts:// url' });
    if (cfg.password !== undefined && cfg.username === undefined) ctx.addIssue({ code: 'custom', path: ['username'], message: 'a password needs a username' });
  });

export type MqttConfig = z.output<typeof MqttConfigSchema>;
export type MqttConfigInput = z.input<typeof MqttConfigSchema>;
