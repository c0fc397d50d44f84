// Steps shared by the V4 consumer features: generating the pact file for the interactions being
// defined (HTTP through the Pact DSL, messages through the message DSL) and reading it back.
import { readFileSync } from 'node:fs';
import { jsonEquals } from '@covenant/core';
import { json, ordinal } from '../support.mjs';
import { generateHttpPact } from './http-consumer.mjs';
import { generateMessagePact } from './messages.mjs';

function interactions(world) {
  const pact = JSON.parse(readFileSync(world.pactFile, 'utf8'));
  return pact.interactions ?? pact.messages ?? [];
}

/** Registers the shared V4 steps. */
export function generalSteps(registry) {
  const define = registry.define.bind(registry);

  define('the Pact file for the test is generated', async (world) => {
    if (world.dsl) world.pactFile = await generateHttpPact(world);
    if (world.messageDsl) world.pactFile = await generateMessagePact(world);
    if (!world.pactFile) throw new Error('no interaction is being defined');
  });

  define('the {numType} interaction in the Pact file will have a type of {string}', (world, which, type) => {
    const interaction = interactions(world)[ordinal(which)];
    if (interaction?.type !== type) throw new Error(`the ${which} interaction has type ${interaction?.type}`);
  });
  define('there will be an interaction in the Pact file with a type of {string}', (world, type) => {
    const types = interactions(world).map((i) => i.type);
    if (!types.includes(type)) throw new Error(`the types are ${types.join(', ')}`);
  });
  define(
    'the {numType} interaction in the Pact file will have {string} = {string}',
    (world, which, field, value) => {
      const interaction = interactions(world)[ordinal(which)];
      const actual = interaction?.[field];
      if (actual === undefined || !jsonEquals(json(JSON.stringify(actual)), json(value)))
        throw new Error(`${field} is ${JSON.stringify(actual)}, expected ${value}`);
    },
  );
}
