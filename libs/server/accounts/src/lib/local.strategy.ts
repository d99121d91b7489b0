import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import type { Request } from 'express';
import { AppError, createValidationPipe } from '@rehearse/server/core';
import { AuthService, PasswordStep } from './auth.service';
import { LoginDto } from './dto';

/** passport's local strategy: e-mail and password, checked by AuthService.verifyPassword. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(req: Request, email: string, password: string): Promise<PasswordStep> {
    return this.auth.verifyPassword(email, password, req, (req.body as LoginDto).organisation);
  }
}

/**
 * Runs the local strategy without passport sessions (Rehearse rotates its own session at each
 * step). Guards run before pipes, so the body is validated here first: a malformed body is a
 * 400 with field errors, exactly as on every other route.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly validation = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    req.body = await this.validation.transform(req.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions() {
    return { session: false };
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new AppError(400, 'validation_failed', 'E-mail address and password are required');
    return user;
  }
}
