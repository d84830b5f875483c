import express from 'express';
import { routes } from '../index';
import { auditLog } from './audit-log';
import { sendNotification } from './notification';
import { placeOrder } from './orders';
import { register } from './register';
import { submit } from './submit';

/** The five samples in one app. */
export function createSampleApp(): express.Express {
  const app = express();
  app.use(express.json());
  app.use(routes(sendNotification, submit, register, auditLog, placeOrder));
  return app;
}
