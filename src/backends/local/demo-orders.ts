/**
 * The demo store's order table. It is fictional and fixed, so the `lookup_order` tool gives the
 * same answer every time; only the delivery dates move with today's date so they never look stale.
 */

export interface OrderInfo {
  order_id: string;
  status: 'processing' | 'shipped' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'cancelled';
  items: string[];
  carrier: string | null;
  tracking_number: string | null;
  /** Estimated (or actual, once delivered) delivery date, `YYYY-MM-DD`. */
  eta: string | null;
}

interface OrderRow extends Omit<OrderInfo, 'eta'> {
  /** Days from today to the delivery date (negative: delivered in the past). */
  etaDays: number | null;
}

const ORDERS: readonly OrderRow[] = [
  { order_id: 'A-1001', status: 'in_transit', items: ['Acme Notes Paper Tablet (10.3")'], carrier: 'UPS', tracking_number: '1Z999AA10123456784', etaDays: 2 },
  { order_id: 'A-1002', status: 'delivered', items: ['Acme Stylus Pro', 'Replacement nibs (5 pack)'], carrier: 'USPS', tracking_number: '9400100000000000000000', etaDays: -3 },
  { order_id: 'A-1003', status: 'processing', items: ['Dotted notebook, A5 (3 pack)'], carrier: null, tracking_number: null, etaDays: 6 },
  { order_id: 'A-1004', status: 'cancelled', items: ['Acme Folio Case'], carrier: null, tracking_number: null, etaDays: null },
  {
    order_id: '12345',
    status: 'out_for_delivery',
    items: ['Acme Notes Paper Tablet (7.8")', 'Acme Folio Case'],
    carrier: 'DHL Express',
    tracking_number: 'JD014600006281234567',
    etaDays: 0,
  },
  { order_id: '10042', status: 'shipped', items: ['Acme Stylus Pro'], carrier: 'FedEx', tracking_number: '794612345678', etaDays: 4 },
];

/** Normalises what a visitor types ("#a1001", "A-1001") to the table's form. */
export function normalizeOrderId(raw: string): string {
  const id = raw.replace(/^#/, '').toUpperCase();
  const m = /^([A-Z]{1,3})-?(\d+)$/.exec(id);
  return m ? `${m[1]}-${m[2]}` : id;
}

function isoDate(daysFromNow: number, now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysFromNow));
  return d.toISOString().slice(0, 10);
}

/** The order, or `null` when the demo table has no such order. */
export function lookupOrder(orderId: string, now = new Date()): OrderInfo | null {
  const row = ORDERS.find((o) => o.order_id === normalizeOrderId(orderId));
  if (!row) return null;
  const { etaDays, ...rest } = row;
  return { ...rest, items: [...rest.items], eta: etaDays === null ? null : isoDate(etaDays, now) };
}

/** Every order id in the demo table (for docs and tests). */
export const DEMO_ORDER_IDS: readonly string[] = ORDERS.map((o) => o.order_id);
