/** Writing to the terminal: colours only on a TTY without NO_COLOR, tables, JSON, and a progress line. */

type Stream = NodeJS.WriteStream;

/** Whether to colour what goes to this stream: a TTY, and neither NO_COLOR nor TERM=dumb. */
export function colourEnabled(stream: Stream = process.stdout, env = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export interface Paint {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Colour functions that do nothing when colour is off. */
export function paint(enabled: boolean): Paint {
  const code = (n: number) => (text: string) => (enabled ? `\u001b[${n}m${text}\u001b[0m` : text);
  return { green: code(32), red: code(31), yellow: code(33), dim: code(2), bold: code(1) };
}

/** A plain-text table, columns padded to their widest cell, the way the official CLI prints them. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A broker notice's text coloured by its type: errors (and `danger`) red, warnings yellow, successes green. */
export function colourNotice(type: string, text: string, colours: Paint): string {
  if (type === 'error' || type === 'danger') return colours.red(text);
  if (type === 'warning') return colours.yellow(text);
  if (type === 'success') return colours.green(text);
  return text;
}

/** The broker's notices, coloured by type; debug ones only when verbose. */
export function printNotices(
  notices: Array<{ when: string; text: string }>,
  colours: Paint,
  verbose = false,
): void {
  for (const n of notices)
    if (n.when !== 'debug' || verbose) process.stdout.write(`${colourNotice(n.when, n.text, colours)}\n`);
}

/**
 * A one-line progress display on stderr, redrawn in place (a count when the total is unknown);
 * silent unless stderr is a TTY, so logs and pipes get only the results.
 */
export function progress(total: number | undefined, label: string, stream: Stream = process.stderr) {
  const active = stream.isTTY === true && (total === undefined || total > 1);
  let done = 0;
  return {
    tick(detail = '') {
      done++;
      const count = total === undefined ? `${done}` : `${done}/${total}`;
      if (active) stream.write(`\r\u001b[2K${label} ${count}${detail ? ` ${detail}` : ''}`);
    },
    end() {
      if (active) stream.write('\r\u001b[2K');
    },
  };
}
