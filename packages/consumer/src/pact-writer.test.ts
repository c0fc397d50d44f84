import { spawn } from 'node:child_process';
import { link, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Interaction, readPact } from '@covenant/core';
import { pactFixture, tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { pactFilePath, writeInteractions } from './pact-writer.js';

let dir: string;
tempDirEachTest('covenant-writer-', (path) => {
  dir = path;
});

function interaction(description: string, status = 200): Interaction {
  const pact = pactFixture({
    consumer: 'c',
    provider: 'p',
    interactions: [{ description, path: '/x', status }],
  });
  return readPact(JSON.stringify(pact)).interactions[0]!;
}

function runWorker(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', 'test-fixtures', 'parallel-writer.mjs'), ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`worker failed (${code}): ${stderr}`)),
    );
  });
}

describe('writeInteractions', () => {
  it('loses and duplicates nothing when parallel processes write one pact at once', async () => {
    const workers = 6;
    const count = 25;
    const shared = 5;
    await Promise.all(
      Array.from({ length: workers }, (_, w) => runWorker([dir, String(w), String(count), String(shared)])),
    );
    const file = pactFilePath({ consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir });
    const pact = readPact(await readFile(file, 'utf8'), file);
    const descriptions = pact.interactions.map((i) => i.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
    expect(descriptions).toHaveLength(workers * count + shared);
    for (let w = 0; w < workers; w++)
      for (let i = 0; i < count; i++) expect(descriptions).toContain(`worker ${w} interaction ${i}`);
    // no temporary or lock files are left behind
    expect(await readdir(dir)).toEqual(['Parallel Consumer-Parallel Provider.json']);
    // six Node processes starting at once take longer than the default 5 s on a busy 2-core machine
  }, 30_000);

  it('appends in place and still reads back as a valid, complete pact', async () => {
    const options = { consumer: 'c', provider: 'p', dir };
    for (let i = 0; i < 30; i++) await writeInteractions(options, [interaction(`i${i}`)]);
    const pact = readPact(await readFile(pactFilePath(options), 'utf8'));
    expect(pact.interactions.map((i) => i.description)).toEqual(
      Array.from({ length: 30 }, (_, i) => `i${i}`),
    );
  });

  it('appends interactions with multi-byte text at the right offsets', async () => {
    const options = { consumer: 'c', provider: 'p', dir };
    const names = ['café 1', 'naïve 2 ✓', 'emoji 3 🚀', 'plain 4'];
    for (const name of names) await writeInteractions(options, [interaction(name)]);
    const pact = readPact(await readFile(pactFilePath(options), 'utf8'));
    expect(pact.interactions.map((i) => i.description)).toEqual(names);
  });

  it('merges with a file another process changed, sorting on that rewrite', async () => {
    const options = { consumer: 'c', provider: 'p', dir };
    await writeInteractions(options, [interaction('b')]);
    const file = pactFilePath(options);
    const other = JSON.parse(await readFile(file, 'utf8'));
    other.interactions.push({ ...other.interactions[0], description: 'a' });
    await writeFile(file, JSON.stringify(other, null, 2));
    await writeInteractions(options, [interaction('c')]);
    const pact = readPact(await readFile(file, 'utf8'));
    expect(pact.interactions.map((i) => i.description)).toEqual(['a', 'b', 'c']);
  });

  it('appends to the file another process replaced between its writes, not to the one it kept open', async () => {
    const options = { consumer: 'Parallel Consumer', provider: 'Parallel Provider', dir };
    // two writes: a full rewrite, then an append through a descriptor this process keeps open
    await writeInteractions(options, [interaction('mine 1')]);
    await writeInteractions(options, [interaction('mine 2')]);
    // another process reads, merges and renames a new file over the pact
    await runWorker([dir, 'other', '1', '0']);
    await writeInteractions(options, [interaction('mine 3')]);
    await writeInteractions(options, [interaction('mine 4')]);
    const pact = readPact(await readFile(pactFilePath(options), 'utf8'));
    expect(pact.interactions.map((i) => i.description).sort()).toEqual([
      'mine 1',
      'mine 2',
      'mine 3',
      'mine 4',
      'worker other interaction 0',
    ]);
  }, 15_000);

  it('writes an identical interaction once, and rejects a conflicting one', async () => {
    const options = { consumer: 'c', provider: 'p', dir };
    await writeInteractions(options, [interaction('same')]);
    await writeInteractions(options, [interaction('same')]);
    await expect(writeInteractions(options, [interaction('same', 500)])).rejects.toThrow(
      /COV_CONSUMER_PACT_CONFLICT/,
    );
    const pact = readPact(await readFile(pactFilePath(options), 'utf8'));
    expect(pact.interactions).toHaveLength(1);
  });

  it('overwrite mode replaces the file on the first write of this process', async () => {
    const options = { consumer: 'o', provider: 'p', dir, mode: 'overwrite' as const };
    await writeFile(
      pactFilePath(options),
      JSON.stringify(
        pactFixture({ consumer: 'o', provider: 'p', interactions: [{ description: 'stale', path: '/' }] }),
      ),
    );
    await writeInteractions(options, [interaction('fresh 1')]);
    await writeInteractions(options, [interaction('fresh 2')]);
    const pact = readPact(await readFile(pactFilePath(options), 'utf8'));
    expect(pact.interactions.map((i) => i.description)).toEqual(['fresh 1', 'fresh 2']);
  });

  it('breaks the lock of a process that died', async () => {
    const options = { consumer: 'l', provider: 'p', dir };
    await writeFile(`${pactFilePath(options)}.lock`, '999999999\n');
    const old = new Date(Date.now() - 5_000);
    await utimes(`${pactFilePath(options)}.lock`, old, old);
    await writeInteractions(options, [interaction('after a crash')]);
    expect(await readdir(dir)).toEqual(['l-p.json']);
  });

  it("waits for a live writer's lock however old that writer's owner file is", async () => {
    const options = { consumer: 'h', provider: 'p', dir, lockTimeoutMs: 300 };
    const owner = join(dir, 'owner-of-a-live-process');
    await writeFile(owner, `${process.pid}\n`);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(owner, longAgo, longAgo);
    await link(owner, `${pactFilePath(options)}.lock`);
    await expect(writeInteractions(options, [interaction('blocked')])).rejects.toThrow(
      /COV_CONSUMER_PACT_LOCK_TIMEOUT/,
    );
  });

  it('leaves no lock or owner file behind, and removes those of dead writers', async () => {
    const deadOwner = join(tmpdir(), '.covenant-lock-owner-999999999-0');
    await writeFile(deadOwner, '999999999\n');
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', 'test-fixtures', 'parallel-writer.mjs'), dir, '0', '3', '1'],
      { stdio: 'ignore' },
    );
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const leftovers = (await Promise.all([readdir(tmpdir()), readdir(dir)])).flat();
    expect(leftovers.filter((name) => name.startsWith(`.covenant-lock-owner-${child.pid}-`))).toEqual([]);
    expect(leftovers).not.toContain('.covenant-lock-owner-999999999-0');
    expect(await readdir(dir)).toEqual(['Parallel Consumer-Parallel Provider.json']);
  });

  it('fault: a writer killed between writing its rewrite and renaming it left the half-written copy beside the pact', async () => {
    const options = { consumer: 'c', provider: 'p', dir };
    const file = pactFilePath(options);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    const longAgo = new Date(Date.now() - 120_000);
    // what a killed writer leaves: its rewrite's temporary file, cut short
    const abandoned = `${file}.${gone.pid}.k1ll3d.tmp`;
    const tooRecent = `${file}.${gone.pid}.r3c3nt.tmp`;
    const ofALiveWriter = `${file}.${process.pid}.al1v3.tmp`;
    for (const path of [abandoned, tooRecent, ofALiveWriter]) await writeFile(path, '{"consumer": {"na');
    await utimes(abandoned, longAgo, longAgo);
    await utimes(ofALiveWriter, longAgo, longAgo);
    await writeInteractions(options, [interaction('after the kill')]);
    const names = () => readdir(dir);
    for (let i = 0; i < 100 && (await names()).includes(abandoned.slice(dir.length + 1)); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await names()).sort()).toEqual(
      ['c-p.json', tooRecent.slice(dir.length + 1), ofALiveWriter.slice(dir.length + 1)].sort(),
    );
  });

  it('refuses a corrupt existing pact with a coded error instead of overwriting it', async () => {
    const options = { consumer: 'x', provider: 'p', dir };
    await writeFile(pactFilePath(options), '{ not json');
    await expect(writeInteractions(options, [interaction('y')])).rejects.toThrow(/COV_CORE_JSON_SYNTAX/);
    expect(await readFile(pactFilePath(options), 'utf8')).toBe('{ not json');
  });
});
