import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { notFound } from '@rehearse/server/core';
import { testActor } from '../testing/test-actor';
import { AccessGuard } from './access.guard';
import type { AccessService } from './access.service';
import type { Actor } from './actor';
import { RequireObject, RequirePermission } from './decorators';

/** The guard's object check (check 3 before the handler), with the access core replaced by a fake. */
describe('AccessGuard and @RequireObject', () => {
  const ID = '3f2b6c1e-0000-4000-8000-000000000001';
  class Routes {
    @RequirePermission('recordings.read')
    @RequireObject('recording.read')
    play(): string {
      return 'played';
    }

    @RequirePermission('recordings.read')
    list(): string {
      return 'listed';
    }
  }
  const actor = testActor('3f2b6c1e-0000-4000-8000-0000000000aa', '3f2b6c1e-0000-4000-8000-0000000000bb', [
    'participant',
  ]);

  function run(handler: keyof Routes, params: Record<string, string>, allowed: boolean) {
    const asked: string[] = [];
    const access = {
      resolveActor: async () => actor,
      require: async (_: Actor, permission: string, id: string) => {
        asked.push(`${permission} ${id}`);
        if (!allowed) throw notFound('Recording');
        return ['owner'];
      },
    } as unknown as AccessService;
    const context = {
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => ({ params }) }),
    } as unknown as ExecutionContext;
    return { asked, result: new AccessGuard(new Reflector(), access).canActivate(context) };
  }

  it('asks the access core about the object the route names, before the handler', async () => {
    const ok = run('play', { id: ID }, true);
    await expect(ok.result).resolves.toBe(true);
    expect(ok.asked).toEqual([`recording.read ${ID}`]);
  });

  it('answers 404 when the actor has no relation that allows it', async () => {
    const refused = run('play', { id: ID }, false);
    await expect(refused.result).rejects.toMatchObject({ status: 404 });
  });

  it('leaves a malformed id to the validation pipe (400), and routes without an object alone', async () => {
    const malformed = run('play', { id: '../etc/passwd' }, false);
    await expect(malformed.result).resolves.toBe(true);
    expect(malformed.asked).toEqual([]);
    const list = run('list', { id: ID }, false);
    await expect(list.result).resolves.toBe(true);
    expect(list.asked).toEqual([]);
  });
});
