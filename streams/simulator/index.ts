export { CameraSimulator, type SimulatedCamera, type SimulatorOptions } from './simulator';
export { simulatorMedia, SIM_FPS, SIM_GOP, SIM_RESOLUTIONS, type SimResolution, type SimSource } from './media';
export { OnvifDeviceSimulator, type OnvifDeviceOptions, type SimulatedIdentity, type SimulatedProfile } from './onvif-device';
