import { setTimeout as delay } from 'node:timers/promises';
import { post } from '../index';
import { log } from './log';

async function chargeCard(orderId: string, cents: number): Promise<void> {
  await delay(10); // stands in for the payment provider
  log(`charged ${cents} cents for order ${orderId}`);
}

function sendReceipt(orderId: string, email: string): void {
  log(`receipt for order ${orderId} sent to ${email}`);
}

/** The handler decides at run time which tasks the request gets. */
export const placeOrder = post('/orders/:id', (req, ctx) => {
  const cents = Number(req.body?.cents ?? 0);
  ctx.background.addTask(chargeCard, req.params.id, cents);
  const email: unknown = req.body?.email;
  if (typeof email === 'string') {
    ctx.background.addTask(sendReceipt, req.params.id, email);
  }
  return { order: req.params.id, cents };
});
