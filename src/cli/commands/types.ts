/** @module What a CLI command module exports: a function that adds itself to the commander program. */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/**
 * Registers one command. The action must resolve to an exit code by calling `setExit(code)`
 * (0 nothing at or above --fail-on, 1 findings, 2 usage/input error); errors thrown as ToolError
 * are printed by main and give exit 2.
 */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: number) => void) => void;
