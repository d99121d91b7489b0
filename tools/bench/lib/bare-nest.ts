/**
 * The yardstick of the scale benchmark: a NestJS application with one GET route and nothing
 * else (Express adapter, no middleware, no logging), on the port given as the first argument.
 * GET /api/auth/me is compared with it for requests per second on the same machine.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller()
class BareController {
  @Get('bare')
  bare(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.argv[2] ?? 3399), '127.0.0.1');
}

void main();
