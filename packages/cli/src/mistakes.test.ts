import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  cleanEnv,
  expectReadableFailures,
  pactJson,
  runCli,
  selfSignedCertificate,
  startCli,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Usage mistakes commander catches, outputs that cannot be written, and the stub's TLS files. */
const dir = tempDir('covenant-cli-mistakes-');
const cli = (...args: string[]) => runCli(args, { cwd: dir.path });

/** A self-signed EC key and certificate for 127.0.0.1, made with openssl into the test directory. */
function selfSigned(name: string): { key: string; cert: string } {
  const { keyFile, certFile } = selfSignedCertificate(dir.path, name);
  return { key: keyFile, cert: certFile };
}

beforeAll(() => {
  writeFileSync(join(dir.path, 'web-orders.json'), JSON.stringify(pactJson('Web', 'Orders', ['/orders/1'])));
});
afterAll(() => dir.remove());

describe('usage mistakes', () => {
  it('are one coded message naming the --help to read, with status 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      // the code, what was wrong, and the command whose --help to read (with the catalog's hint)
      [
        ['pact', 'validate', 'web-orders.json', '--bogus'],
        /^COV_CLI_OPTIONS_INVALID: unknown option '--bogus'.*`covenant pact validate --help`\)\n {2}→ /,
      ],
      [['frob'], /^COV_CLI_OPTIONS_INVALID: unknown command 'frob'.*`covenant --help`\)\n {2}→ /],
      [
        ['pact', 'validate'],
        /^COV_CLI_OPTIONS_INVALID: missing required argument 'pact-files-or-dirs'.*`covenant pact validate --help`\)\n {2}→ /,
      ],
      [
        ['stub', 'web-orders.json', '--port', '70000'],
        /^COV_CLI_OPTIONS_INVALID: .*a port is a whole number/,
      ],
      [
        ['verify', 'web-orders.json', '--timeout', 'soon'],
        /^COV_CLI_OPTIONS_INVALID: .*whole number of milliseconds/,
      ],
      // Node's timers take 1 ms instead of a longer time: every request timed out at once
      [
        ['verify', 'web-orders.json', '--timeout', '3000000000'],
        /^COV_CLI_OPTIONS_INVALID: .*from 1 to 2147483647/,
      ],
      [
        ['pact', 'validate', 'web-orders.json', '-o', 'xml'],
        /^COV_CLI_OPTIONS_INVALID: .*Allowed choices are text, json/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 20_000);
});

describe('a broker URL without http:// or https://', () => {
  it('is refused before any request, by the broker commands and verify', async () => {
    const notHttp =
      /^COV_BROKER_CLIENT_CONFIG_INVALID: the broker URL 'localhost:9292' is not an http:\/\/ or https:\/\/ URL[\s\S]*--broker-base-url/;
    const cases: Array<[string[], RegExp]> = [
      [['list-environments', '-b', 'localhost:9292'], notHttp],
      [['can-i-deploy', '-a', 'Web', '-e', '1', '--to-environment', 'test', '-b', 'localhost:9292'], notHttp],
      [
        [
          'verify',
          '--provider',
          'Orders',
          '--provider-base-url',
          'http://127.0.0.1:1',
          '-b',
          'localhost:9292',
        ],
        notHttp,
      ],
      [
        ['list-environments', '-b', 'ftp://broker'],
        /^COV_BROKER_CLIENT_CONFIG_INVALID: the broker URL 'ftp:\/\/broker'/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 20_000);
});

describe('covenant broker', () => {
  it('refuses to start without the auth asked for, with a base URL or database it cannot use', async () => {
    const broker = (...args: string[]) => [
      'broker',
      '--port',
      '0',
      '--no-seed',
      '--database',
      'b.sqlite',
      ...args,
    ];
    const cases: Array<[string[], RegExp]> = [
      // it started with an empty password, or with no auth at all
      [
        broker('--username', 'ci'),
        /^COV_CLI_OPTIONS_INVALID: basic auth needs both --username and --password .*only the username/,
      ],
      [
        broker('--password', 's3cret'),
        /^COV_CLI_OPTIONS_INVALID: basic auth needs both --username and --password .*only the password/,
      ],
      [
        broker('--read-only-password', 'r'),
        /^COV_CLI_OPTIONS_INVALID: basic auth needs both --read-only-username/,
      ],
      // it started, with links to notaurl/...
      [
        broker('--base-url', 'notaurl'),
        /^COV_CLI_OPTIONS_INVALID: --base-url 'notaurl' .*is not an http:\/\/ or https:\/\/ URL/,
      ],
      // it started on a temporary SQLite database, lost at the stop
      [[...broker(), '--database', ''], /^COV_CLI_OPTIONS_INVALID: --database is empty/],
      [
        [...broker(), '--database', 'mysql://ci:secret@db/pacts'],
        /^COV_CLI_OPTIONS_INVALID: --database mysql:\/\/ci:\*\*\*@db\/pacts: mysql:\/\/ is not a database Covenant can use/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
    const badPort = await runCli(['broker', '--no-seed', '--database', 'b.sqlite'], {
      cwd: dir.path,
      env: cleanEnv({ PACT_BROKER_PORT: 'eighty' }),
    });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/^COV_CLI_OPTIONS_INVALID: PACT_BROKER_PORT 'eighty' is not a port/);
  }, 20_000);
});

describe('covenant verify with a quoted pattern', () => {
  it('expands it as publish and stub do, and says when it matches nothing', async () => {
    const provider = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    try {
      const run = await cli('verify', '*-orders.json', '--provider-base-url', providerUrl);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('from web-orders.json');
      expect(run.code).toBe(0);
      // options that would have been ignored, or a filter that selects nothing, do not pass the run
      await expectReadableFailures(
        [
          [
            [
              'verify',
              'web-orders.json',
              '--provider-base-url',
              providerUrl,
              '--enable-pending',
              '--consumer-version-tags',
              'main',
            ],
            /^COV_CLI_OPTIONS_INVALID: --consumer-version-tags, --enable-pending choose among a broker's pacts: give --broker-base-url/,
          ],
          [
            [
              'verify',
              'web-orders.json',
              '--provider-base-url',
              providerUrl,
              '--filter-description',
              'a request for /order/1',
            ],
            /^COV_VERIFIER_NO_PACTS: the filters \(description 'a request for \/order\/1'\) select none of the 1 interaction in 1 pact for Orders/,
          ],
        ],
        (args) => cli(...args),
      );
      // -o json with the console report: stdout is the JSON alone, the report on stderr
      const both = await cli(
        'verify',
        'web-orders.json',
        '--provider-base-url',
        providerUrl,
        '-o',
        'json',
        '--reporter',
        'console',
      );
      expect(both.code).toBe(0);
      expect(JSON.parse(both.stdout)).toMatchObject({ success: true, summary: { passed: 1 } });
      expect(both.stderr).toContain('Verifying a pact between Web and Orders');
      const none = await cli('verify', '*.pact', '--provider', 'Orders', '--provider-base-url', providerUrl);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/^COV_CLI_PACT_FILES_NOT_FOUND: no files match \*\.pact/);
    } finally {
      await new Promise((resolve) => provider.close(resolve));
    }
  }, 20_000);
});

describe('a directory of pacts', () => {
  it('leaves out a subdirectory named like a pact, for validate and verify', async () => {
    mkdirSync(join(dir.path, 'pacts', 'backup.json'), { recursive: true });
    writeFileSync(
      join(dir.path, 'pacts', 'web-orders.json'),
      JSON.stringify(pactJson('Web', 'Orders', ['/orders/1'])),
    );
    const validated = await cli('pact', 'validate', 'pacts');
    expect(validated.stdout).toBe('valid   pacts/web-orders.json: Web → Orders, V3, 1 interaction\n');
    expect(validated.code).toBe(0);
    // nothing listens on port 1: the pact is read (not EISDIR on backup.json) and its interaction fails
    const verified = await cli('verify', 'pacts', '--provider-base-url', 'http://127.0.0.1:1');
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toContain('from pacts/web-orders.json');
    expect(verified.stdout).not.toContain('backup.json');
  }, 20_000);
});

describe('a pact file too large to read', () => {
  it('says how large it is, not "Invalid string length"', async () => {
    // sparse: no disk space taken, and it is never read
    writeFileSync(join(dir.path, 'giant.json'), '');
    truncateSync(join(dir.path, 'giant.json'), 600 * 2 ** 20);
    try {
      const run = await cli('pact', 'validate', 'giant.json');
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^invalid giant.json: COV_CLI_PACT_FILE_UNREADABLE: cannot read giant.json: it is 600 MB, more than the \d+ MB/,
      );
    } finally {
      rmSync(join(dir.path, 'giant.json'));
    }
  }, 20_000);
});

describe('outputs that cannot be written', () => {
  it('are coded errors naming the path, for convert --out-dir and verify --reporter', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['pact', 'convert', '--to', 'v4', 'web-orders.json', '--out-dir', 'web-orders.json/v4'],
        /^COV_CLI_OUTPUT_UNWRITABLE: cannot write web-orders.json\/v4 \(--out-dir web-orders.json\/v4\): ENOTDIR/,
      ],
      [
        // nothing listens on port 1: the run fails, and its report still cannot be written
        ['verify', 'web-orders.json', '--provider-base-url', 'http://127.0.0.1:1', '--reporter', 'junit:.'],
        /^COV_VERIFIER_REPORT_WRITE_FAILED: cannot write the JUnit report \.: EISDIR/,
      ],
      [
        ['verify', 'web-orders.json', '--provider-base-url', 'http://127.0.0.1:1', '--filter-state', '('],
        /^COV_VERIFIER_OPTIONS_INVALID: filter.state '\(' is not a regular expression/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 20_000);
});

describe('covenant stub --tls-key --tls-cert', () => {
  it('serves HTTPS with a self-signed key and certificate', async () => {
    const { key, cert } = selfSigned('stub');
    const stub = await startCli(
      ['stub', 'web-orders.json', '--port', '0', '--tls-key', key, '--tls-cert', cert],
      {
        cwd: dir.path,
      },
    );
    try {
      expect(stub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        request(`${stub.url}/orders/1`, { ca: readFileSync(cert) }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        })
          .on('error', reject)
          .end();
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ path: '/orders/1' });
    } finally {
      expect(await stub.stop()).toBe(0);
    }
  }, 20_000);

  it('refuses files that are not a PEM key or certificate, and a pair that does not belong together', async () => {
    const one = selfSigned('one');
    const other = selfSigned('other');
    const stub = (key: string, cert: string) => [
      'stub',
      'web-orders.json',
      '--port',
      '0',
      '--tls-key',
      key,
      '--tls-cert',
      cert,
    ];
    const cases: Array<[string[], RegExp]> = [
      [
        stub('web-orders.json', one.cert),
        /^COV_CONSUMER_STUB_TLS_INVALID: the TLS key web-orders.json is not a private key in PEM/,
      ],
      [
        stub(one.key, one.key),
        /^COV_CONSUMER_STUB_TLS_INVALID: the TLS certificate .*one-key.pem is not a certificate in PEM/,
      ],
      [
        stub(one.key, other.cert),
        /^COV_CONSUMER_STUB_TLS_INVALID: the TLS certificate .*other-cert.pem is not for the TLS key .*one-key.pem/,
      ],
      [
        stub('missing.pem', one.cert),
        /^COV_CLI_OPTIONS_INVALID: cannot read the TLS key missing.pem: ENOENT/,
      ],
    ];
    await expectReadableFailures(cases, (args) => cli(...args));
  }, 20_000);
});

describe('a broker that never answers', () => {
  it('is given up on after --timeout with a coded error naming the time', async () => {
    const silent = createServer(() => {
      // accepts the request and never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const run = await cli('list-environments', '-b', url, '--timeout', '300');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^COV_BROKER_CLIENT_UNREACHABLE: .*300 ms/);
      // the default (30 s) would have outlasted this test
      expect(Date.now() - started).toBeLessThan(15_000);
      const invalid = await cli('list-environments', '-b', url, '--timeout', '0');
      expect(invalid.stderr).toMatch(/^COV_CLI_OPTIONS_INVALID: .*whole number of milliseconds/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 20_000);
});

describe('a broker that answers 503 for a moment', () => {
  it('is asked again by default, as the official CLI does, and not with --retries 0', async () => {
    let refusals = 0;
    let url = '';
    const restarting = createServer((req, res) => {
      // answers 503 twice (a restart), then as a broker with no environments
      if (refusals < 2) {
        refusals += 1;
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/hal+json' });
      const index = { _links: { 'pb:environments': { href: `${url}/environments` } } };
      res.end(JSON.stringify(req.url === '/' ? index : { _embedded: { environments: [] } }));
    });
    await new Promise<void>((resolve) => restarting.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(restarting.address() as AddressInfo).port}`;
    try {
      const patient = await cli('list-environments', '-b', url);
      expect(patient.code, patient.stderr).toBe(0);
      expect(refusals).toBe(2);
      refusals = 0;
      const impatient = await cli('list-environments', '-b', url, '--retries', '0');
      expect(impatient.code).toBe(1);
      expect(impatient.stderr).toMatch(/^COV_BROKER_CLIENT_REQUEST_FAILED: .*503/);
      expect(refusals).toBe(1);
    } finally {
      restarting.closeAllConnections();
      await new Promise((resolve) => restarting.close(resolve));
    }
  }, 20_000);
});
