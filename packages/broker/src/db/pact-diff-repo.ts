import { sql } from 'kysely';
import type { BrokerDatabase } from './connect.js';

/** One side of a pact diff: which pact it is and its content. */
export interface DiffSide {
  consumerVersion: string;
  sha: string;
  content: string;
}

/**
 * The pact of `version` and the one before it with different content (the latest publication for
 * an earlier consumer version whose pact version differs), in one query; undefined when the
 * version has no pact. `before` is undefined when no earlier pact differs.
 */
export async function previousDistinctPact(
  database: BrokerDatabase,
  consumer: string,
  provider: string,
  version: string,
): Promise<{ after: DiffSide; before: DiffSide | undefined } | undefined> {
  const result = await sql<{
    side: string;
    consumer_version: string;
    sha: string;
    content: string;
  }>`
    WITH this_pact AS (
      SELECT pp.consumer_id, pp.provider_id, pp.pact_version_id, cv.id AS version_id,
        cv.number AS consumer_version
      FROM pact_publications pp
      JOIN pacticipants c ON c.id = pp.consumer_id
      JOIN pacticipants p ON p.id = pp.provider_id
      JOIN versions cv ON cv.id = pp.consumer_version_id
      -- the version found by (pacticipant, number) first, not by testing each of the integration's
      WHERE c.name = ${consumer} AND p.name = ${provider} AND cv.pacticipant_id = c.id AND cv.number = ${version}
      ORDER BY pp.revision DESC LIMIT 1
    )
    SELECT 'after' AS side, t.consumer_version, pv.sha, pv.content
    FROM this_pact t JOIN pact_versions pv ON pv.id = t.pact_version_id
    UNION ALL
    SELECT 'before' AS side, cv.number AS consumer_version, pv.sha, pv.content
    FROM this_pact t
    -- found backwards on the integration's index, then joined: not every publication sorted
    JOIN pact_publications pp ON pp.id = (
      SELECT pp2.id FROM pact_publications pp2
      WHERE pp2.consumer_id = t.consumer_id AND pp2.provider_id = t.provider_id
        AND pp2.consumer_version_id < t.version_id AND pp2.pact_version_id <> t.pact_version_id
      ORDER BY pp2.consumer_version_id DESC, pp2.revision DESC LIMIT 1)
    JOIN versions cv ON cv.id = pp.consumer_version_id
    JOIN pact_versions pv ON pv.id = pp.pact_version_id
  `.execute(database.db);
  const side = (name: string) => {
    const r = result.rows.find((row) => row.side === name);
    return r && { consumerVersion: r.consumer_version, sha: r.sha, content: r.content };
  };
  const after = side('after');
  return after && { after, before: side('before') };
}
