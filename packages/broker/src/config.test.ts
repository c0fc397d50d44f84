// startBroker refuses a configuration it would otherwise start with anyway, not as asked.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CovenantError } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import { brokerErrors } from './errors.js';
import { type BrokerOptions, startBroker } from './server.js';

async function refusal(options: BrokerOptions): Promise<CovenantError> {
  const broker = await startBroker({ port: 0, database: ':memory:', ...options }).catch(
    (error: CovenantError) => error,
  );
  if (!('code' in broker)) {
    await broker.close();
    throw new Error(`started with ${JSON.stringify(options)}`);
  }
  return broker;
}

describe('startBroker options', () => {
  it('refuses a request timeout or body limit Node would not apply as given', async () => {
    for (const requestTimeout of [0, -1, Number.NaN, 2 ** 31, 1.5]) {
      const error = await refusal({ requestTimeout });
      expect(error.code, String(requestTimeout)).toBe('COV_BROKER_CONFIG_INVALID');
      expect(error.details.option).toBe('requestTimeout');
      expect(error.message).toContain(String(requestTimeout));
    }
    expect((await refusal({ bodyLimit: 0 })).details.option).toBe('bodyLimit');
    const atMost = await startBroker({ port: 0, database: ':memory:', requestTimeout: 2 ** 31 - 1 });
    await atMost.close();
  });

  it('refuses basic auth with only half of its credentials, and a base URL that is not http(s)', async () => {
    const cases: Array<[BrokerOptions, string, string]> = [
      [{ auth: { readWrite: { username: 'ci' } as never } }, 'auth.readWrite', 'only the username'],
      [{ auth: { readWrite: { username: '', password: 's' } } }, 'auth.readWrite', 'only the password'],
      [{ auth: { readOnly: { username: 'r' } as never } }, 'auth.readOnly', 'only the username'],
      [{ baseUrl: 'broker.example.com' }, 'baseUrl', 'not an http:// or https:// URL'],
    ];
    for (const [options, option, fact] of cases) {
      const error = await refusal(options);
      expect(error.code, option).toBe('COV_BROKER_CONFIG_INVALID');
      expect(error.details.option).toBe(option);
      expect(error.message).toContain(fact);
    }
    // an explicitly empty password is the caller's choice
    const empty = await startBroker({
      port: 0,
      database: ':memory:',
      auth: { readWrite: { username: 'ci', password: '' } },
    });
    await empty.close();
  });

  it('refuses a database URL of another kind (it opened a SQLite file named like the URL) and an empty one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-config-'));
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const mysql = await refusal({ database: 'mysql://ci:secret@db/pacts' });
      expect(mysql.code).toBe('COV_BROKER_CONFIG_INVALID');
      expect(mysql.message).toContain('mysql://');
      expect(mysql.message).not.toContain('secret');
      // an unencoded @ in the password: all of it is hidden (the regex before showed what followed it)
      const at = await refusal({ database: 'mysql://ci:se@cret@db/pacts' });
      expect(at.message).toContain('mysql://ci:***@db/pacts');
      expect(at.message).not.toContain('cret');
      expect((await refusal({ database: '' })).details.option).toBe('database');
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync('mysql:')).toBe(false);
    } finally {
      process.chdir(before);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('names both the covenant broker flag and the startBroker option in the hints that say to raise a limit', () => {
    for (const [code, flag, option] of [
      ['COV_BROKER_BODY_TOO_LARGE', '--body-limit', 'bodyLimit'],
      ['COV_BROKER_REQUEST_MALFORMED', '--request-timeout', 'requestTimeout'],
      ['COV_BROKER_CONFLICT', '--allow-contract-modification', 'allowContractModification'],
    ] as const) {
      expect(brokerErrors[code].hint).toContain(flag);
      expect(brokerErrors[code].hint).toContain(option);
    }
  });
});
