// The pact file's name, without `node:path`, so the browser entry can say where its pact goes.
import type { PactFileOptions } from './pact-writer.js';

/** The pact file's name (no directory) for these options: `<consumer>-<provider>.json`. */
export function pactFileName(options: PactFileOptions): string {
  const name = `${options.consumer}-${options.provider}`;
  const fileName = options.fileNameStyle === 'lowercase' ? name.toLowerCase() : name;
  return `${fileName.replace(/[/\\]/g, '_')}.json`;
}
