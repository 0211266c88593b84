/** @module The tool version, reported in `--version` and in every Report. */
export const TOOL_VERSION = '0.1.0';
