export function throwawayPostgresUnavailable(): string | undefined;
export function throwawayPostgres(): Promise<{
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}>;
