import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mismatchesToJson, renderMismatches } from '@covenant/core';
import { verifierError } from './errors.js';
import type { InteractionResult, PactResult, VerificationResult } from './result.js';

/** Receives the run as it happens and at its end. */
export interface Reporter {
  pactStarted?(pact: PactResult): void;
  interactionFinished?(pact: PactResult, interaction: InteractionResult): void;
  pactFinished?(pact: PactResult): void;
  finished?(result: VerificationResult): void | Promise<void>;
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * The default reporter: one line per interaction, the mismatches of each failure as a diff,
 * broker notices, and a summary.
 */
export function consoleReporter(options: { write?: (text: string) => void; color?: boolean } = {}): Reporter {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  return {
    pactStarted(pact) {
      write(
        `\nVerifying a pact between ${pact.consumer} and ${pact.provider}${pact.pending ? ' [pending]' : ''}${pact.wip ? ' [WIP]' : ''}\n  from ${pact.source}\n`,
      );
      for (const notice of pact.notices.filter((n) => n.when === 'before_verification'))
        write(`  ${notice.text}\n`);
    },
    interactionFinished(_pact, i) {
      const states = i.providerStates.length
        ? ` given ${i.providerStates.map((s) => `'${s}'`).join(' and ')}`
        : '';
      const mark =
        i.status === 'passed'
          ? paint(color, 32, 'OK')
          : i.status === 'skipped'
            ? paint(color, 33, 'SKIPPED')
            : i.status === 'pending-failed'
              ? paint(color, 33, 'FAILED (pending)')
              : paint(color, 31, 'FAILED');
      write(
        `  ${i.description}${states} ... ${mark} ${paint(color, 2, `(${i.durationMs.toFixed(1)} ms)`)}\n`,
      );
      if (i.testName) write(`    Test Name: ${i.testName}\n`);
      for (const comment of i.comments) write(`    Comment: ${comment}\n`);
      for (const warning of i.warnings) write(`    ${paint(color, 33, 'warning:')} ${warning}\n`);
      if (i.error) write(`    ${i.error}\n`);
      if (i.mismatches.length > 0) write(`${renderMismatches(i.mismatches, { color, indent: '    ' })}\n`);
    },
    pactFinished(pact) {
      const when = `after_verification:success_${pact.success}_published_${pact.published}`;
      for (const notice of pact.notices.filter((n) => n.when === when)) write(`  ${notice.text}\n`);
    },
    finished(result) {
      const s = result.summary;
      const line = `${s.interactions} interactions: ${s.passed} passed, ${s.failed} failed, ${s.pending} pending failures, ${s.skipped} skipped`;
      write(
        `\n${result.success ? paint(color, 32, 'Verification passed') : paint(color, 31, 'Verification failed')}: ${line} (${result.durationMs.toFixed(0)} ms)\n`,
      );
    },
  };
}

/** Writes a report file (making its directory); a failure is a coded error naming the file. */
async function writeReport(file: string, kind: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_REPORT_WRITE_FAILED',
      `cannot write the ${kind} report ${file}: ${(error as Error).message}`,
      { file },
      error,
    );
  }
}

/** Writes the whole result as JSON (mismatches as plain data) to a file. */
export function jsonReporter(file: string): Reporter {
  return {
    async finished(result) {
      const data = {
        ...result,
        pacts: result.pacts.map((p) => ({
          ...p,
          interactions: p.interactions.map((i) => ({ ...i, mismatches: mismatchesToJson(i.mismatches) })),
        })),
      };
      await writeReport(file, 'JSON', `${JSON.stringify(data, null, 2)}\n`);
    },
  };
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** Writes a JUnit XML report (one test suite per pact, one test case per interaction). */
export function junitReporter(file: string): Reporter {
  return {
    async finished(result) {
      const suites = result.pacts.map((p) => {
        const cases = p.interactions.map((i) => {
          const name = xml(
            `${i.description}${i.providerStates.length ? ` given ${i.providerStates.join(' and ')}` : ''}`,
          );
          const time = (i.durationMs / 1000).toFixed(3);
          if (i.status === 'passed')
            return `    <testcase classname="${xml(`${p.consumer}-${p.provider}`)}" name="${name}" time="${time}"/>`;
          if (i.status === 'skipped')
            return `    <testcase classname="${xml(`${p.consumer}-${p.provider}`)}" name="${name}" time="${time}"><skipped/></testcase>`;
          const detail = xml([i.error, renderMismatches(i.mismatches)].filter(Boolean).join('\n'));
          const message = xml(i.error ?? i.mismatches[0]?.message ?? 'failed');
          const tag = i.status === 'pending-failed' ? 'skipped' : 'failure';
          return `    <testcase classname="${xml(`${p.consumer}-${p.provider}`)}" name="${name}" time="${time}"><${tag} message="${message}">${detail}</${tag}></testcase>`;
        });
        const failures = p.interactions.filter((i) => i.status === 'failed').length;
        const skipped = p.interactions.filter(
          (i) => i.status === 'skipped' || i.status === 'pending-failed',
        ).length;
        return `  <testsuite name="${xml(`${p.consumer} -> ${p.provider}`)}" tests="${p.interactions.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
      });
      const s = result.summary;
      const text = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="Pact verification of ${xml(result.provider)}" tests="${s.interactions}" failures="${s.failed}" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
      await writeReport(file, 'JUnit', text);
    },
  };
}
