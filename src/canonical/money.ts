/** Money as integer minor units plus an ISO 4217 currency: never floats in the canonical model. */
export interface Money {
  amount: number;
  currency: string;
}

/** Number of minor-unit digits of a currency (USD 2, JPY 0, BHD 3), from the ICU data in Node. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A major-unit decimal (as platforms send it) to integer minor units, rounded half away from zero. */
export function toMinor(major: number, currency: string): number {
  const factor = 10 ** minorDigits(currency);
  return Math.sign(major) * Math.round(Math.abs(major) * factor + Number.EPSILON);
}

/** Integer minor units back to the major-unit number a platform's JSON expects. */
export function toMajor(minor: number, currency: string): number {
  const digits = minorDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}
