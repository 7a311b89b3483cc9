#!/usr/bin/env node
// Stand-alone entry for `voxlet optimize` until web/bin/voxlet.mjs dispatches to it.
import { VoxletError } from '../errors.js';
import { runOptimizeCommand } from './index.js';

try {
  process.exitCode = await runOptimizeCommand(process.argv.slice(2));
} catch (error) {
  const usage = error.code === 'INVALID_ARGUMENT' || error.code?.startsWith?.('ERR_PARSE_ARGS');
  const code = error instanceof VoxletError ? ` [${error.code}]` : '';
  process.stderr.write(`voxlet: error${code}: ${error.message}\n`);
  process.exitCode = usage ? 2 : 1;
}
