import { z } from 'zod';
import { CameraConfigSchema } from '../config';
import { isStreamUrl } from './stream-url';

/** No control characters (they would end up in logs and XML). */
const printable = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed');

/** The onvif client writes the user name into its SOAP header unescaped: no XML markup characters. */
export const UsernameSchema = printable(64).min(1).regex(/^[^<>&"']*$/, 'must not contain < > & " or \'');
export const PasswordSchema = printable(128);

const httpUrl = z
  .string()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// device service address without credentials');

const streamUrl = z.string().max(1000).refine(isStreamUrl, 'must be an rtsp:// or rtsps:// URL');

/** POST /api/admin/discovery/device */
export const DeviceLoginSchema = z.object({ xaddr: httpUrl, username: UsernameSchema, password: PasswordSchema }).strict();

/** POST /api/admin/cameras/test: a stream URI (from a profile, or typed by hand) and the credentials to add to it. */
export const StillRequestSchema = z
  .object({ url: streamUrl, username: UsernameSchema.optional(), password: PasswordSchema.optional() })
  .strict()
  .refine((v) => v.password === undefined || v.username !== undefined, { message: 'a password needs a username', path: ['username'] });

const source = CameraConfigSchema.shape;

/** POST /api/admin/cameras: what a run-time camera may set (no ffmpeg input options, no face recognition: those stay in the file). */
export const NewCameraSchema = z
  .object({
    id: source.id,
    name: printable(120).min(1).optional(),
    url: streamUrl,
    username: UsernameSchema.optional(),
    password: PasswordSchema.optional(),
    detectFps: z.number().positive().max(30).optional(),
    detectSize: z.object({ width: z.number().int().min(64).max(4096), height: z.number().int().min(64).max(4096) }).strict().optional(),
    transport: z.enum(['tcp', 'udp']).optional(),
    motionGate: z.boolean().optional(),
    enabled: z.boolean().optional(),
    /** The ONVIF device service address it was found on (shown in the list). */
    device: httpUrl.optional(),
  })
  .strict()
  .refine((v) => v.password === undefined || v.username !== undefined, { message: 'a password needs a username', path: ['username'] });

export const CameraIdSchema = z.object({ id: source.id }).strict();

export type DeviceLoginInput = z.output<typeof DeviceLoginSchema>;
export type StillRequest = z.output<typeof StillRequestSchema>;
export type NewCamera = z.output<typeof NewCameraSchema>;
