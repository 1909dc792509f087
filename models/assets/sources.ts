/**
 * Model weights come from npm packages (pinned version and tarball integrity) at install
 * time, never from git or a model hub. Each file we use is pinned by sha256 too.
 */
export interface ModelPackage {
  name: string;
  version: string;
  /** npm's tarball integrity (sha512, base64), as `npm view NAME@VERSION dist.integrity` prints. */
  integrity: string;
  license: string;
  /** Path inside the package tarball (below `package/`) -> sha256 of the file. */
  files: Record<string, string>;
}

export const FACEPLUGIN: ModelPackage = {
  name: 'faceplugin-face-recognition-js',
  version: '0.0.1',
  integrity: 'sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==',
  license: 'MIT',
  files: {
    'model/fr_detect.onnx': '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
    'model/fr_landmark.onnx': 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
    'model/fr_feature.onnx': '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
  },
};

export const HUMAN: ModelPackage = {
  name: '@vladmandic/human',
  version: '3.3.6',
  integrity: 'sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A==',
  license: 'MIT',
  files: {
    'models/centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
    'models/centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
  },
};

export const MODEL_PACKAGES: readonly ModelPackage[] = [FACEPLUGIN, HUMAN];
