/** @module Runs the real CLI from source (through tsx) so end-to-end tests start `pse-doctor serve` as its own process. */
import { main } from '../../../src/cli/main.js';

await main();
