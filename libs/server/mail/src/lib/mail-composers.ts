import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { MAIL_JOB_NAMES, type MailJobName, type MailJobs } from '@rehearse/shared/contracts';
import { type ComposedMail, type MailComposer, ComposesMail } from './mail-composition';

/**
 * The composers the domains registered (`@ComposesMail`), one per mail job. The worker does not
 * start when a job has no composer or two, so a new mail cannot be queued that nobody writes.
 */
@Injectable()
export class MailComposers implements OnModuleInit {
  private readonly byName = new Map<MailJobName, MailComposer<MailJobName>>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const owners = new Map<MailJobName, Set<unknown>>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: ComposesMail.KEY })) {
      const name = this.discovery.getMetadataByDecorator(ComposesMail, wrapper);
      if (!name || !wrapper.instance) continue;
      owners.set(name, (owners.get(name) ?? new Set()).add(wrapper.metatype));
      this.byName.set(name, wrapper.instance as MailComposer<MailJobName>);
    }
    const missing = MAIL_JOB_NAMES.filter((n) => !owners.has(n));
    const twice = [...owners].filter(([, classes]) => classes.size > 1).map(([n]) => n);
    if (missing.length || twice.length)
      throw new Error(
        [
          missing.length
            ? `no composer for the mail jobs ${missing.join(', ')} (import their domain's mail module)`
            : '',
          twice.length ? `more than one composer for ${twice.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      );
  }

  compose<N extends MailJobName>(name: N, payload: MailJobs[N]): Promise<ComposedMail | null> {
    const composer = this.byName.get(name);
    if (!composer) throw new Error(`unknown mail job ${String(name)}`);
    return composer.compose(payload);
  }
}
