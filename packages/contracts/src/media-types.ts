/**
 * Content negotiation between a pact's header (Accept or Content-Type) and the media types an
 * operation lists: exact, then without parameters, then without vendor prefixes (`+json`), then
 * wildcards on either side. Gives the spec's media type that matched, or undefined.
 *
 * @example
 * findMediaType('application/json;q=0.9, text/html', ['text/html', 'application/json']) // 'text/html'
 */
export function findMediaType(requested: string, available: readonly string[]): string | undefined {
  // Interactions repeat the same few headers against the same few lists: each pair is worked out once.
  const key = `${requested}\u0000${available.join('\u0001')}`;
  if (negotiated.has(key)) return negotiated.get(key);
  const found = negotiate(requested, available);
  if (negotiated.size >= 10_000) negotiated.clear();
  negotiated.set(key, found);
  return found;
}

const negotiated = new Map<string, string | undefined>();

function negotiate(requested: string, available: readonly string[]): string | undefined {
  const accepted = requested
    .split(',')
    .map(normalise)
    .sort((a, b) => quality(b) - quality(a))
    .map((t) => t.replace(/;q=[01].?\d*/, ''));
  let offered = available.map(normalise);

  const firstIndex = (test: (offer: string, accept: string) => boolean): number => {
    for (const a of accepted) {
      const index = offered.findIndex((o) => test(o, a));
      if (index >= 0) return index;
    }
    return -1;
  };

  let index = firstIndex((o, a) => o === a);
  if (index >= 0) return available[index];

  const bare = accepted.map(withoutParameters);
  offered = offered.map(withoutParameters);
  const firstBare = (test: (offer: string, accept: string) => boolean): number => {
    for (const a of bare) {
      const i = offered.findIndex((o) => test(o, a));
      if (i >= 0) return i;
    }
    return -1;
  };
  index = firstBare((o, a) => o === a);
  if (index >= 0) return available[index];
  index = firstBare((o, a) => mainType(o) === mainType(a) && subtype(o) === subtype(a));
  if (index >= 0) return available[index];
  index = firstBare((o, a) => subtype(o) === '*' && mainType(o) === mainType(a));
  if (index >= 0) return available[index];
  if (offered.includes('*/*')) return '*/*';
  index = firstBare((o, a) => subtype(a) === '*' && mainType(o) === mainType(a));
  if (index >= 0) return available[index];
  if (bare.includes('*/*')) return available[0];
  return undefined;
}

function normalise(type: string): string {
  return type.replace(/\s+/g, '').toLowerCase();
}

function quality(type: string): number {
  const match = /.*;q=([01].?\d*)/.exec(type);
  return match ? Number.parseFloat(match[1]!) : 1;
}

function withoutParameters(type: string): string {
  return type.split(';')[0]!;
}

function mainType(type: string): string {
  return type.split('/')[0]!;
}

function subtype(type: string): string | undefined {
  return type.split('/')[1]?.split('+').pop();
}

/** The media types the comparison validates bodies of; others get an `unvalidatable` warning. */
export const VALIDATABLE_MEDIA_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

/** What to do with a body: validate it, warn that it cannot be validated, or skip it. */
export function bodyTreatment(
  contentType: string | undefined,
  body: unknown,
  validatable: readonly string[] = VALIDATABLE_MEDIA_TYPES,
): 'validate' | 'warn' | 'skip' {
  if (typeof contentType !== 'string') return 'skip';
  if (findMediaType(contentType, validatable)) return 'validate';
  return body !== undefined ? 'warn' : 'skip';
}
