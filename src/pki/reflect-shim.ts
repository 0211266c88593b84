/**
 * @module Minimal `Reflect` metadata polyfill so @peculiar/x509 (via tsyringe) loads without `reflect-metadata`.
 *
 * tsyringe refuses to load unless `Reflect.getMetadata` exists; it only ever calls `defineMetadata`,
 * `getMetadata` and `getOwnMetadata`. This installs those three (and `hasMetadata`) when absent and does
 * nothing when a real polyfill is already present. `x509()` in `pki/x509.ts` calls it before loading the library.
 */

type MetadataStore = Map<unknown, Map<string | symbol | undefined, Map<unknown, unknown>>>;

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: string | symbol) => void;
  hasMetadata?: (key: unknown, target: object, property?: string | symbol) => boolean;
}

/** Install the four metadata functions on `Reflect` unless a polyfill already provides them. */
export function installReflectShim(): void {
  const reflect = Reflect as unknown as ReflectWithMetadata;
  if (typeof reflect.getMetadata === 'function') return;
  const store: MetadataStore = new Map();
  const ownMap = (target: object, property: string | symbol | undefined, create: boolean) => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let entries = byProperty.get(property);
    if (!entries && create) {
      entries = new Map();
      byProperty.set(property, entries);
    }
    return entries;
  };
  reflect.defineMetadata = (key, value, target, property) => {
    ownMap(target, property, true)?.set(key, value);
  };
  reflect.getOwnMetadata = (key, target, property) => ownMap(target, property, false)?.get(key);
  reflect.getMetadata = (key, target, property) => {
    // Walk the prototype chain like reflect-metadata does.
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const entries = ownMap(t, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
  reflect.hasMetadata = (key, target, property) => reflect.getMetadata?.(key, target, property) !== undefined;
}
