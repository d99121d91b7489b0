import { KEPT_DAYS, KeptRecordings } from './kept-recordings';

/** The browser's own database (IndexedDB in Chromium), as the recorder uses it. */
describe('KeptRecordings', () => {
  let kept: KeptRecordings;
  const key = 'pim:course-1:exercise-1';
  const text = (b: Blob) => b.text();

  beforeEach(async () => {
    kept = new KeptRecordings();
    await kept.clear();
  });
  afterEach(() => kept.clear());

  it('keeps a take piece by piece, in order, and gives it back whole with its length', async () => {
    const startedAt = Date.now();
    await kept.begin({ key, mimeType: 'audio/webm', startedAt });
    for (const piece of ['one ', 'two ', 'three']) void kept.append(key, new Blob([piece]));
    expect(await kept.find(key)).toEqual(
      jasmine.objectContaining({ key, mimeType: 'audio/webm', startedAt, seconds: 3 }),
    );
    await kept.finish(key, 2.5);
    const found = await kept.find(key);
    expect(found?.seconds).toBe(2.5);
    expect(found?.blob.type).toBe('audio/webm');
    expect(await text(found?.blob as Blob)).toBe('one two three');
  });

  it('a new take replaces the earlier one of the same exercise; others stay; discard and clear remove them', async () => {
    const other = 'pim:course-1:exercise-2';
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['first take']));
    await kept.begin({ key: other, mimeType: 'video/webm', startedAt: Date.now() });
    await kept.append(other, new Blob(['other exercise']));
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['second take']));
    expect(await text((await kept.find(key))?.blob as Blob)).toBe('second take');
    expect(await text((await kept.find(other))?.blob as Blob)).toBe('other exercise');
    await kept.discard(key);
    expect(await kept.find(key)).toBeNull();
    expect(await kept.find(other)).not.toBeNull();
    await kept.clear();
    expect(await kept.find(other)).toBeNull();
  });

  it('an empty take, or one older than the days it is kept, is not offered and goes', async () => {
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    expect(await kept.find(key)).toBeNull();
    const old = Date.now() - (KEPT_DAYS + 1) * 86_400_000;
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: old });
    await kept.append(key, new Blob(['stale']));
    expect(await kept.find(key, old + 86_400_000)).not.toBeNull();
    expect(await kept.find(key)).toBeNull();
    // gone, not merely hidden
    expect(await kept.find(key, old + 86_400_000)).toBeNull();
  });

  it('what another browser tab or a new page finds: the same takes (one database for the browser)', async () => {
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['survives a reload']));
    const afterReload = new KeptRecordings();
    expect(await text((await afterReload.find(key))?.blob as Blob)).toBe('survives a reload');
  });

  it('a piece that cannot be kept ends the take: what was kept goes and no later piece is kept, until the next take', async () => {
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['one ']));
    // what the browser cannot store (as when its storage is full): the write fails
    await kept.append(key, (() => 'not storable') as unknown as Blob);
    await kept.append(key, new Blob(['three']));
    expect(await kept.find(key)).toBeNull();
    await kept.begin({ key, mimeType: 'audio/webm', startedAt: Date.now() });
    await kept.append(key, new Blob(['a new take']));
    expect(await text((await kept.find(key))?.blob as Blob)).toBe('a new take');
  });
});
