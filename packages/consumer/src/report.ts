import { formatQueryString, renderMismatches, type SynchronousHttpInteraction } from '@covenant/core';
import type { MockProblem, ReceivedRequest } from './mock-session.js';

function describeInteraction(i: SynchronousHttpInteraction): string {
  const states =
    i.providerStates.length > 0 ? ` given ${i.providerStates.map((s) => `'${s.name}'`).join(' and ')}` : '';
  const query =
    i.request.query && Object.keys(i.request.query).length > 0
      ? `?${formatQueryString(i.request.query)}`
      : '';
  return `'${i.description}'${states} (${i.request.method} ${i.request.path}${query})`;
}

function describeRequest(r: ReceivedRequest): string {
  return `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`;
}

/**
 * A report people can act on: each problem with the request as received, the interaction it was
 * closest to, and every mismatch with its path, expected and actual values and rule.
 */
export function renderProblems(provider: string, problems: readonly MockProblem[], color = false): string {
  const lines = [
    `The mock provider '${provider}' saw ${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
  ];
  problems.forEach((p, n) => {
    lines.push('');
    switch (p.kind) {
      case 'mismatch':
        lines.push(
          `${n + 1}. ${describeRequest(p.request)} does not match interaction ${describeInteraction(p.interaction)}:`,
        );
        lines.push(renderMismatches(p.mismatches, { color, indent: '   ' }));
        break;
      case 'unexpected':
        lines.push(`${n + 1}. Unexpected request ${describeRequest(p.request)}: no interaction expects it.`);
        if (p.closest) {
          lines.push(`   The closest interaction is ${describeInteraction(p.closest.interaction)}:`);
          lines.push(renderMismatches(p.closest.mismatches, { color, indent: '   ' }));
        }
        break;
      case 'missing':
        lines.push(
          `${n + 1}. Interaction ${describeInteraction(p.interaction)} was expected but never received.`,
        );
        lines.push("   Did the code under test call the mock server's URL (the one passed to executeTest)?");
        break;
      case 'refused':
        lines.push(`${n + 1}. ${p.request.method} ${p.request.url} was not served: ${p.reason}`);
        break;
    }
  });
  return lines.join('\n');
}
