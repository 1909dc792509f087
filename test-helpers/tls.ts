/** openssl for tests that need a certificate: whether it is here, and a self-signed one for 127.0.0.1. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { unavailable } from './skips';

/** Whether openssl runs here; where it does not, the test skips loudly (fails under REQUIRE_ALL_TESTS=1). */
export function opensslAvailable(what: string): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return unavailable(what, 'openssl not found (apt-get install openssl)') === undefined;
  }
}

/** A self-signed P-256 certificate for IP 127.0.0.1 and its key, written to `dir` as <name>.crt and <name>.key. */
export function selfSignedCert(dir: string, name: string, commonName: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', `/CN=${commonName}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { certPath, keyPath };
}
