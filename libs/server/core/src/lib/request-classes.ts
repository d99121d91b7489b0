import type { ClassTransformOptions } from 'class-transformer';

// the library's own modules, the ones its index (what the validation pipe loads) uses; they ship
// no declarations of their own
const { TransformOperationExecutor } = require('class-transformer/cjs/TransformOperationExecutor') as {
  TransformOperationExecutor: { prototype: unknown };
};
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: unknown };

type Keys = (target: unknown, object: Record<string, unknown>, isMap: boolean) => string[];
type Executor = { options: ClassTransformOptions; transformationType: number; getKeys: Keys };
const executor = TransformOperationExecutor.prototype as unknown as Executor;

/** The library's own `getKeys`, kept for what the shortcut below does not cover. */
const libraryGetKeys: Keys = executor.getKeys;
let installed = false;

/**
 * class-transformer (0.5.1, its last release, which the validation pipe uses to make a body's
 * request classes) lists an object's keys to copy and then keeps each once with `indexOf` in a
 * `filter`: time quadratic in the object's keys (30,000 took 490 ms, the 200,000 a 2 MB body
 * holds over a minute of the API's one thread). For a plain object copied with every key (no
 * `@Expose`/`@Exclude` on its class, no option that filters keys: how Rehearse uses it) the
 * library's answer is the object's own keys, each already once: given as they are. Anything else
 * goes to the library's own. `libraryKeys` and `fastKeys` are exported for the test that holds them
 * to the same answers.
 */
export function installLinearKeys(): void {
  if (installed) return;
  installed = true;
  executor.getKeys = function (this: Executor, target, object, isMap) {
    return fastKeys(this, target, object, isMap) ?? libraryGetKeys.call(this, target, object, isMap);
  };
}

/** The keys to copy where the shortcut applies (see installLinearKeys), else undefined. */
export function fastKeys(
  e: Pick<Executor, 'options' | 'transformationType'>,
  target: unknown,
  object: Record<string, unknown>,
  isMap: boolean,
): string[] | undefined {
  const o = e.options;
  if (isMap || object instanceof Map) return undefined;
  if (o.strategy === 'excludeAll' || o.excludeExtraneousValues || o.ignoreDecorators) return undefined;
  if (o.excludePrefixes?.length || o.version !== undefined || o.groups?.length) return undefined;
  if (target) {
    const storage = defaultMetadataStorage as unknown as {
      getStrategy(t: unknown): string;
      getExposedProperties(t: unknown, type: number): string[];
      getExcludedProperties(t: unknown, type: number): string[];
    };
    if (storage.getStrategy(target) !== 'none') return undefined;
    if (storage.getExposedProperties(target, e.transformationType).length) return undefined;
    if (storage.getExcludedProperties(target, e.transformationType).length) return undefined;
  }
  return Object.keys(object);
}

/** The library's own answer (for the test). */
export function libraryKeys(
  e: Pick<Executor, 'options' | 'transformationType'>,
  target: unknown,
  object: Record<string, unknown>,
  isMap: boolean,
): string[] {
  return libraryGetKeys.call(e as Executor, target, object, isMap);
}
