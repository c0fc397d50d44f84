import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Pact, readPact, type SynchronousHttpInteraction } from '@covenant/core';
import { consumerError } from './errors.js';
import { MockServer, type MockServerInfo, type MockServerOptions } from './mock-server.js';

export interface StubServerOptions extends MockServerOptions {
  /** Pact files to serve. */
  pactFiles?: string[];
  /** Pacts already read. */
  pacts?: Pact[];
  /** Where `tls.key` and `tls.cert` were read from, to name them in errors (e.g. the CLI's files). */
  tlsFiles?: { key: string; cert: string };
}

/**
 * Checks the key and certificate before listening, so that a file that is not a PEM key or
 * certificate, or a pair that does not belong together, is a coded error and not a TLS failure
 * on the first request (or an uncoded one from Node's `createServer`).
 */
function checkTls(tls: NonNullable<StubServerOptions['tls']>, files: StubServerOptions['tlsFiles']): void {
  const keyName = files ? `the TLS key ${files.key}` : 'tls.key';
  const certName = files ? `the TLS certificate ${files.cert}` : 'tls.cert';
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(tls.key);
  } catch (error) {
    throw consumerError(
      'COV_CONSUMER_STUB_TLS_INVALID',
      `${keyName} is not a private key in PEM (-----BEGIN PRIVATE KEY-----, unencrypted): ${(error as Error).message}`,
      files ? { file: files.key } : {},
      error,
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(tls.cert);
  } catch (error) {
    throw consumerError(
      'COV_CONSUMER_STUB_TLS_INVALID',
      `${certName} is not a certificate in PEM (-----BEGIN CERTIFICATE-----): ${(error as Error).message}`,
      files ? { file: files.cert } : {},
      error,
    );
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw consumerError(
      'COV_CONSUMER_STUB_TLS_INVALID',
      `${certName} is not for ${keyName}: give the key the certificate was made with`,
      files ? { key: files.key, cert: files.cert } : {},
    );
}

/**
 * Serves the HTTP interactions of pact files as a stub provider, for front-end work and for teams
 * in other languages: a request gets the response of the first interaction it matches, anything
 * else a 500 that names the closest interaction and the mismatches.
 *
 * @example
 * const stub = await StubServer.start({ pactFiles: ['pacts/web-api.json'], port: 8080 });
 * // ... use stub.info.url ...
 * await stub.stop();
 */
export class StubServer {
  private constructor(
    private readonly server: MockServer,
    readonly interactions: readonly SynchronousHttpInteraction[],
  ) {}

  get info(): MockServerInfo {
    return this.server.info;
  }

  static async start(options: StubServerOptions): Promise<StubServer> {
    if (options.tls) checkTls(options.tls, options.tlsFiles);
    const pacts = [...(options.pacts ?? [])];
    for (const file of options.pactFiles ?? []) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw consumerError(
          'COV_CONSUMER_STUB_START_FAILED',
          `cannot read the pact file ${file}: ${(error as Error).message}`,
          { file },
          error,
        );
      }
      pacts.push(readPact(text, file));
    }
    const interactions = pacts.flatMap((p) =>
      p.interactions.filter((i): i is SynchronousHttpInteraction => i.type === 'Synchronous/HTTP'),
    );
    if (interactions.length === 0) {
      throw consumerError(
        'COV_CONSUMER_STUB_START_FAILED',
        'the given pacts hold no HTTP interactions to serve',
      );
    }
    const { tlsFiles: _names, ...serverOptions } = options;
    return new StubServer(await MockServer.start(interactions, serverOptions), interactions);
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}
