import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HomeSummary } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { UsersService } from '@rehearse/server/accounts';
import { CoursesService, LearningService } from '@rehearse/server/courses';
import { CoachQueueService, PeerReviewsService } from '@rehearse/server/feedback';
import { TenantDestructionService } from '@rehearse/server/privacy';
import { HomeSummaryDto } from './home.dto';

/**
 * The home page: one section per role the person holds in their organisation, each built by the
 * service that owns the data with that service's own access checks (a superuser outside any
 * organisation gets no sections).
 */
@ApiTags('home')
@Controller()
export class HomeController {
  constructor(
    private readonly learning: LearningService,
    private readonly coachQueue: CoachQueueService,
    private readonly users: UsersService,
    private readonly courses: CoursesService,
    private readonly peerReviews: PeerReviewsService,
    private readonly agreements: TenantDestructionService,
  ) {}

  @RequirePermission('account.self')
  @Get('home')
  @ApiOperation({ summary: "The signed-in person's home page, one section per role" })
  @ApiOkResponse({ type: HomeSummaryDto })
  async home(@CurrentActor() actor: Actor): Promise<HomeSummary> {
    const inTenant = actor.tenantId !== null;
    const may = (p: Parameters<Actor['permissions']['has']>[0]) => inTenant && actor.permissions.has(p);
    const [participant, coach, admin, developer] = await Promise.all([
      may('courses.learn')
        ? Promise.all([this.learning.home(actor), this.peerReviews.toDo(actor)]).then(([home, peerReviews]) => ({
            ...home,
            peerReviews,
          }))
        : null,
      may('coaching.read') ? this.coachQueue.coachHome(actor) : null,
      may('users.read')
        ? Promise.all([this.users.adminHome(actor), this.agreements.agreementOf(actor.tenantId as string)]).then(
            ([home, agreement]) => ({ ...home, agreement }),
          )
        : null,
      may('courses.author') ? this.courses.developerHome(actor) : null,
    ]);
    return { participant, coach, admin, developer };
  }
}
