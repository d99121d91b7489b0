import { ARIA } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { Rubric, RubricCriterion, weightedScore } from '@rehearse/shared/contracts';
import { MatPaginatorModule } from '@angular/material/paginator';
import { PagedList } from '../../core/paged-list';
import { ApiProblem, AuthoringApi, toProblem } from '@rehearse/web/data-access';
import { StackedTable } from '../../core/stacked-table';

interface Editing {
  id: string | null;
  revision: number;
  title: string;
  description: string;
  criteria: RubricCriterion[];
}

export function newCriterion(): RubricCriterion {
  return {
    id: crypto.randomUUID(),
    title: '',
    description: '',
    weight: 1,
    levels: [1, 2, 3, 4, 5].map((score) => ({ score, descriptor: '' })),
  };
}

@Component({
  selector: 'rh-rubrics',
  imports: [
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
      <a i18n routerLink="/authoring/courses">← Courses</a>
      <div class="row"><h1 i18n class="grow">Rubrics</h1><button i18n mat-flat-button type="button" (click)="edit(null)">New rubric</button></div>
      @if (problem(); as p) {
        <div class="card error-text" role="alert"><p>{{ p.message }}</p>
          @if (p.fieldErrors.length) { <ul>@for (f of p.fieldErrors; track $index) { <li><code>{{ f.field }}</code>: {{ f.messages.join('; ') }}</li> }</ul> }
        </div>
      }
      @if (editing(); as r) {
        <form i18n-aria-label class="card stack" (ngSubmit)="save()" aria-label="Rubric editor">
          <h2>@if (r.id) {<ng-container i18n>Edit rubric</ng-container>} @else {<ng-container i18n>New rubric</ng-container>}</h2>
          @if (r.id) { <p i18n class="muted">Published courses keep the rubric as it was when they were published; your changes apply to the next publication.</p> }
          <mat-form-field appearance="outline"><mat-label i18n>Title</mat-label><input matInput name="title" [(ngModel)]="r.title" maxlength="200" required /></mat-form-field>
          <mat-form-field appearance="outline"><mat-label i18n>Description</mat-label><textarea matInput name="description" rows="2" [(ngModel)]="r.description" maxlength="5000"></textarea></mat-form-field>
          @for (c of r.criteria; track c.id; let ci = $index) {
            <fieldset class="criterion">
              <legend i18n>Criterion {{ ci + 1 }}</legend>
              <div class="row">
                <mat-form-field appearance="outline" class="grow"><mat-label i18n>Title</mat-label><input matInput [name]="'ct' + ci" [(ngModel)]="c.title" maxlength="200" required /></mat-form-field>
                <mat-form-field appearance="outline"><mat-label i18n>Weight</mat-label><input matInput type="number" min="0.01" step="0.5" [name]="'cw' + ci" [(ngModel)]="c.weight" required /></mat-form-field>
                <button i18n mat-button type="button" (click)="removeCriterion(ci)" [disabled]="r.criteria.length === 1" [attr.aria-label]="aria.removeCriterion(ci + 1)">Remove</button>
              </div>
              <mat-form-field appearance="outline" class="full-width"><mat-label i18n>What it measures</mat-label><input matInput [name]="'cd' + ci" [(ngModel)]="c.description" maxlength="5000" /></mat-form-field>
              <div class="levels">
                @for (l of c.levels; track $index; let li = $index) {
                  <mat-form-field appearance="outline"><mat-label i18n>Level {{ l.score }}</mat-label><input matInput [name]="'cl' + ci + '-' + li" [(ngModel)]="l.descriptor" maxlength="1000" /></mat-form-field>
                }
              </div>
            </fieldset>
          }
          <p i18n class="muted">Weighted total if every criterion scored its top level: {{ sampleTop() }} on a scale of 1–5.</p>
          <div class="row">
            <button i18n mat-stroked-button type="button" (click)="r.criteria.push(newCriterion())" [disabled]="r.criteria.length >= 20">Add criterion</button>
            <span class="spacer"></span>
            <button i18n mat-button type="button" (click)="editing.set(null)">Cancel</button>
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Save rubric</button>
          </div>
        </form>
      }
      <form class="row" (ngSubmit)="list.search()">
        <mat-form-field appearance="outline"><mat-label i18n>Search rubrics</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <button i18n mat-stroked-button type="submit">Search</button>
      </form>
      <div class="card">
        @if (list.error(); as e) { <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p> }
        @if (list.page(); as p) {
          @if (p.total === 0) { <p class="empty">@if (q) {<ng-container i18n>No rubric matches.</ng-container>} @else {<ng-container i18n>No rubrics yet. Create one to score answers consistently.</ng-container>}</p> }
          <table class="data" rhStacked>
            <thead><tr><th i18n scope="col">Title</th><th i18n scope="col">Criteria</th><th i18n scope="col">Used by</th><th scope="col"><span i18n class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              @for (r of p.items; track r.id) {
                <tr [class.muted]="r.archived">
                  <td>{{ r.title }}@if (r.archived) { <ng-container i18n>(archived)</ng-container> }</td><td>{{ r.criteria.length }}</td><td i18n>{r.usedBy, plural, =1 {1 course version} other {{{ r.usedBy }} course versions}}</td>
                  <td><button i18n mat-button type="button" (click)="edit(r)">Edit</button><button mat-button type="button" (click)="archive(r)">@if (r.archived) {<ng-container i18n>Restore</ng-container>} @else {<ng-container i18n>Archive</ng-container>}</button></td>
                </tr>
              }
            </tbody>
          </table>
          <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[10, 25, 50]" (page)="list.paged($event)" aria-label="Pages of rubrics" />
        } @else { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading rubrics" /> }
      </div>
    </section>
  `,
  styles: `.criterion { border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; } .levels { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; } .grow { flex: 1; }`,
})
export class RubricsPage implements OnInit {
  protected readonly aria = ARIA;
  private readonly api = inject(AuthoringApi);
  protected q = '';
  protected readonly list = new PagedList<Rubric>((page, pageSize) =>
    this.api.rubrics({ q: this.q.trim(), page, pageSize }),
  );
  protected readonly editing = signal<Editing | null>(null);
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly newCriterion = newCriterion;
  protected readonly sampleTop = computed(() => {
    const r = this.editing();
    if (!r) return '';
    const top = Object.fromEntries(r.criteria.map((c) => [c.id, Math.max(...c.levels.map((l) => l.score))]));
    return String(weightedScore(r.criteria, top) ?? '–');
  });

  ngOnInit(): Promise<void> {
    return this.list.load();
  }

  edit(r: Rubric | null): void {
    this.problem.set(null);
    this.editing.set(
      r
        ? {
            id: r.id,
            revision: r.revision,
            title: r.title,
            description: r.description,
            criteria: JSON.parse(JSON.stringify(r.criteria)) as RubricCriterion[],
          }
        : { id: null, revision: 0, title: '', description: '', criteria: [newCriterion()] },
    );
  }

  removeCriterion(i: number): void {
    this.editing()?.criteria.splice(i, 1);
    this.editing.set({ ...(this.editing() as Editing) });
  }

  async save(): Promise<void> {
    const r = this.editing();
    if (!r) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      const body = {
        title: r.title,
        description: r.description,
        criteria: r.criteria.map((c) => ({ ...c, weight: Number(c.weight) })),
      };
      await firstValueFrom(r.id ? this.api.updateRubric(r.id, r.revision, body) : this.api.createRubric(body));
      this.editing.set(null);
      await this.list.load();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  async archive(r: Rubric): Promise<void> {
    try {
      await firstValueFrom(this.api.setRubricArchived(r.id, !r.archived));
      await this.list.load();
    } catch (e) {
      this.problem.set(toProblem(e));
    }
  }
}
