import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { Group, Page } from '@rehearse/shared/contracts';
import { ApiProblem, GroupsApi, toProblem } from '@rehearse/web/data-access';

@Component({
  selector: 'rh-groups',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatPaginatorModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Groups</h1>
      <form class="card row" (ngSubmit)="create()">
        <mat-form-field appearance="outline"><mat-label>New group name</mat-label><input matInput name="name" [(ngModel)]="name" maxlength="200" required /></mat-form-field>
        <mat-form-field appearance="outline" class="grow"><mat-label>Description</mat-label><input matInput name="description" [(ngModel)]="description" maxlength="2000" /></mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy() || !name.trim()">Create group</button>
      </form>
      @if (problem(); as p) { <p class="card error-text" role="alert">{{ p.message }}</p> }
      <form class="row" (ngSubmit)="search()">
        <mat-form-field appearance="outline"><mat-label>Search groups</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>
      <div class="card">
        @if (loading()) { <mat-progress-bar mode="indeterminate" aria-label="Loading groups" /> }
        @if (page(); as p) {
          @if (p.total === 0) { <p class="empty">No groups yet. Create one, add participants and a coach, then enrol it in a course.</p> }
          @else {
            <table class="data">
              <thead><tr><th scope="col">Group</th><th scope="col">Participants</th><th scope="col">Coaches</th></tr></thead>
              <tbody>
                @for (g of p.items; track g.id) {
                  <tr><td><a [routerLink]="['/admin/groups', g.id]">{{ g.name }}</a><div class="muted">{{ g.description }}</div></td><td>{{ g.participantCount }}</td><td>{{ g.coachCount }}</td></tr>
                }
              </tbody>
            </table>
            <mat-paginator [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" (page)="paged($event)" aria-label="Pages of groups" />
          }
        }
      </div>
    </section>
  `,
  styles: `.grow { flex: 1; }`,
})
export class GroupsPage implements OnInit {
  private readonly api = inject(GroupsApi);
  protected readonly page = signal<Page<Group> | null>(null);
  protected readonly loading = signal(false);
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected name = '';
  protected description = '';
  protected q = '';
  private pageIndex = 0;

  ngOnInit(): Promise<void> {
    return this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      this.page.set(await firstValueFrom(this.api.groups({ q: this.q.trim(), page: this.pageIndex + 1, pageSize: 25 })));
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.loading.set(false);
    }
  }

  search(): Promise<void> {
    this.pageIndex = 0;
    return this.load();
  }

  paged(e: PageEvent): Promise<void> {
    this.pageIndex = e.pageIndex;
    return this.load();
  }

  async create(): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await firstValueFrom(this.api.create(this.name.trim(), this.description.trim()));
      this.name = '';
      this.description = '';
      await this.load();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
