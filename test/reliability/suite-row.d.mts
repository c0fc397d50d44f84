import type { Row } from './row.js';
export function suiteRow(options: {
  name: string;
  project: string;
  files: string[];
  log?: (line: string) => void;
}): Promise<Row>;
