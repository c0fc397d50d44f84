// A reliability row made from an existing Vitest suite, run as it is (no copy of its cases): the
// webhook suites already prove SSRF refusals and delivery across kill -9; the bench shows them as
// rows. Vitest runs in this process through its Node API, with the repository's config.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs the tests of `files` (filters on paths within the project's root) in `project`, and gives one row:
 * ok when every test ran and passed; the figure counts them, and `failures` names those that did not.
 *
 * @example await suiteRow({ name: 'SSRF', project: 'broker', files: ['src/webhooks/deliver.test.ts'] })
 */
export async function suiteRow({ name, project, files, log = () => {} }) {
  const { startVitest } = await import('vitest/node');
  // the projects' roots in the config are relative to the working directory
  const cwd = process.cwd();
  process.chdir(root);
  const vitest = await startVitest('test', files, { root, project, watch: false, reporters: [] }).finally(
    () => process.chdir(cwd),
  );
  try {
    const tests = [];
    const walk = (task) => {
      if (task.type === 'test') tests.push(task);
      for (const child of task.tasks ?? []) walk(child);
    };
    for (const file of vitest.state.getFiles()) {
      walk(file);
      // a file that failed to load (or an error outside any test) has no test to show it
      if (file.result?.state === 'fail' && (file.result.errors?.length ?? 0) > 0)
        tests.push({ name: `${file.name} (loading)`, mode: 'run', result: file.result });
    }
    const passed = tests.filter((t) => t.result?.state === 'pass');
    const skipped = tests.filter((t) => t.mode === 'skip' || t.mode === 'todo');
    const failed = tests.filter((t) => t.result?.state === 'fail');
    const failures = failed.map(
      (t) => `${t.name}: ${t.result.errors?.[0]?.message?.split('\n')[0] ?? 'failed'}`,
    );
    if (passed.length === 0) failures.push('no test ran');
    for (const f of failures) log(`  ${f}`);
    return {
      case: name,
      ok: failures.length === 0,
      figure: `${passed.length} of ${tests.length} tests pass${skipped.length ? ` (${skipped.length} skipped)` : ''} in ${files.map((f) => f.split('/').at(-1)).join(', ')}`,
      failures,
    };
  } finally {
    await vitest.close();
  }
}
