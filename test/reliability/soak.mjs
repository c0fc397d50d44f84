// Case 6: soak. `clients` clients mix reads and writes for `seconds`; 0 errors; the memory the
// broker holds (its heap and buffers right after a full garbage collection) grows less than 10 % from the end
// of the warm-up (the first fifth) to the end; and, at the bench's size, its resident memory too.
import { createTestDatabase, enc, json, pact, percentile, request, sleep, spawnBroker } from './lib.mjs';

/**
 * `maxGrowthPercent` fails the case when RSS grows more after warm-up; left out (the CI's 20 s),
 * the RSS growth is reported, not judged: a young process's RSS climbs for its first few thousand
 * requests while V8 and SQLite's caches reach their working size (then it levels off), so only a
 * long run judges it. `maxHeapGrowthPercent` (10 by default) judges the heap after a full
 * collection, which a leak makes grow at any size and which a young process's growth does not.
 */
export async function soak({
  kind,
  clients,
  seconds,
  maxGrowthPercent,
  maxHeapGrowthPercent = 10,
  log = () => {},
}) {
  const database = await createTestDatabase(kind);
  const broker = spawnBroker({ database: database.location }, { nodeArgs: ['--expose-gc'] });
  try {
    const url = await broker.ready;
    const times = [];
    const errors = [];
    const rss = [];
    const end = Date.now() + seconds * 1000;
    const warmUp = Date.now() + (seconds * 1000) / 5;
    let baseline;
    let heapBaseline;
    const sampler = setInterval(
      () => {
        const mb = broker.rssMb();
        rss.push(Math.round(mb));
        if (baseline === undefined && Date.now() >= warmUp) {
          baseline = mb;
          heapBaseline = broker.heapAfterGc();
        }
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
    // what the broker's JavaScript holds: its heap and the buffers outside it
    const held = (memory) => (memory ? memory.heapMb + memory.externalMb : undefined);
    const heapBefore = held(await heapBaseline);
    const heapAfter = held(await broker.heapAfterGc());
    const heapGrowth = heapBefore ? ((heapAfter - heapBefore) / heapBefore) * 100 : 0;
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    const failures = [...new Set(errors)].slice(0, 5).map((e) => `error answers: ${e}`);
    if (maxGrowthPercent !== undefined && growth >= maxGrowthPercent)
      failures.push(
        `RSS grew ${growth.toFixed(1)} % after warm-up (${baseline?.toFixed(0)} → ${last.toFixed(0)} MB)`,
      );
    if (heapGrowth >= maxHeapGrowthPercent)
      failures.push(
        `heap and buffers after a full GC grew ${heapGrowth.toFixed(1)} % after warm-up (${heapBefore?.toFixed(1)} → ${heapAfter.toFixed(1)} MB): a leak?`,
      );
    log(`  soak ${kind}: RSS MB over time ${rss.join(' ')}`);
    return {
      case: `soak, ${clients} clients × ${seconds} s (${kind})`,
      ok: failures.length === 0,
      figure: `${times.length} requests, ${errors.length} errors, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, heap and buffers after GC ${heapBefore?.toFixed(1)} → ${heapAfter.toFixed(1)} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} %), RSS ${baseline?.toFixed(0)} → ${last.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %${maxGrowthPercent === undefined ? ', not judged at this size' : ''})`,
      p50_ms: p50,
      p99_ms: p99,
      rss_mb: rss,
      heap_after_gc_mb: [heapBefore, heapAfter],
      failures,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}
