import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/parity.md has a row for every item of three lists, read from their sources: the reference
 * broker's route table (../shared/reference/pact-broker.md §1.4), the official CLI's `--help`, and
 * pact-js's VerifierOptions and PactV4 (their .d.ts files, as test/interop installs them).
 */
const root = resolve(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'parity.md'), 'utf8');
const referenceNotes = resolve(root, '..', 'shared', 'reference', 'pact-broker.md');
const interop = join(root, 'test', 'interop', 'node_modules');
const pactBrokerBin = join(interop, '.bin', 'pact-broker');
const pactJs = join(interop, '@pact-foundation', 'pact', 'src');
const pactCore = join(interop, '@pact-foundation', 'pact-core', 'dist');
const onCi = process.env.CI === 'true';

/** Skipped with a message where a source is absent, except on CI, where it must be there. */
function sourceAvailable(path: string, what: string): boolean {
  if (existsSync(path) || onCi) return true;
  console.warn(`Skipping the parity rows of ${what}: ${path} is absent.`);
  return false;
}

/** The rows of a `## heading` section's table: first column (without backticks) → second. */
function rowsOf(heading: string): Map<string, string> {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/parity.md has a "## ${heading}" section`).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)) rows.set(match[1]!, match[2]!);
  return rows;
}

/** Every item has a row, and every row says what Covenant has, or that it is missing or not planned. */
function expectRows(heading: string, items: string[]) {
  expect(items.length, `the source of "${heading}" lists something`).toBeGreaterThan(0);
  const rows = rowsOf(heading);
  expect(items.filter((item) => !rows.has(item))).toEqual([]);
  for (const [item, answer] of rows)
    expect(answer, item).toMatch(/^(`|missing \(issue 18\)|not planned, because \S)/);
}

/** The fields of `interface name { ... }` (or the members of a class) in a .d.ts file. */
function membersOf(file: string, declaration: string): string[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(declaration);
  expect(start, `${declaration} in ${file}`).toBeGreaterThan(-1);
  const body = text.slice(text.indexOf('{', start) + 1, text.indexOf('\n}', start));
  return [...body.matchAll(/^ {4}(?!private |constructor)([A-Za-z]+)\??[:(]/gm)].map((m) => m[1]!);
}

describe('docs/parity.md', () => {
  it.runIf(sourceAvailable(referenceNotes, 'the reference endpoints'))(
    'has a row for each route of the reference broker (§1.4)',
    () => {
      const notes = readFileSync(referenceNotes, 'utf8');
      const table = notes.slice(notes.indexOf('### 1.4'), notes.indexOf('### 1.5'));
      const routes = [...table.matchAll(/`([^`]+)`/g)]
        .map((m) => m[1]!)
        .filter((span) => /^([A-Z|]+ )?\//.test(span));
      expectRows('Broker API endpoints', [...new Set(routes)]);
    },
  );

  it.runIf(sourceAvailable(pactBrokerBin, 'the official CLI'))(
    'has a row for each command of `pact-broker --help`',
    () => {
      const help = spawnSync(pactBrokerBin, ['--help'], {
        env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
        encoding: 'utf8',
      });
      const commands = help.stdout.slice(help.stdout.indexOf('Commands:'), help.stdout.indexOf('Options:'));
      expectRows(
        'pact-broker CLI commands',
        [...commands.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]!),
      );
    },
  );

  it.runIf(sourceAvailable(pactJs, "pact-js's VerifierOptions and PactV4"))(
    "has a row for each of pact-js's VerifierOptions and each PactV4 method and option",
    () => {
      expectRows('pact-js VerifierOptions', [
        ...new Set([
          ...membersOf(join(pactCore, 'verifier', 'types.d.ts'), 'export interface VerifierOptions'),
          ...membersOf(
            join(pactJs, 'dsl', 'verifier', 'proxy', 'types.d.ts'),
            'export interface ProxyOptions',
          ),
        ]),
      ]);
      expectRows('pact-js PactV4', [
        ...membersOf(join(pactJs, 'v4', 'index.d.ts'), 'export declare class PactV4'),
        ...membersOf(join(pactJs, 'v4', 'http', 'types.d.ts'), 'export interface PactV4Options'),
      ]);
    },
  );
});
