export function kinds(): Array<'sqlite' | 'postgres'>;
