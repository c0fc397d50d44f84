// Case 6: soak. `clients` clients mix reads and writes for `seconds`; 0 errors, and the broker's
// resident memory grows less than 10 % from the end of the warm-up (the first fifth) to the end.
import { createTestDatabase, enc, json, pact, percentile, request, sleep, spawnBroker } from './lib.mjs';

/**
 * `maxGrowthPercent` fails the case when RSS grows more after warm-up; left out (the CI's 20 s,
 * where V8's heap is still growing to its working size), the growth is reported, not judged.
 */
export async function soak({ kind, clients, seconds, maxGrowthPercent, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const broker = spawnBroker({ database: database.location });
  try {
    const url = await broker.ready;
    const times = [];
    const errors = [];
    const rss = [];
    const end = Date.now() + seconds * 1000;
    const warmUp = Date.now() + (seconds * 1000) / 5;
    let baseline;
    const sampler = setInterval(
      () => {
        const mb = broker.rssMb();
        rss.push(Math.round(mb));
        if (baseline === undefined && Date.now() >= warmUp) baseline = mb;
      },
      Math.max(250, (seconds * 1000) / 40),
    );
    const worker = async (i) => {
      for (let n = 0; Date.now() < end; n++) {
        const consumer = `soak-consumer-${i % 10}`;
        const kindOfCall = n % 4;
        const answer =
          kindOfCall === 0
            ? await request(url, {
                method: 'PUT',
                path: `/pacts/provider/soak-provider/consumer/${enc(consumer)}/version/${i}.${n}`,
                ...json(pact(consumer, 'soak-provider', `call ${n % 50}`)),
              })
            : kindOfCall === 1
              ? await request(url, {
                  path: `/pacts/provider/soak-provider/consumer/${enc(consumer)}/latest`,
                  headers: { accept: 'application/hal+json' },
                })
              : kindOfCall === 2
                ? await request(url, {
                    path: `/matrix?q[][pacticipant]=${enc(consumer)}&latestby=cvp&latest=true`,
                    headers: { accept: 'application/hal+json' },
                  })
                : await request(url, { path: '/pacticipants', headers: { accept: 'application/hal+json' } });
        times.push(answer.ms);
        // a consumer's first latest pact may not be published yet by its writer
        if (!(answer.status >= 200 && answer.status < 300) && !(kindOfCall === 1 && answer.status === 404))
          errors.push(`${answer.status || answer.error?.message}`);
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
    clearInterval(sampler);
    await sleep(10);
    const last = broker.rssMb();
    const growth = baseline ? ((last - baseline) / baseline) * 100 : 0;
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    const failures = [...new Set(errors)].slice(0, 5).map((e) => `error answers: ${e}`);
    if (maxGrowthPercent !== undefined && growth >= maxGrowthPercent)
      failures.push(
        `RSS grew ${growth.toFixed(1)} % after warm-up (${baseline?.toFixed(0)} → ${last.toFixed(0)} MB)`,
      );
    log(`  soak ${kind}: RSS MB over time ${rss.join(' ')}`);
    return {
      case: `soak, ${clients} clients × ${seconds} s (${kind})`,
      ok: failures.length === 0,
      figure: `${times.length} requests, ${errors.length} errors, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, RSS ${baseline?.toFixed(0)} → ${last.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %)`,
      p50_ms: p50,
      p99_ms: p99,
      rss_mb: rss,
      failures,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}
