// Core matching engine: all spec cases, and one large JSON body under an eachLike rule at several
// sizes to show the cost grows linearly. There is no in-process peer for the engine alone.
import { existsSync, readFileSync } from 'node:fs';
import { jsonBody, matchingRulesFromJson, matchResponse, parseJson, stringifyJson } from '@covenant/core';
import { listSpecCases, matchSpecCase, specRoot } from '../../test/conformance/spec-runner.mjs';
import { expect, row, timeMedian } from '../lib.mjs';

async function specRows(log) {
  if (!existsSync(specRoot)) {
    log(`skipping the spec cases: ${specRoot} is absent`);
    return [];
  }
  const cases = listSpecCases().map((c) => ({ ...c, text: readFileSync(c.file, 'utf8') }));
  const runAll = () => {
    let agreed = 0;
    for (const c of cases) {
      const { match, expected, actual } = parseJson(c.text).value;
      if (matchSpecCase(c, expected, actual).ok === match) agreed++;
    }
    return agreed;
  };
  const agreed = runAll();
  expect(cases.length === 803, `expected 803 spec cases, found ${cases.length}`);
  expect(
    agreed >= cases.length - 15,
    `only ${agreed} of ${cases.length} spec cases agree with their expectation`,
  );
  return [
    row(`parse and match all ${cases.length} spec cases`, await timeMedian(runAll, { runs: 15, warmup: 5 })),
  ];
}

function item(i) {
  return {
    id: 100000 + i,
    uuid: `${i.toString(16).padStart(8, '0')}-9a1b-4c2d-8e3f-5a6b7c8d9e0f`,
    name: `I${i}`,
    price: 10.5 + (i % 100),
    created: '2024-01-31T13:45:10Z',
  };
}

function bodyOf(count) {
  return stringifyJson({ items: Array.from({ length: count }, (_, i) => item(i)) });
}

const rules = matchingRulesFromJson({
  body: {
    '$.items': { matchers: [{ match: 'type', min: 1 }] },
    '$.items[*].id': { matchers: [{ match: 'integer' }] },
    '$.items[*].uuid': {
      matchers: [{ match: 'regex', regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' }],
    },
    '$.items[*].created': { matchers: [{ match: 'datetime', format: "yyyy-MM-dd'T'HH:mm:ssXXX" }] },
  },
});

async function bodyRows() {
  const expected = {
    status: 200,
    headers: undefined,
    body: jsonBody({ items: [item(0)] }),
    matchingRules: rules,
    generators: {},
  };
  const rows = [];
  for (const count of [2500, 5000, 10000, 20000]) {
    const text = bodyOf(count);
    const actual = {
      status: 200,
      headers: undefined,
      body: { kind: 'present', contentType: 'application/json', content: { type: 'text', text } },
    };
    const outcome = matchResponse(expected, actual);
    expect(outcome.ok, `a ${count}-item body should match, got ${outcome.mismatches[0]?.message}`);
    const broken = text.replace('"uuid":"00000007', '"uuid":"XXXXXXX7');
    const bad = matchResponse(expected, {
      ...actual,
      body: { ...actual.body, content: { type: 'text', text: broken } },
    });
    expect(
      bad.mismatches.length === 1 && bad.mismatches[0].path === '$.items[7].uuid',
      'one broken item gives exactly one mismatch at its path',
    );
    const ms = await timeMedian(() => matchResponse(expected, actual), { runs: 7, warmup: 2 });
    const mb = (text.length / 1024 / 1024).toFixed(2);
    rows.push(
      row(`match ${mb} MB JSON body, ${count} items under eachLike (parse included)`, ms, {
        note: `${(ms / (text.length / 1024 / 1024)).toFixed(1)} ms/MB`,
      }),
    );
  }
  return rows;
}

export async function run({ log }) {
  return [...(await specRows(log)), ...(await bodyRows())];
}
