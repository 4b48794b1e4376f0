/**
 * Proleptic Gregorian calendar arithmetic shared by the temporal types and the date functions.
 * Year 0 exists (1 BCE), as in XML Schema 1.1 and XPath 2.0.
 */

/** Days since 1970-01-01 of a civil date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_DAYS[month - 1] ?? 31;
}

/** Floor division and modulo for bigint (BigInt `/` truncates toward zero). */
export function floorDivMod(a: bigint, b: bigint): [bigint, bigint] {
  let q = a / b;
  let r = a % b;
  if (r !== 0n && (r < 0n) !== (b < 0n)) {
    q -= 1n;
    r += b;
  }
  return [q, r];
}

/** Powers of ten as bigint, cached: fractional-second arithmetic scales by them. */
const POW10: bigint[] = [1n];
export function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push((POW10[i - 1] as bigint) * 10n);
  return POW10[n] as bigint;
}

/** A fraction digit string ('' or digits, no trailing zeros) scaled to `scale` digits. */
export function fractionUnits(fraction: string, scale: number): bigint {
  if (fraction === '') return 0n;
  return BigInt(fraction.padEnd(scale, '0'));
}

/** Units of 10^-scale back to a normalised fraction digit string. */
export function unitsToFraction(units: bigint, scale: number): string {
  if (units === 0n || scale === 0) return '';
  return units.toString().padStart(scale, '0').replace(/0+$/, '');
}

/** Normalises a parsed fraction: strip trailing zeros. */
export function normFraction(digits: string | undefined): string {
  return digits === undefined ? '' : digits.replace(/0+$/, '');
}

/** Lexicographic order of normalised fraction strings equals numeric order. */
export function compareFractions(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** `Z` for zero, else ±hh:mm. */
export function formatTimezone(tz: number | undefined): string {
  if (tz === undefined) return '';
  if (tz === 0) return 'Z';
  const abs = Math.abs(tz);
  return `${tz < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatYear(year: number): string {
  const abs = Math.abs(year);
  return `${year < 0 ? '-' : ''}${abs < 1000 ? String(abs).padStart(4, '0') : String(abs)}`;
}
