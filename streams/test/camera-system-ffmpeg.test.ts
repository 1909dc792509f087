import { describeCameraPath } from './fixtures/camera-path';

/** The system's ffmpeg (Debian's 5.x here), picked from PATH when FFMPEG_PATH is unset. */
describeCameraPath("the system's ffmpeg", undefined, 'system');
