import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pactFilesInDirectory, readPactText } from './pact-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covenant-pact-files-'));
  await writeFile(join(dir, 'b.json'), '{}');
  await writeFile(join(dir, 'a.json'), '{"a":1}');
  await writeFile(join(dir, 'notes.txt'), '');
  await mkdir(join(dir, 'backup.json'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pact files', () => {
  it("lists a directory's *.json files, sorted, without directories named like one", async () => {
    expect(await pactFilesInDirectory(dir)).toEqual([join(dir, 'a.json'), join(dir, 'b.json')]);
    await expect(pactFilesInDirectory(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads a pact file, and says why it cannot', async () => {
    expect(await readPactText(join(dir, 'a.json'))).toBe('{"a":1}');
    await expect(readPactText(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
