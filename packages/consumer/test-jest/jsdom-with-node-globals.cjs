// Jest's jsdom environment leaves out Node's Fetch API and encoding globals (jsdom has none of its
// own), which Covenant, @mswjs/interceptors and any fetch-based client need; this hands the
// environment Node's, as msw's documentation advises for Jest (jest-fixed-jsdom does the same).
const { TestEnvironment } = require('jest-environment-jsdom');

const NODE_GLOBALS = [
  'TextEncoder',
  'TextDecoder',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'Headers',
  'Request',
  'Response',
  'fetch',
  'structuredClone',
];

module.exports = class JsdomWithNodeGlobals extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of NODE_GLOBALS) this.global[name] = globalThis[name];
  }
};
