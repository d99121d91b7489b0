import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { issueCsrfToken } from './sessions.service';

/** The XSRF-TOKEN cookies a response sets. */
const xsrfCookies = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).filter((c) => c.startsWith('XSRF-TOKEN='));

describe('the CSRF token cookie', () => {
  const app = express();
  app.use(session({ secret: 'a test secret of enough length, 32+', resave: false, saveUninitialized: false }));
  const config = { secureCookies: false };
  // a new session's token, as a sign-in or the start of an impersonation issues it
  app.post('/kept', (req, res) => {
    const token = issueCsrfToken(req, res, config);
    res.json({ token });
  });
  // the new session lost again before the answer (the other of two starts at once ended it: 401)
  app.post('/lost', (req, res) => {
    issueCsrfToken(req, res, config);
    req.session.destroy(() => res.status(401).json({ code: 'unauthenticated' }));
  });
  // issued twice in one request (a session made again): the browser gets the one the session holds
  app.post('/twice', (req, res) => {
    issueCsrfToken(req, res, config);
    const token = issueCsrfToken(req, res, config);
    res.json({ token });
  });

  it('goes with the answer when the session keeps the token', async () => {
    const res = await request(app).post('/kept');
    expect(xsrfCookies(res)).toEqual([`XSRF-TOKEN=${res.body.token}; Path=/; SameSite=Strict`]);
  });

  it('does not go with an answer whose session was lost after the token was issued', async () => {
    const res = await request(app).post('/lost');
    expect(res.status).toBe(401);
    expect(xsrfCookies(res)).toEqual([]);
  });

  it('is sent once, the last issued, when a request issues it twice', async () => {
    const res = await request(app).post('/twice');
    expect(xsrfCookies(res)).toEqual([`XSRF-TOKEN=${res.body.token}; Path=/; SameSite=Strict`]);
  });
});
