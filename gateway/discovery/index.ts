export { DiscoveryConfigSchema, type DiscoveryConfig } from './config';
export { createCameraAdmin, type CameraAdmin, type CameraAdminDeps, type CameraListing } from './camera-admin';
export { runtimeCamerasAtBoot } from './boot';
export { probeDevices, type ProbeTarget } from './probe';
export { readDevice, type DeviceDetails, type DeviceProfile, type DeviceLogin } from './device';
export { DiscoveryError } from './errors';
export type { DiscoveredDevice } from './probe-xml';
export { DeviceLoginSchema, StillRequestSchema, NewCameraSchema, CameraIdSchema, type NewCamera, type StillRequest, type DeviceLoginInput } from './schemas';
