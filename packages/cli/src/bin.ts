#!/usr/bin/env node
import { runAsProcess } from './program.js';

await runAsProcess('covenant');
