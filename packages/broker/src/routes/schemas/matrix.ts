import { Type } from '@sinclair/typebox';
import {
  boolean,
  component,
  described,
  hal,
  integer,
  list,
  nullable,
  object,
  ok,
  operation,
  query,
  queryValue,
  ref,
  string,
  timestamp,
} from './shared.js';

component(
  'MatrixVersion',
  hal(['self'], {
    number: string,
    branch: nullable(string),
    branches: list(hal(['self'], { name: string, latest: boolean })),
    branchVersions: list(hal(['self'], { name: string, latest: boolean })),
    environments: list(
      hal(['self'], { uuid: string, name: string, displayName: string, production: boolean }),
    ),
    tags: list(hal(['self'], { name: string, latest: boolean })),
  }),
);
component(
  'MatrixRow',
  object(
    {
      consumer: hal(['self'], { name: string, version: ref('MatrixVersion') }),
      provider: hal(['self'], { name: string, version: nullable(ref('MatrixVersion')) }),
      pact: hal(['self'], { createdAt: timestamp }),
      verificationResult: nullable(
        hal(
          ['self'],
          { success: boolean, verifiedAt: timestamp },
          {
            pending: described(
              "true: it failed while the pact was pending, so the provider's build passed",
              boolean,
            ),
          },
        ),
      ),
    },
    { ignored: boolean },
  ),
);
component(
  'Matrix',
  object({
    summary: object(
      {
        deployable: described('null when nothing could be determined', nullable(boolean)),
        reason: string,
        success: integer,
        failed: integer,
        unknown: integer,
      },
      { ignored: integer },
    ),
    notices: list(
      object({ type: Type.Unsafe<string>({ enum: ['success', 'error', 'warning', 'info'] }), text: string }),
    ),
    matrix: list(ref('MatrixRow')),
  }),
);

/** Values that repeat, one per selector (or per ignore entry). */
const each = (description: string) => queryValue(`${description} (repeated: one per selector)`);

// the route reads the query from the raw URL (Rack-style nesting, with its own messages): the schema
// documents the parameters and refuses nothing the route would answer for
const matrixQuery = query({
  'q[][pacticipant]': each('Selector pacticipant names'),
  'q[][version]': each('Selector version numbers'),
  'q[][latest]': each("Selectors' latest flags ('true')"),
  'q[][tag]': each('Selector tags'),
  'q[][branch]': each('Selector branches'),
  'q[][mainBranch]': each("Selectors' mainBranch flags ('true')"),
  'q[][environment]': each('Selector environments'),
  latestby: queryValue("Keep the latest row per: 'cvpv', 'cvp' or 'cp'"),
  latest: queryValue("'true' compares with the other pacticipants' latest versions"),
  tag: queryValue('…with this tag'),
  mainBranch: queryValue("'true': …on their main branch"),
  environment: queryValue('…deployed or released to this environment'),
  'success[]': each("Keep rows whose verification succeeded ('true'), failed ('false') or is missing ('')"),
  'ignore[][pacticipant]': each('Pacticipants whose results do not block'),
  'ignore[][version]': each('…only these versions of them'),
  limit: queryValue('Most rows, a whole number from 1 to 1000 (default 100)'),
});
const canIDeployQuery = query({
  pacticipant: queryValue('The pacticipant to deploy (required)'),
  version: queryValue('Its version (required)'),
  to: queryValue('Check against the latest versions with this tag'),
  environment: queryValue('Check against the versions in this environment'),
  'ignore[]': each('Pacticipants whose results do not block'),
  'ignore[][pacticipant]': each('Pacticipants whose results do not block'),
  'ignore[][version]': each('…only these versions of them'),
  limit: queryValue('Most rows, a whole number from 1 to 1000 (default 100)'),
});

export const matrixSchemas = {
  getMatrix: operation({
    method: 'GET',
    path: '/matrix',
    tag: 'Matrix',
    summary: 'The verification matrix for selected pacticipant versions',
    description:
      'The query is Rack-style: `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B&q[][latest]=true` is two selectors.',
    ok: ok('Matrix'),
    errors: [400],
    query: matrixQuery,
  }),
  getCanIDeploy: operation({
    method: 'GET',
    path: '/can-i-deploy',
    tag: 'Matrix',
    summary: 'Whether a pacticipant version can be deployed to an environment or alongside tagged versions',
    ok: ok('Matrix'),
    errors: [400],
    query: canIDeployQuery,
  }),
};
