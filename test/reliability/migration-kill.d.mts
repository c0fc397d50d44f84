import type { Row } from './row.js';

type Kind = 'sqlite' | 'postgres';
export function migrationNames(kind: Kind): Promise<string[]>;
export function schemasByStep(kind: Kind): Promise<string[][]>;
export function atFirstMigration(
  kind: Kind,
  location: string,
  options: { verifications: number },
): Promise<void>;
export function schemaState(
  kind: Kind,
  location: string,
  schemas: string[][],
): Promise<{ done: string[]; halfApplied: string[] }>;
export function migrationKill(options: {
  kind: Kind;
  kills: number;
  verifications: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<Row & { seed: number }>;
