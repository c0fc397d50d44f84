import {
  type Body,
  bodyBytes,
  contentTypeHeader,
  formatQueryString,
  generateRequest,
  type JsonValue,
  type Mismatch,
  matchResponse,
  type SynchronousHttpInteraction,
} from '@covenant/core';
import type { Transport } from './transport.js';

/**
 * Verifies one HTTP interaction: replays its request (generators applied) against the provider
 * and compares the response with the core engine; returns the mismatches.
 */
export async function verifyHttpInteraction(
  interaction: SynchronousHttpInteraction,
  stateValues: Record<string, JsonValue>,
  provider: { baseUrl: string; transport: Transport },
): Promise<Mismatch[]> {
  const request = generateRequest(interaction.request, 'provider', { providerState: stateValues });
  const base = provider.baseUrl.replace(/\/+$/, '');
  const query =
    request.query && Object.keys(request.query).length > 0 ? `?${formatQueryString(request.query)}` : '';
  const headers: Record<string, string[]> = { ...(request.headers ?? {}) };
  let body: Buffer | undefined;
  if (request.body.kind === 'present') {
    body = Buffer.from(bodyBytes(request.body.content));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && request.body.contentType) {
      headers['Content-Type'] = [request.body.contentType];
    }
  }
  const response = await provider.transport.send({
    method: request.method,
    url: `${base}${encodePath(request.path)}${query}`,
    headers,
    body,
  });
  return matchResponse(interaction.response, {
    status: response.status,
    headers: response.headers,
    body: bodyOf(response.body, response.headers),
  }).mismatches;
}

function bodyOf(body: Buffer, headers: Record<string, string[]>): Body {
  if (body.length === 0) return { kind: 'missing' };
  return {
    kind: 'present',
    contentType: contentTypeHeader(headers),
    content: { type: 'binary', bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) },
  };
}

/** Percent-encodes what a pact path may hold but a request line can't (spaces, non-ASCII). */
function encodePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
}
