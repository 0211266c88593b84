/** @module Public library API (re-exports only). */
export * from './model/cause.js';
export type * from './model/certificate.js';
export * from './model/errors.js';
export type * from './model/evidence.js';
export type * from './model/report.js';
export type * from './readers/types.js';
export { TOOL_VERSION } from './version.js';
