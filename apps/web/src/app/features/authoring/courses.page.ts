import { COURSE_STATUS_NAMES } from '../../core/labels';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { PagedList } from '../../core/paged-list';
import { textOf } from '../../core/text-file';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { COURSE_LANGUAGES, CourseExportFile, CourseLanguage, CourseSummary } from '@rehearse/shared/contracts';
import { ApiProblem, AuthoringApi, toProblem } from '@rehearse/web/data-access';
import { FilePick } from '../../core/file-pick';
import { StackedTable } from '../../core/stacked-table';

@Component({
  selector: 'rh-authoring-courses',
  imports: [
    StackedTable,
    FilePick,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <div class="row"><h1 i18n>Courses</h1><span class="spacer"></span><a i18n mat-stroked-button routerLink="/authoring/rubrics">Rubrics</a></div>
      <form class="card row" (ngSubmit)="create()">
        <mat-form-field appearance="outline" class="title"><mat-label i18n>New course title</mat-label><input matInput name="title" [(ngModel)]="title" maxlength="200" required /></mat-form-field>
        <mat-form-field appearance="outline"><mat-label i18n>Language</mat-label>
          <mat-select name="language" [(ngModel)]="language">@for (l of languages; track l) { <mat-option [value]="l">{{ l }}</mat-option> }</mat-select>
        </mat-form-field>
        <button i18n mat-flat-button type="submit" [disabled]="busy() || !title.trim()">Create course</button>
        <rh-file-pick i18n-label label="Import a course file" accept=".json,application/json" [disabled]="busy()" (picked)="import($event)" />
      </form>
      @if (problem(); as p) {
        <div class="card error-text" role="alert">
          <p>{{ p.message }}</p>
          @if (p.fieldErrors.length) { <ul>@for (f of p.fieldErrors; track $index) { <li><code>{{ f.field }}</code>: {{ f.messages.join('; ') }}</li> }</ul> }
        </div>
      }
      <form class="row" (ngSubmit)="list.search()">
        <mat-form-field appearance="outline"><mat-label i18n>Search titles</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <mat-form-field appearance="outline"><mat-label i18n>Status</mat-label>
          <mat-select name="status" [(ngModel)]="status" (selectionChange)="list.search()">
            <mat-option i18n value="">Any</mat-option><mat-option i18n value="draft">Draft</mat-option><mat-option i18n value="published">Published</mat-option><mat-option i18n value="archived">Archived</mat-option>
          </mat-select>
        </mat-form-field>
        <button i18n mat-stroked-button type="submit">Search</button>
      </form>
      <div class="card">
        @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading courses" /> }
        @if (list.error(); as e) { <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p> }
        @if (list.page(); as p) {
          @if (p.total === 0) { <p i18n class="empty">No courses yet. Create one above, or import a course file.</p> }
          @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">Title</th><th i18n scope="col">Status</th><th i18n scope="col">Version</th><th i18n scope="col">Exercises</th><th i18n scope="col">Language</th></tr></thead>
              <tbody>
                @for (c of p.items; track c.id) {
                  <tr>
                    <td><a [routerLink]="['/authoring/courses', c.id]">{{ c.title }}</a></td>
                    <td>{{ courseStatus[c.status] }}@if (c.hasDraft && c.status === 'published') { <span i18n class="muted"> · draft pending</span> }</td>
                    <td>{{ c.publishedVersion ?? '–' }}</td><td>{{ c.exerciseCount }}</td><td>{{ c.language }}</td>
                  </tr>
                }
              </tbody>
            </table>
            <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[10, 25, 50]" (page)="list.paged($event)" aria-label="Pages of courses" />
          }
        }
      </div>
    </section>
  `,
  // a title takes room, and its label is longer in Dutch
  styles: `.title { flex: 0 1 22rem; max-width: 100%; }`,
})
export class AuthoringCoursesPage implements OnInit {
  protected readonly courseStatus = COURSE_STATUS_NAMES;
  private readonly api = inject(AuthoringApi);
  private readonly router = inject(Router);
  protected readonly languages = COURSE_LANGUAGES;
  protected readonly list = new PagedList<CourseSummary>((page, pageSize) =>
    this.api.courses({ q: this.q.trim(), status: this.status, page, pageSize }),
  );
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected title = '';
  protected language: CourseLanguage = 'en';
  protected q = '';
  protected status = '';

  ngOnInit(): Promise<void> {
    return this.list.load();
  }

  async create(): Promise<void> {
    await this.run(async () => {
      const course = await firstValueFrom(this.api.create(this.title.trim(), this.language));
      await this.router.navigate(['/authoring/courses', course.id]);
    });
  }

  async import(file: File): Promise<void> {
    await this.run(async () => {
      if (file.size > 1_900_000) throw new Error($localize`The file is larger than 1.9 MB.`);
      let parsed: CourseExportFile;
      try {
        parsed = JSON.parse(await textOf(file)) as CourseExportFile;
      } catch {
        throw new Error($localize`This is not a Rehearse course file (it is not JSON).`);
      }
      const course = await firstValueFrom(this.api.importFile(parsed));
      await this.router.navigate(['/authoring/courses', course.id]);
    });
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await fn();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
