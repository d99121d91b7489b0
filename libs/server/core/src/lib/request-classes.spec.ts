import 'reflect-metadata';
import { Exclude, Expose, plainToInstance, Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { fastKeys, installLinearKeys, libraryKeys } from './request-classes';

class Inner {
  @IsString() text!: string;
}
class Plain {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}
class Exposing {
  @Expose({ name: 'shown' }) hidden!: string;
  @Exclude() secret!: string;
}

const PLAIN_TO_CLASS = 0;
const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe('class-transformer’s keys in linear time', () => {
  it('gives the library’s own answer for plain objects and classes without @Expose or @Exclude', () => {
    const e = { options: {}, transformationType: PLAIN_TO_CLASS };
    for (const [target, object] of [
      [Plain, { name: 'x', inner: { text: 'y' }, extra: 1 }],
      [Plain, {}],
      [Inner, many(50)],
      [undefined, { a: 1, b: { c: 2 } }],
    ] as [unknown, Record<string, unknown>][])
      expect(fastKeys(e, target, object, false)).toEqual(libraryKeys(e, target, object, false));
  });

  it('leaves to the library what it filters: @Expose, @Exclude, options that pick keys, maps', () => {
    const e = { options: {}, transformationType: PLAIN_TO_CLASS };
    expect(fastKeys(e, Exposing, { shown: 'a', secret: 'b' }, false)).toBeUndefined();
    expect(libraryKeys(e, Exposing, { shown: 'a', secret: 'b' }, false)).toEqual(['shown']);
    for (const options of [
      { excludeExtraneousValues: true },
      { groups: ['x'] },
      { version: 1 },
      { excludePrefixes: ['_'] },
    ])
      expect(fastKeys({ options, transformationType: PLAIN_TO_CLASS }, Plain, { name: 'x' }, false)).toBeUndefined();
    expect(fastKeys(e, Plain, { name: 'x' }, true)).toBeUndefined();
  });

  it('makes request classes of an object of many keys without comparing each key with the others', () => {
    installLinearKeys();
    const object = { name: 'x', inner: { text: 'y' }, ...many(2000) };
    const indexOf = Array.prototype.indexOf;
    let calls = 0;
    Array.prototype.indexOf = function (this: unknown[], ...args: Parameters<typeof indexOf>) {
      calls++;
      return indexOf.apply(this, args);
    };
    let made: Plain;
    try {
      made = plainToInstance(Plain, object);
    } finally {
      Array.prototype.indexOf = indexOf;
    }
    // the library's own keeps each of the 2,002 keys once with an indexOf over all of them
    expect(calls).toBeLessThan(100);
    expect(made).toBeInstanceOf(Plain);
    expect(made.inner).toBeInstanceOf(Inner);
    expect(Object.keys(made)).toEqual(Object.keys(object));
    // and an exposing class still gets the library's answer
    expect(plainToInstance(Exposing, { shown: 'a', secret: 'b' })).toEqual(
      Object.assign(new Exposing(), { hidden: 'a' }),
    );
  });
});
