// A self-signed certificate for tests that serve HTTPS on 127.0.0.1, made with openssl (a P-256 key,
// valid for a day), so no test has to carry key material of its own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `<name>-key.pem` and `<name>-cert.pem` into `dir` and returns their paths and contents.
 *
 * @example const { key, cert } = selfSignedCertificate(tmp); https.createServer({ key, cert })
 */
export function selfSignedCertificate(
  dir: string,
  name = 'server',
): { keyFile: string; certFile: string; key: string; cert: string } {
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}-cert.pem`);
  // biome-ignore format: one openssl option and its value per line would hide the command
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}
