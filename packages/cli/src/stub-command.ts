import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { cliError } from './errors.js';
import { pactFilesIn, readPactFile } from './pact-files.js';
import { port } from './parsers.js';
import { stopOnSignals } from './signals.js';

async function pem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw cliError('COV_CLI_OPTIONS_INVALID', `cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

/** `covenant stub`: serves the HTTP interactions of pact files until SIGINT/SIGTERM. */
export function stubCommand(): Command {
  return new Command('stub')
    .summary('serve pact files as a stub provider')
    .description(
      'Serve the HTTP interactions of pact files as a stub of the provider, for front-end work and for ' +
        'teams in other languages: a request gets the response of the first interaction it matches, anything ' +
        'else a 500 naming the closest interaction and what did not match. Stops on SIGINT/SIGTERM.',
    )
    .argument('<pact-files-or-dirs...>', 'pact files, or directories of them')
    .option('--port <port>', 'port to listen on (0: a free one)', port, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--no-cors', 'do not answer CORS preflight requests or add CORS headers')
    .option('--tls-key <file>', 'serve HTTPS with this private key (PEM)')
    .option('--tls-cert <file>', 'and this certificate (PEM)')
    .addHelpText(
      'after',
      `
Examples:
  $ covenant stub pacts/web-userservice.json --port 8080
  $ covenant stub ./pacts --port 0            # a free port; the URL is printed`,
    )
    .action(
      async (
        paths: string[],
        opts: { port: number; host: string; cors: boolean; tlsKey?: string; tlsCert?: string },
      ) => {
        if ((opts.tlsKey === undefined) !== (opts.tlsCert === undefined))
          throw cliError('COV_CLI_OPTIONS_INVALID', 'HTTPS needs both --tls-key and --tls-cert');
        const pacts = [];
        for (const file of await pactFilesIn(paths)) pacts.push((await readPactFile(file)).pact);
        const { StubServer } = await import('@covenant/consumer');
        // read here; StubServer.start checks them (a PEM key, a PEM certificate, and the pair)
        const tlsFiles = opts.tlsKey && opts.tlsCert ? { key: opts.tlsKey, cert: opts.tlsCert } : undefined;
        const tls = tlsFiles
          ? { key: await pem(tlsFiles.key, 'TLS key'), cert: await pem(tlsFiles.cert, 'TLS certificate') }
          : undefined;
        let stub: Awaited<ReturnType<typeof StubServer.start>>;
        try {
          stub = await StubServer.start({
            pacts,
            port: opts.port,
            host: opts.host,
            cors: opts.cors,
            ...(tls && tlsFiles ? { tls, tlsFiles } : {}),
          });
        } catch (error) {
          // the consumer library's hint (leave the port unset) does not fit here: the default is 8080
          const { code, details, cause } = error as {
            code?: string;
            details?: { code?: string };
            cause?: unknown;
          };
          if (code !== 'COV_CONSUMER_MOCK_START_FAILED') throw error;
          throw cliError(
            'COV_CLI_STUB_LISTEN_FAILED',
            `the stub server cannot listen on ${opts.host}:${opts.port}: ${
              details?.code === 'EADDRINUSE'
                ? `the port is in use${opts.port === 8080 ? ' (8080 is the default)' : ''}`
                : cause instanceof Error
                  ? cause.message
                  : String(details?.code)
            }`,
            { host: opts.host, port: opts.port },
            error,
          );
        }
        stopOnSignals('stub server', () => stub.stop()); // before "listening": callers signal once they read it
        process.stdout.write(
          `Stub server listening on ${stub.info.url} (${stub.interactions.length} interaction${stub.interactions.length === 1 ? '' : 's'} from ${pacts.length} pact${pacts.length === 1 ? '' : 's'})\n`,
        );
      },
    );
}
