/**
 * Tokeniser for retrieval: lower-cases, splits on anything that is not a letter or digit, drops
 * stop words and applies a light suffix-stripping stemmer. The same function runs over articles and
 * questions, so the stemmer only has to be consistent, not linguistically perfect.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below ' +
    'between both but by can cannot could did do does doing don done down during each else even ever ' +
    'for from further get gets got had has have having he her here hers him his how i if im in into is ' +
    'it its itself ive just let lets like me might more most much must my myself need no nor not now ' +
    'of once only or other our ours out over own please same she should so some such than ' +
    'thank thanks that the their theirs them then there these they this those through to too under ' +
    'until up us very want was we were what when where which while who whom why will with would you ' +
    'your yours yourself hi hello hey there okay ok still really thing things way'
  ).split(' '),
);

/**
 * Spelling variants folded onto one term before stemming, so "log in", "login" and "sign-in"
 * or "2FA" and "two-factor" meet in the index.
 */
const SYNONYMS: Record<string, string> = {
  login: 'signin',
  logon: 'signin',
  logins: 'signin',
  signon: 'signin',
  logout: 'signout',
  logoff: 'signout',
  '2fa': 'twofactor',
  mfa: 'twofactor',
  totp: 'twofactor',
  authenticator: 'twofactor',
  pwd: 'password',
  passcode: 'password',
  pw: 'password',
  mail: 'email',
  cancel: 'cancel',
  cancellation: 'cancel',
  unsubscribe: 'cancel',
  subscription: 'plan',
  subscriptions: 'plan',
  tier: 'plan',
  tiers: 'plan',
  pricing: 'price',
  prices: 'price',
  cost: 'price',
  costs: 'price',
  receipt: 'invoice',
  receipts: 'invoice',
  money: 'refund',
  reimburse: 'refund',
  iphone: 'ios',
  ipad: 'ios',
  phone: 'mobile',
  smartphone: 'mobile',
  android: 'android',
  app: 'app',
  apps: 'app',
  erase: 'delete',
  remove: 'delete',
  close: 'delete',
  backup: 'export',
  download: 'export',
  token: 'key',
  tokens: 'key',
  collaborate: 'share',
  collaborator: 'share',
  collaborators: 'share',
  invite: 'share',
  offline: 'offline',
  sync: 'sync',
  synchronise: 'sync',
  synchronize: 'sync',
  syncing: 'sync',
  synced: 'sync',
};

/** Strips common English suffixes; collapses a doubled final consonant ("resetting" → "reset"). */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  let stripped = false;
  if (w.endsWith('ing') && w.length > 5) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && w.length > 4) {
    w = w.slice(0, -2);
    stripped = true;
  }
  if (stripped && /([bcdfgklmnprtvz])\1$/.test(w)) w = w.slice(0, -1);
  // A final silent "e" goes too, so "share"/"shared"/"sharing" and "invoice"/"invoices" agree.
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Words of a text, lower-cased, with stop words dropped and each word stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  // "two-factor" and "sign-in" become one word before splitting, so they match "2FA"/"signin".
  const joined = text
    .toLowerCase()
    .replace(/\btwo[-\s]?(factor|step)\b/g, 'twofactor')
    .replace(/\b(?:sign|log)(?:ging|ged|ing|ed|s)?[-\s]?(?:in|on)(?:to)?\b/g, 'signin')
    .replace(/\b(?:sign|log)(?:ging|ged|ing|ed|s)?[-\s]?(?:out|off)\b/g, 'signout');
  for (const match of joined.matchAll(/[\p{L}\p{N}]+/gu)) {
    const raw = match[0];
    if (STOP_WORDS.has(raw)) continue;
    const folded = SYNONYMS[raw] ?? raw;
    if (folded.length < 2 && !/\d/.test(folded)) continue;
    out.push(stem(folded));
  }
  return out;
}
