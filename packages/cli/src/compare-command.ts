import { readFile } from 'node:fs/promises';
import { ContractComparator, type ContractResult, readProviderContract } from '@covenant/contracts';
import { Command } from 'commander';
import { outputOption } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, type Paint, paint, printJson } from './output.js';
import { pactFilesIn } from './pact-files.js';

interface CompareOptions {
  openapi?: string;
  asyncapi?: string;
  output: 'text' | 'json';
}

/** A result of `covenant compare --output json`: the comparison's result and the pact it is about. */
export type CompareResult = ContractResult & { pact: string };

/**
 * `covenant compare`: checks pacts against the provider's OpenAPI and/or AsyncAPI document, the
 * comparison behind bi-directional contract testing. Exit status 1 when any result is an error.
 */
export function compareCommand(): Command {
  return new Command('compare')
    .summary('compare pacts with an OpenAPI or AsyncAPI document')
    .description(
      'Compare pacts with the provider contract: HTTP interactions with an OpenAPI document (3.0, 3.1 or ' +
        'Swagger 2.0), message interactions with an AsyncAPI 3 document, JSON or YAML. Results use the ' +
        "codes of PactFlow's comparator (response.body.incompatible, request.header.unknown, …): errors " +
        'mean the pact is not compatible (exit status 1), warnings are worth a look. With no document for ' +
        'a kind of interaction, the results say the spec is missing.',
    )
    .argument('<pact-files-or-dirs...>', 'pact files, or directories of them')
    .option('--openapi <file>', "the provider's OpenAPI document (JSON or YAML)")
    .option('--asyncapi <file>', "the provider's AsyncAPI 3 document (JSON or YAML)")
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ covenant compare --openapi openapi.yaml pacts/web-orders.json\n' +
        '  $ covenant compare --asyncapi asyncapi.yaml --openapi openapi.json pacts/ --output json',
    )
    .action(async (paths: string[], opts: CompareOptions) => {
      const comparator = new ContractComparator({
        ...(opts.openapi === undefined ? {} : { openapi: await readSpec(opts.openapi, '--openapi') }),
        ...(opts.asyncapi === undefined ? {} : { asyncapi: await readSpec(opts.asyncapi, '--asyncapi') }),
      });
      const results: CompareResult[] = [];
      const colours = paint(colourEnabled());
      for (const file of await pactFilesIn(paths)) {
        const found = comparator.compare(await readPactJson(file), file).map((r) => ({ ...r, pact: file }));
        results.push(...found);
        if (opts.output !== 'json') process.stdout.write(describeResults(file, found, colours));
      }
      if (opts.output === 'json') printJson(results);
      else process.stdout.write(`${summary(results)}\n`);
      if (results.some((r) => r.type === 'error')) process.exitCode = 1;
    });
}

async function readSpec(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw cliError(
      'COV_CLI_SPEC_UNREADABLE',
      `cannot read ${file} (${flag}): ${(error as Error).message}`,
      { file },
      error,
    );
  }
  const contract = readProviderContract(text, file);
  const wanted = flag === '--openapi' ? 'openapi' : 'asyncapi';
  if (contract.kind !== wanted) {
    throw cliError(
      'COV_CLI_OPTIONS_INVALID',
      `${file} is an ${contract.kind === 'openapi' ? 'OpenAPI' : 'AsyncAPI'} document: pass it with --${contract.kind}, not ${flag}`,
      { file },
    );
  }
  return contract.document;
}

async function readPactJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw cliError(
      'COV_CLI_PACT_FILE_UNREADABLE',
      `cannot read ${file}: ${(error as Error).message}`,
      { file },
      error,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw cliError(
      'COV_CLI_PACT_FILE_UNREADABLE',
      `${file} is not JSON: ${(error as Error).message}`,
      { file },
      error,
    );
  }
}

const MARKS = { error: '✗', warning: '!', info: '✓' } as const;

/** One pact's results, grouped by interaction, in pact order. */
export function describeResults(file: string, results: ContractResult[], colours: Paint): string {
  const errors = results.filter((r) => r.type === 'error').length;
  const head = errors > 0 ? colours.red(`${file}: not compatible`) : colours.green(`${file}: compatible`);
  const lines = [head];
  const groups = new Map<string, ContractResult[]>();
  for (const r of results) {
    const key = r.interaction.index === null ? '' : String(r.interaction.index);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const named = group.find((r) => r.interaction.description !== null)?.interaction;
    const state = named?.state ? ` (given ${named.state})` : '';
    lines.push(`  ${named ? `${named.description}${state}` : 'the provider contract'}`);
    for (const r of group) {
      const colour = r.type === 'error' ? colours.red : r.type === 'warning' ? colours.yellow : colours.green;
      lines.push(`    ${colour(`${MARKS[r.type]} ${r.type.padEnd(7)} ${r.code}`)}  ${r.message}`);
      lines.push(colours.dim(`      pact ${r.pactLocation ?? '-'}  spec ${r.specLocation}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

function summary(results: ContractResult[]): string {
  const count = (type: ContractResult['type']) => results.filter((r) => r.type === type).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}
