import { describe, expect, it } from 'vitest';
import { stopper } from './signals.js';

function harness(close: () => Promise<void>) {
  const said: string[] = [];
  const warned: string[] = [];
  let resolveExit: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  const stop = stopper('stub server', close, {
    say: (t) => said.push(t),
    warn: (t) => warned.push(t),
    exit: (code) => resolveExit(code),
  });
  return { stop, said, warned, exit };
}

describe('stopper', () => {
  it('exits 130 after SIGINT and 0 after SIGTERM once closed, ignoring a second signal', async () => {
    let closes = 0;
    const close = async () => {
      closes++;
    };
    const interrupted = harness(close);
    interrupted.stop('SIGINT');
    interrupted.stop('SIGTERM');
    expect(await interrupted.exit).toBe(130);
    expect(interrupted.said).toEqual(['SIGINT: stopping the stub server\n']);
    expect(closes).toBe(1);
    const terminated = harness(close);
    terminated.stop('SIGTERM');
    expect(await terminated.exit).toBe(0);
  });

  it('reports a close that fails (rejecting or throwing) and exits 1, with no unhandled rejection', async () => {
    const rejecting = harness(() => Promise.reject(new Error('socket stuck')));
    rejecting.stop('SIGINT');
    expect(await rejecting.exit).toBe(1);
    expect(rejecting.warned).toEqual(['SIGINT: the stub server did not stop cleanly: socket stuck\n']);
    const throwing = harness(() => {
      throw new Error('already closed');
    });
    throwing.stop('SIGTERM');
    expect(await throwing.exit).toBe(1);
    expect(throwing.warned[0]).toContain('already closed');
  });
});
