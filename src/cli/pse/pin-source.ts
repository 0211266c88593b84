/**
 * @module Where the `pse` command gets a PIN: --pin-file, the PSE_DOCTOR_PIN variable, or a prompt on a
 * terminal without echo. Never from argv; asked once per run and only when a PSE needs one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolError } from '../../model/errors.js';
import type { SecretProvider } from '../../readers/types.js';
import type { CliIo } from '../io.js';

/** Longest PIN accepted from a file or the prompt (SAP PINs are short; this only bounds input). */
const MAX_PIN_LENGTH = 1024;

/** A terminal input stream that can switch off echo. */
interface RawCapable {
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Read the PIN file: its content without one trailing line break. */
export function readPinFile(path: string, io: CliIo): string {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ToolError('file-not-found', { path });
    throw new ToolError('not-readable', { path, reason: code ?? 'error' });
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin.length > MAX_PIN_LENGTH)
    throw new ToolError('usage', { message: `The PIN file ${path} is too long to hold a PIN.` });
  return pin;
}

/**
 * Ask for a PIN on the terminal with echo off. Undefined when stdin is not a terminal. Ctrl-C cancels
 * with a usage error; Backspace edits.
 */
export function promptPin(io: CliIo, name: string): Promise<string | undefined> {
  const stdin = io.stdin as unknown as RawCapable;
  if (!io.stdinIsTTY || typeof stdin.setRawMode !== 'function') return Promise.resolve(undefined);
  io.stderr.write(`PIN for ${name} (not shown): `);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolvePin, reject) => {
    let pin = '';
    const finish = (error?: ToolError) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) {
        pin = '';
        reject(error);
      } else resolvePin(pin);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new ToolError('usage', { message: 'PIN entry cancelled.' }));
        if (ch === '\u007f' || ch === '\b') pin = pin.slice(0, -1);
        else if (pin.length < MAX_PIN_LENGTH && ch >= ' ') pin += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The PIN source of one run: file, then environment, then one prompt; the answer is reused. */
export function createPinProvider(io: CliIo, pinFile: string | undefined): SecretProvider {
  let pending: Promise<string | undefined> | undefined;
  return {
    get(kind, inputName) {
      if (kind !== 'pin') return Promise.resolve(undefined);
      pending ??= (async () => {
        if (pinFile) return readPinFile(pinFile, io);
        const env = io.env.PSE_DOCTOR_PIN;
        if (env !== undefined && env !== '') return env;
        return promptPin(io, inputName);
      })();
      return pending;
    },
  };
}
