import { z } from 'zod';

/**
 * `discovery:` in the gateway's configuration: where the WS-Discovery probe goes and how long the
 * "Add camera" page waits for devices, a device's SOAP answers and a test still.
 */
export const DiscoveryConfigSchema = z
  .object({
    /** The WS-Discovery multicast group; a unicast address (e.g. 127.0.0.1 in tests and the demo) probes one host. */
    probeAddress: z.ipv4().default('239.255.255.250'),
    probePort: z.number().int().min(1).max(65535).default(3702),
    /** How long a probe collects ProbeMatches (ONVIF devices answer within a random delay of up to 500 ms). */
    timeoutMs: z.number().int().min(200).max(30_000).default(3000),
    /** A device's SOAP calls (connect, information, profiles, stream URIs) all together. */
    deviceTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
    /** A test still from a stream URI (an ffmpeg of its own). */
    stillTimeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
    /** Run-time cameras allowed in the database (each is a stream and a pipeline). */
    maxRuntimeCameras: z.number().int().min(0).max(256).default(32),
  })
  .strict();

export type DiscoveryConfig = z.output<typeof DiscoveryConfigSchema>;
