import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CovenantError, pactToText } from '@covenant/core';
import { Command, Option } from 'commander';
import { outputOption } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, paint, printJson } from './output.js';
import { type PactFile, pactFilesIn, readPactFile } from './pact-files.js';

const VERSIONS = { v2: 'V2', v3: 'V3', v4: 'V4' } as const;

function validateCommand(): Command {
  return new Command('validate')
    .summary('check pact files')
    .description('Check that files are pacts Covenant (and the other Pact implementations) can read.')
    .argument('<pact-files-or-dirs...>', 'pact files, or directories of them')
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ covenant pact validate pacts/\n  $ covenant pact validate pacts/web-api.json --output json',
    )
    .action(async (paths: string[], opts: { output: string }) => {
      const colours = paint(colourEnabled());
      const reports: Array<Record<string, unknown>> = [];
      for (const file of await pactFilesIn(paths)) {
        let pact: PactFile;
        try {
          pact = await readPactFile(file);
        } catch (error) {
          if (!(error instanceof CovenantError)) throw error;
          reports.push({ file, valid: false, code: error.code, error: error.message });
          continue;
        }
        const { consumer, provider, interactions, specification } = pact.pact;
        reports.push({
          file,
          valid: true,
          consumer: consumer.name,
          provider: provider.name,
          specification,
          interactions: interactions.length,
        });
      }
      if (opts.output === 'json') printJson(reports);
      else
        for (const r of reports)
          process.stdout.write(
            r.valid
              ? `${colours.green('valid')}   ${r.file}: ${r.consumer} → ${r.provider}, ${r.specification}, ${r.interactions} interaction${r.interactions === 1 ? '' : 's'}\n`
              : `${colours.red('invalid')} ${r.file}: ${r.error}\n`,
          );
      if (reports.some((r) => !r.valid)) process.exitCode = 1;
    });
}

function convertCommand(): Command {
  return new Command('convert')
    .summary('rewrite pact files in another specification version')
    .description(
      'Rewrite pact files as Pact specification V2, V3 or V4. One file goes to stdout unless --out-dir is ' +
        'given; several need --out-dir (the files keep their names). A pact that the target version cannot ' +
        'hold (e.g. messages in V2) is an error that names what does not fit.',
    )
    .argument('<pact-files-or-dirs...>', 'pact files, or directories of them')
    .addOption(
      new Option('--to <version>', 'the specification version to write')
        .choices(['v2', 'v3', 'v4'])
        .makeOptionMandatory(),
    )
    .option('--out-dir <dir>', 'write the converted files here')
    .addHelpText(
      'after',
      '\nExamples:\n  $ covenant pact convert --to v4 pacts/web-api.json > web-api.v4.json\n  $ covenant pact convert --to v3 pacts/ --out-dir pacts-v3',
    )
    .action(async (paths: string[], opts: { to: keyof typeof VERSIONS; outDir?: string }) => {
      const files = await pactFilesIn(paths);
      if (files.length > 1 && opts.outDir === undefined)
        throw cliError(
          'COV_CLI_OPTIONS_INVALID',
          `${files.length} pact files: give --out-dir to write them to`,
        );
      // convert them all before writing any, so a pact that does not fit leaves nothing half done
      const converted: Array<{ file: string; text: string }> = [];
      for (const file of files) {
        converted.push({ file, text: pactToText((await readPactFile(file)).pact, VERSIONS[opts.to]) });
      }
      if (opts.outDir === undefined) {
        process.stdout.write(converted[0]!.text);
        return;
      }
      const unwritable = (path: string, error: unknown) =>
        cliError(
          'COV_CLI_OUTPUT_UNWRITABLE',
          `cannot write ${path} (--out-dir ${opts.outDir}): ${(error as Error).message}`,
          { path },
          error,
        );
      try {
        await mkdir(opts.outDir, { recursive: true });
      } catch (error) {
        throw unwritable(opts.outDir, error);
      }
      for (const c of converted) {
        const target = join(opts.outDir, basename(c.file));
        try {
          await writeFile(target, c.text);
        } catch (error) {
          throw unwritable(target, error);
        }
        process.stdout.write(`${c.file} → ${target} (${VERSIONS[opts.to]})\n`);
      }
    });
}

/** `covenant pact`: validate and convert pact files. */
export function pactCommand(): Command {
  return new Command('pact')
    .summary('check and convert pact files')
    .description('Check and convert pact files.')
    .addCommand(validateCommand())
    .addCommand(convertCommand());
}
