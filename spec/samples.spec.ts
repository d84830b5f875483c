import { existsSync, readFileSync, rmSync } from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { drain } from '../index';
import { createSampleApp } from '../samples/app';
import { auditLogPath } from '../samples/audit-log';
import { uploadPath } from '../samples/submit';
import { recordTaskErrors } from './support/app';

/** Captures the lines the sample tasks log. */
function captureTaskLog(): string[] {
  const lines: string[] = [];
  const original = console.log;
  beforeEach(() => {
    lines.length = 0;
    console.log = (line: unknown) => lines.push(String(line));
  });
  afterEach(() => {
    console.log = original;
  });
  return lines;
}

describe('samples', () => {
  const reported = recordTaskErrors();
  const lines = captureTaskLog();
  const app = createSampleApp();

  afterEach(() => expect(reported).to.deep.equal([]));

  describe('GET /send-notification', () => {
    it('answers, then notifies the user', async () => {
      const res = await request(app).get('/send-notification').expect(200);
      expect(res.body).to.deep.equal({ message: 'Scheduled' });
      await drain();
      expect(lines).to.deep.equal(['[task] notified user@example.com']);
    });
  });

  describe('POST /submit', () => {
    it('removes the upload, then logs the event, in that order', async () => {
      const res = await request(app).post('/submit').send({ a: 1 });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.equal({ status: 'submitted' });
      await drain();
      expect(lines).to.deep.equal([
        `[task] removed ${uploadPath}`,
        '[task] event 42',
      ]);
      expect(existsSync(uploadPath)).to.equal(false);
    });
  });

  describe('POST /register', () => {
    it('answers with the email, then emails and logs', async () => {
      const res = await request(app)
        .post('/register')
        .send({ email: 'ada@example.com' })
        .expect(201);
      expect(res.body).to.deep.equal({ registered: 'ada@example.com' });
      await drain();
      expect(lines).to.deep.equal([
        '[task] email sent to ada@example.com',
        '[task] event user_registered',
      ]);
    });

    it('answers 400 without an email and runs nothing', async () => {
      await request(app).post('/register').send({}).expect(400);
      await drain();
      expect(lines).to.deep.equal([]);
    });
  });

  describe('GET /log', () => {
    beforeEach(() => rmSync(auditLogPath, { force: true }));

    it('appends one line to the audit log per request', async () => {
      await request(app).get('/log').expect(200);
      await request(app).get('/log').expect(200);
      await drain();
      const written = readFileSync(auditLogPath, 'utf8').trim().split('\n');
      expect(written).to.have.length(2);
      expect(written[0]).to.match(/ GET \/log$/);
    });
  });

  describe('POST /orders/:id', () => {
    it('runs the tasks the handler added', async () => {
      await request(app)
        .post('/orders/17')
        .send({ cents: 500, email: 'ada@example.com' })
        .expect(201, { order: '17', cents: 500 });
      await drain();
      expect(lines).to.deep.equal([
        '[task] charged 500 cents for order 17',
        '[task] receipt for order 17 sent to ada@example.com',
      ]);
    });

    it('adds only the charge when there is no email', async () => {
      await request(app).post('/orders/18').send({ cents: 1 }).expect(201);
      await drain();
      expect(lines).to.deep.equal(['[task] charged 1 cents for order 18']);
    });
  });
});
