// Scopes as the console writes them in links ("executive:exec-p", "account:a", "segment:mid", "tenant")
// and as the API wants them (MetricScopeInput).

export function scopeInput(text) {
  const [kind, ...rest] = (text ?? '').split(':');
  const id = rest.join(':');
  switch (kind) {
    case 'executive': return { executive: id };
    case 'account': return { account: id };
    case 'segment': return { segment: id };
    case 'tenant': return { tenant: true };
    default: throw new Error(`Unknown scope "${text}": write executive:ID, account:ID, segment:NAME or tenant.`);
  }
}

/** The last n months ending at a period ('2025-Q1' or '2025-03'), as { from, to } months. */
export function monthsEnding(period, n = 12) {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period ?? '');
  const month = /^(\d{4})-(\d{2})$/.exec(period ?? '');
  let year, m;
  if (quarter) { year = Number(quarter[1]); m = Number(quarter[2]) * 3; } else if (month) { year = Number(month[1]); m = Number(month[2]); } else return null;
  const end = year * 12 + (m - 1);
  const start = end - (n - 1);
  const text = k => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  return { from: text(start), to: text(end) };
}

/** The period before ('2025-Q1' → '2024-Q4', '2025-01' → '2024-12'), or null when not a month or quarter. */
export function previousPeriod(period) {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period ?? '');
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  }
  const month = /^(\d{4})-(\d{2})$/.exec(period ?? '');
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  }
  return null;
}
