import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundTask, get } from '../index';
import { log } from './log';

export const auditLogPath =
  process.env.AUDIT_LOG ?? join(tmpdir(), 'express-background-tasks-audit.log');

function writeAuditLine(path: string): void {
  appendFileSync(path, `${new Date().toISOString()} GET /log\n`);
  log(`appended to ${path}`);
}

/** A sync task: it may block, but only after the response has gone. */
export const auditLog = get(
  '/log',
  new BackgroundTask(writeAuditLine, auditLogPath),
  () => ({ message: 'logged' }),
);
