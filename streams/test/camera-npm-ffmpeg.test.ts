import { describeCameraPath, npmFfmpegPath } from './fixtures/camera-path';

/**
 * The fallback of a machine without ffmpeg: the binary @ffmpeg-installer/ffmpeg ships (a 2018 git
 * snapshot of ffmpeg 4, version line `N-47683-g0e8eb07980-static`), whose RTSP `-timeout` means
 * "listen for incoming connections" and whose socket timeout is `-stimeout`.
 */
describeCameraPath('the npm-shipped ffmpeg', npmFfmpegPath(), 'env');
