/** @module The explicit registry of CLI commands, in the order `--help` lists them. */
import type { RegisterCommand } from './types.js';

export const COMMANDS: RegisterCommand[] = [];
