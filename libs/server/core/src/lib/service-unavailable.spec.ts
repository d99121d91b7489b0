import { QueryFailedError } from 'typeorm';
import {
  DependencyUnavailableError,
  isConcurrentChange,
  isOutOfSpace,
  isServiceUnavailable,
  isTemporaryFailure,
} from './exception.filter';

describe('isServiceUnavailable', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('recognises a database that is restarting or out of reach, as pg and TypeORM report it', () => {
    expect(isServiceUnavailable(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isServiceUnavailable(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isServiceUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isServiceUnavailable(pgError('08006'))).toBe(true);
    expect(isServiceUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isServiceUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // TypeORM wraps the driver's error
    expect(isServiceUnavailable(new QueryFailedError('SELECT 1', [], pgError('57P01')))).toBe(true);
    // Redis (ioredis): a command given up after its retries, or no connection to send it on
    const givenUp = Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(isServiceUnavailable(givenUp)).toBe(true);
    expect(isServiceUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isServiceUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      true,
    );
  });

  it('recognises object storage or a key service failing for now (their 5xx, throttling), as their clients report it', () => {
    // the AWS SDK (S3 staging, KMS): the service's fault, after the SDK's retries
    const aws = (name: string, $fault: 'server' | 'client', status: number) =>
      Object.assign(new Error(name), { name, $fault, $metadata: { httpStatusCode: status } });
    expect(isServiceUnavailable(aws('SlowDown', 'server', 503))).toBe(true);
    expect(isServiceUnavailable(aws('KMSInternalException', 'server', 500))).toBe(true);
    expect(isServiceUnavailable(aws('ThrottlingException', 'client', 400))).toBe(true);
    // the minio client's spent retries, as S3Store passes them on
    expect(isServiceUnavailable(new DependencyUnavailableError('object storage answered 503'))).toBe(true);
    // a request the service refuses for good stays what it is (a wrong key or credentials: a 500 for the operator)
    expect(isServiceUnavailable(aws('AccessDenied', 'client', 403))).toBe(false);
    expect(isServiceUnavailable(aws('NoSuchKey', 'client', 404))).toBe(false);
    expect(isServiceUnavailable(Object.assign(new Error('x'), { $fault: 'server' }))).toBe(false);
  });

  it('leaves every other error alone (a bug stays a 500, a constraint a 4xx of its own)', () => {
    expect(isServiceUnavailable(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key')))).toBe(false);
    expect(isServiceUnavailable(pgError('42P01', 'relation does not exist'))).toBe(false);
    expect(isServiceUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isServiceUnavailable(null)).toBe(false);
    expect(isServiceUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe('isOutOfSpace', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it("recognises a full disk or a quota, this host's or PostgreSQL's, wrapped or not", () => {
    expect(isOutOfSpace(withCode('ENOSPC', 'ENOSPC: no space left on device, write'))).toBe(true);
    expect(isOutOfSpace(withCode('EDQUOT', 'EDQUOT: disk quota exceeded'))).toBe(true);
    expect(isOutOfSpace(new Error('stored nothing', { cause: withCode('ENOSPC') }))).toBe(true);
    // PostgreSQL's disk_full, through TypeORM
    expect(isOutOfSpace(new QueryFailedError('INSERT', [], withCode('53100', 'could not extend file')))).toBe(true);
    expect(isTemporaryFailure(withCode('53100'))).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isOutOfSpace(withCode('ENOENT'))).toBe(false);
    expect(isOutOfSpace(new QueryFailedError('INSERT', [], withCode('23505')))).toBe(false);
    expect(isOutOfSpace(null)).toBe(false);
    expect(isTemporaryFailure(new TypeError('x'))).toBe(false);
  });
});

describe('isConcurrentChange', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('recognises a change the database refused for a conflicting one made at the same moment', () => {
    // a unique key another request took first, a deadlock, a serialization failure; wrapped or not
    expect(isConcurrentChange(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key')))).toBe(true);
    expect(isConcurrentChange(new QueryFailedError('DELETE', [], pgError('40P01', 'deadlock detected')))).toBe(true);
    expect(isConcurrentChange(pgError('40001', 'could not serialize access'))).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isConcurrentChange(new QueryFailedError('INSERT', [], pgError('23503', 'foreign key')))).toBe(false);
    expect(isConcurrentChange(new QueryFailedError('SELECT', [], pgError('57P01')))).toBe(false);
    expect(isConcurrentChange(new TypeError('x'))).toBe(false);
    expect(isConcurrentChange(null)).toBe(false);
    expect(isConcurrentChange('23505')).toBe(false);
  });
});
