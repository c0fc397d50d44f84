import type { Row } from './row.js';
export function secrets(options: { kind: 'sqlite' | 'postgres'; log?: (line: string) => void }): Promise<Row>;
