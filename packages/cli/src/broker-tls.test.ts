import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import {
  cleanEnv,
  close,
  listen,
  officialPactBrokerBin,
  pactBrokerBin,
  runCli,
  selfSignedCertificate,
  startTestBroker,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The official CLI's TLS options on broker commands (-c/--ssl-certificate, --skip-ssl-verification,
 * --ssl-trust-store and their SSL_* variables), against a broker behind an HTTPS proxy on loopback
 * with a self-signed certificate, as the reference's docker-compose puts nginx in front of it.
 */
const official = officialPactBrokerBin;

const dir = tempDir('covenant-cli-broker-tls-');
const server = selfSignedCertificate(dir.path, 'server');
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let proxy: https.Server;
let url: string;

beforeAll(async () => {
  let upstream = '';
  proxy = https.createServer({ key: server.key, cert: server.cert }, (req, res) => {
    const forward = http.request(
      `${upstream}${req.url}`,
      {
        method: req.method,
        headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': req.headers.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  url = await listen(proxy, 'https');
  broker = await startTestBroker();
  upstream = broker.url;
}, 20_000);
afterAll(async () => {
  await close(proxy);
  await broker.stop();
  dir.remove();
});

/** list-environments over HTTPS, with no SSL_* variable of this machine leaking in. */
const list = (args: string[] = [], variables: Record<string, string> = {}, binary = pactBrokerBin) => {
  const env = cleanEnv({ PACT_BROKER_BASE_URL: url, ...variables });
  for (const name of [
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'SSL_SKIP_VERIFICATION',
    'SSL_TRUST_STORE',
    'NODE_EXTRA_CA_CERTS',
  ])
    if (!(name in variables)) delete env[name];
  return runCli(['list-environments', '--retries', '0', ...args], { env, cwd: dir.path, binary });
};

const cases: Array<[string, string[], Record<string, string>]> = [
  ['no options', [], {}],
  ['-c', ['-c', server.certFile], {}],
  ['--ssl-certificate', ['--ssl-certificate', server.certFile], {}],
  ['SSL_CERT_FILE', [], { SSL_CERT_FILE: server.certFile }],
  ['--skip-ssl-verification', ['--skip-ssl-verification'], {}],
  ['SSL_SKIP_VERIFICATION=true', [], { SSL_SKIP_VERIFICATION: 'true' }],
  ['SSL_SKIP_VERIFICATION=false', [], { SSL_SKIP_VERIFICATION: 'false' }],
  ['--ssl-trust-store false -c', ['--ssl-trust-store', 'false', '-c', server.certFile], {}],
  ['SSL_TRUST_STORE=true -c', ['-c', server.certFile], { SSL_TRUST_STORE: 'true' }],
];

describe('broker commands over HTTPS', () => {
  it("trust the broker's certificate only when told to", async () => {
    const endings: Array<[string, number | null]> = [];
    for (const [name, args, variables] of cases) endings.push([name, (await list(args, variables)).code]);
    expect(endings).toEqual([
      ['no options', 1],
      ['-c', 0],
      ['--ssl-certificate', 0],
      ['SSL_CERT_FILE', 0],
      ['--skip-ssl-verification', 0],
      ['SSL_SKIP_VERIFICATION=true', 0],
      ['SSL_SKIP_VERIFICATION=false', 1],
      ['--ssl-trust-store false -c', 0],
      ['SSL_TRUST_STORE=true -c', 0],
    ]);
  }, 60_000);

  it("names the unreachable broker when the certificate is not trusted, and a certificate file it can't read", async () => {
    const untrusted = await list();
    expect(untrusted.stderr).toMatch(/^COV_BROKER_CLIENT_UNREACHABLE/);
    const missing = await list(['-c', join(dir.path, 'nope.pem')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^COV_CLI_OPTIONS_INVALID: cannot read the certificate of --ssl-certificate/,
    );
    const alone = await list(['--ssl-trust-store', 'false']);
    expect(alone.stderr).toMatch(/^COV_CLI_OPTIONS_INVALID: --ssl-trust-store false trusts only/);
    const wrong = await list(['--ssl-trust-store', 'maybe']);
    expect(wrong.stderr).toMatch(/^COV_CLI_OPTIONS_INVALID: .*give true or false/);
  }, 30_000);

  it.skipIf(!existsSync(official))(
    'ends as the official CLI does',
    async () => {
      const endings: Array<[string, number | null, number | null]> = [];
      for (const [name, args, variables] of cases)
        endings.push([
          name,
          (await list(args, variables, official)).code,
          (await list(args, variables)).code,
        ]);
      expect(endings.map(([name, , ours]) => [name, ours])).toEqual(
        endings.map(([name, theirs]) => [name, theirs]),
      );
    },
    60_000,
  );
});
