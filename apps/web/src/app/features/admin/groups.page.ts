import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { PagedList } from '../../core/paged-list';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { Group } from '@rehearse/shared/contracts';
import { ApiProblem, GroupsApi, toProblem } from '@rehearse/web/data-access';
import { StackedTable } from '../../core/stacked-table';

@Component({
  selector: 'rh-groups',
  imports: [
    DecimalPipe,
    StackedTable,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Groups</h1>
      <form class="card row" (ngSubmit)="create()">
        <mat-form-field appearance="outline" class="name"><mat-label i18n>New group name</mat-label><input matInput name="name" [(ngModel)]="name" maxlength="200" required /></mat-form-field>
        <mat-form-field appearance="outline" class="grow"><mat-label i18n>Description</mat-label><input matInput name="description" [(ngModel)]="description" maxlength="2000" /></mat-form-field>
        <button i18n mat-flat-button type="submit" [disabled]="busy() || !name.trim()">Create group</button>
      </form>
      @if (problem(); as p) { <p class="card error-text" role="alert">{{ p.message }}</p> }
      <form class="row" (ngSubmit)="list.search()">
        <mat-form-field appearance="outline"><mat-label i18n>Search groups</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <button i18n mat-stroked-button type="submit">Search</button>
      </form>
      <div class="card">
        @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading groups" /> }
        @if (list.error(); as e) { <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p> }
        @if (list.page(); as p) {
          @if (p.total === 0) { <p i18n class="empty">No groups yet. Create one, add participants and a coach, then enrol it in a course.</p> }
          @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">Group</th><th i18n scope="col">Participants</th><th i18n scope="col">Coaches</th></tr></thead>
              <tbody>
                @for (g of p.items; track g.id) {
                  <tr><td><a [routerLink]="['/admin/groups', g.id]">{{ g.name }}</a><div class="muted">{{ g.description }}</div></td><td>{{ g.participantCount | number }}</td><td>{{ g.coachCount | number }}</td></tr>
                }
              </tbody>
            </table>
            <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" (page)="list.paged($event)" aria-label="Pages of groups" />
          }
        }
      </div>
    </section>
  `,
  // the name's field holds its label ("Naam van de nieuwe groep" was cut to "Naam van de nieuw…")
  styles: `.grow { flex: 1; } .name { width: 20rem; }`,
})
export class GroupsPage implements OnInit {
  private readonly api = inject(GroupsApi);
  protected readonly list = new PagedList<Group>((page, pageSize) =>
    this.api.groups({ q: this.q.trim(), page, pageSize }),
  );
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected name = '';
  protected description = '';
  protected q = '';

  ngOnInit(): Promise<void> {
    return this.list.load();
  }

  async create(): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await firstValueFrom(this.api.create(this.name.trim(), this.description.trim()));
      this.name = '';
      this.description = '';
      await this.list.load();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
