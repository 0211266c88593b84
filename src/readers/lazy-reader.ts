/**
 * @module `lazyReader`: a registry entry that sniffs with a light function and loads its reading code on
 * first use, so sniffing an input never loads the parsers of formats it is not.
 */
import type { Reader } from './types.js';

/**
 * A Reader with this `id` and `sniff` whose `read` loads the real reader (`load`, a dynamic import) the
 * first time an input is read with it. The loaded reader must have the same id and sniffer (a test of
 * the registry checks it), so choosing a reader never depends on whether it was loaded yet.
 */
export function lazyReader(
  id: string,
  sniff: Reader['sniff'],
  load: () => Promise<Reader>,
  maxScore?: number,
): Reader {
  let loaded: Promise<Reader> | undefined;
  return {
    id,
    sniff,
    ...(maxScore === undefined ? {} : { maxScore }),
    async read(source, ctx) {
      loaded ??= load();
      return (await loaded).read(source, ctx);
    },
  };
}
