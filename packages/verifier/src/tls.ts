import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { verifierError } from './errors.js';
import type { TlsOptions } from './options.js';

/** TLS options with every file read: PEM contents only, checked. */
export interface ResolvedTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  insecure?: boolean;
}

/**
 * Reads the PEM files `tls` names and checks what Node would otherwise ignore or report late: a
 * CA that is no certificate (the server is then untrusted with no word about the CA), a client
 * certificate without its key, a key that is not the certificate's or whose passphrase is wrong.
 *
 * @example resolveTls({ cert: 'certs/client.pem', key: 'certs/client-key.pem' }, 'tls')
 */
export function resolveTls(tls: TlsOptions | undefined, name: string): Readonly<ResolvedTls> {
  if (tls === undefined) return Object.freeze({});
  const ca = tls.ca === undefined ? undefined : pem(tls.ca, `${name}.ca`);
  const cert = tls.cert === undefined ? undefined : pem(tls.cert, `${name}.cert`);
  const key = tls.key === undefined ? undefined : pem(tls.key, `${name}.key`);
  if (ca !== undefined) checkCertificates(ca, `${name}.ca`);
  if ((cert === undefined) !== (key === undefined)) {
    throw verifierError(
      'COV_VERIFIER_TLS_INVALID',
      `${name}.${cert === undefined ? 'key' : 'cert'} was given without ${name}.${cert === undefined ? 'cert' : 'key'}: a client certificate needs both`,
    );
  }
  if (cert !== undefined && key !== undefined) {
    checkCertificates(cert, `${name}.cert`);
    try {
      createSecureContext({
        cert,
        key,
        ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
      });
    } catch (error) {
      throw verifierError(
        'COV_VERIFIER_TLS_INVALID',
        `${name}.key cannot be used with ${name}.cert: ${(error as Error).message} (is it the certificate's key, and its passphrase right?)`,
        {},
        error,
      );
    }
  }
  return Object.freeze({
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.insecure ? { insecure: true } : {}),
  });
}

/** PEM text as given, or the contents of the file a string names. */
function pem(value: string | Buffer, name: string): string | Buffer {
  if (Buffer.isBuffer(value) || value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_TLS_INVALID',
      `${name} '${value}' is neither PEM text nor a readable file: ${(error as Error).message}`,
      { [name]: value },
      error,
    );
  }
}

/** Throws unless `text` holds PEM certificates. */
function checkCertificates(text: string | Buffer, name: string): void {
  const blocks = String(text).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no -----BEGIN CERTIFICATE----- block');
    for (const block of blocks) new X509Certificate(block);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_TLS_INVALID',
      `${name} is not a PEM certificate (the text of a .pem file, or its path): ${(error as Error).message}`,
      {},
      error,
    );
  }
}
