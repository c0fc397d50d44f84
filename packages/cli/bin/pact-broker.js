#!/usr/bin/env node
// A committed launcher, so npm links the bin on install before the TypeScript is built.
import '../dist/pact-broker.js';
