import { watchProcessing } from './queue-processing';

describe('watchProcessing', () => {
  const closed = new Error('Connection is closed.');

  it('lets a closing queue’s loop end quietly, as its connections go', async () => {
    const logger = { error: jest.fn() };
    const queue = { name: 'media', closing: Promise.resolve() };
    await expect(watchProcessing(queue, Promise.reject(closed), logger)).resolves.toBeUndefined();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('keeps any other end of the loop a failure, and says which queue stopped', async () => {
    const logger = { error: jest.fn() };
    await expect(watchProcessing({ name: 'media' }, Promise.reject(closed), logger)).rejects.toBe(closed);
    expect(logger.error).toHaveBeenCalledWith('the media queue stopped taking jobs: Connection is closed.');
    await expect(watchProcessing({ name: 'media' }, Promise.resolve('done'), logger)).resolves.toBeUndefined();
  });
});
