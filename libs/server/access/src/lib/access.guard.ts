import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Permission } from '@rehearse/shared/contracts';
import { AppError, forbidden, isUuid, unauthenticated } from '@rehearse/server/core';
import { AccessService } from './access.service';
import { OBJECT_KEY, ObjectRequirement, PERMISSION_KEY, PUBLIC_KEY } from './decorators';
import type { Actor } from './actor';

/**
 * Global default-deny guard. A route passes only when it declares a permission the actor holds,
 * or declares itself public. A route that declares neither is refused for everybody. A route that
 * names an object (@RequireObject) is refused with 404 unless the actor may act on that object.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!isPublic && !permission) {
      throw new AppError(403, 'forbidden', 'This route declares no permission and is closed');
    }
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor | null }>();
    req.actor = await this.access.resolveActor(req);
    if (isPublic) return true;
    if (!req.actor) throw unauthenticated();
    if (!permission || !req.actor.permissions.has(permission)) throw forbidden();
    const object = this.reflector.getAllAndOverride<ObjectRequirement | undefined>(OBJECT_KEY, targets);
    if (object) {
      const id: unknown = (req.params as Record<string, unknown> | undefined)?.[object.param];
      // a malformed id is the validation pipe's to refuse (400); any other id must be one the actor may use
      if (typeof id === 'string' && isUuid(id)) await this.access.require(req.actor, object.permission, id);
    }
    return true;
  }
}
