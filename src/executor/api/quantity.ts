/**
 * A Kubernetes resource quantity ("250m", "1.5Gi", "33000000n", "1e3") as an exact number of nano-units,
 * or undefined when the text is not a quantity. Fractions below a nano-unit round up, as Quantity does.
 */
export function parseQuantity(text: string): bigint | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(text);
  if (!m) return undefined;
  const [, sign = "", whole = "0", fraction = "", exponent, suffix = ""] = m;
  // value = digits × 10^(scale) × binaryFactor, kept as numerator/denominator to stay exact.
  let numerator = BigInt(whole + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  let decimalExp = exponent ? Number(exponent.slice(1)) : (DECIMAL[suffix] ?? 0);
  decimalExp += 9; // nano-units
  if (decimalExp >= 0) numerator *= 10n ** BigInt(decimalExp);
  else denominator *= 10n ** BigInt(-decimalExp);
  numerator *= BINARY[suffix] ?? 1n;
  const value = (numerator + denominator - 1n) / denominator;
  return sign === "-" ? -value : value;
}

const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Readonly<Record<string, bigint>> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };

/** Quantity.MilliValue(): thousandths, rounded up. */
export function milliValue(nanos: bigint): bigint {
  return ceilDiv(nanos, 1_000_000n);
}

/** Quantity.Value(): whole units, rounded up. */
export function unitValue(nanos: bigint): bigint {
  return ceilDiv(nanos, 1_000_000_000n);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? (a + b - 1n) / b : a / b;
}
