// @ts-check
/* Numbers, durations and times as the page writes them. */

/**
 * Number.isFinite, as a type guard.
 * @param {unknown} v
 * @returns {v is number}
 */
export const isFiniteNumber = v => Number.isFinite(v);

/**
 * @param {number} n
 * @param {string} one
 * @param {string} many
 */
export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** @param {number} seconds */
export function formatDuration(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return "–";
    const s = Math.round(seconds);
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** @param {string | null | undefined} iso */
export function formatTime(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Four significant digits without trailing zeros; exponent form for very large or small values.
 * @param {number} v
 */
export function formatNumber(v) {
    if (!Number.isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
}

/** @param {number} v */
export const formatSimilarity = v => (Number.isFinite(v) ? v.toFixed(3) : "–");
