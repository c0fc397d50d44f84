/** Stopping a long-running command (the broker, a stub) on SIGINT or SIGTERM. */

/** The exit status after each signal: 130 for SIGINT (Ctrl-C, 128 + 2, as shells report it); 0 for SIGTERM, a requested stop. */
export const signalExitCodes = { SIGINT: 130, SIGTERM: 0 } as const;

export type StopSignal = keyof typeof signalExitCodes;

/**
 * A signal handler that says it is stopping `what`, awaits `close` and exits with the signal's
 * status; a `close` that fails is reported in one line and exits 1, never an unhandled rejection.
 * A second signal while stopping is ignored.
 */
export function stopper(
  what: string,
  close: () => Promise<void>,
  io: { say: (text: string) => void; warn: (text: string) => void; exit: (code: number) => void } = {
    say: (text) => process.stdout.write(text),
    warn: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  },
): (signal: StopSignal) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) return;
    stopping = true;
    io.say(`${signal}: stopping the ${what}\n`);
    let closing: Promise<void>;
    try {
      closing = close();
    } catch (error) {
      closing = Promise.reject(error);
    }
    closing.then(
      () => io.exit(signalExitCodes[signal]),
      (error: unknown) => {
        io.warn(
          `${signal}: the ${what} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        io.exit(1);
      },
    );
  };
}

/** Stops `what` with `close` on SIGINT and SIGTERM (see `stopper`). */
export function stopOnSignals(what: string, close: () => Promise<void>): void {
  const stop = stopper(what, close);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
