import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';
import { languageInterceptor } from './language.interceptor';

describe('the language interceptor', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(withInterceptors([languageInterceptor])),
        provideHttpClientTesting(),
      ],
    });
  });

  it('asks the API to answer in the page’s language', async () => {
    const http = TestBed.inject(HttpClient);
    const ctl = TestBed.inject(HttpTestingController);
    const done = firstValueFrom(http.get('/api/home'));
    const req = ctl.expectOne('/api/home');
    expect(req.request.headers.get('Accept-Language')).toBe('en');
    req.flush({});
    await done;
    // other addresses (assets) are left alone
    const asset = firstValueFrom(http.get('/assets/x.json'));
    const other = ctl.expectOne('/assets/x.json');
    expect(other.request.headers.has('Accept-Language')).toBe(false);
    other.flush({});
    await asset;
    ctl.verify();
  });
});
