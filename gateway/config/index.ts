export { loadConfigFile, parseConfig, ConfigError, formatPath } from './load';
export {
  GatewayConfigSchema,
  CameraConfigSchema,
  ZoneSchema,
  ScheduleSchema,
  ROLES,
  type GatewayConfig,
  type GatewayConfigInput,
  type CameraConfig,
  type ZoneConfig,
  type AreaZoneConfig,
  type LineZoneConfig,
  type Schedule,
  type Polygon,
  type Role,
} from './schema';
export { readTlsFiles, type TlsFiles } from './tls';
export { streamSourceOf } from './camera-source';
export { emitDeprecation, type ConfigWarning } from './deprecations';
