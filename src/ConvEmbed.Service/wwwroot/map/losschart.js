// @ts-check
/* The training job's loss curve on a canvas: a line over the steps, the extreme values written on the axes. */

import { formatNumber } from "./format.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {[number, number][]} points   [step, loss] pairs
 * @param {boolean} hasJob              says "No loss values yet" rather than "No training job yet" when there are none
 */
export function drawLoss(canvas, points, hasJob) {
    const w = canvas.clientWidth, hgt = canvas.clientHeight;
    if (!w || !hgt) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
    if (canvas.height !== Math.round(hgt * dpr)) canvas.height = Math.round(hgt * dpr);
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#5b636d";
    if (!points.length) {
        const text = hasJob ? "No loss values yet" : "No training job yet";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(text, w / 2, hgt / 2);
        canvas.setAttribute("aria-label", `Loss curve: ${text.toLowerCase()}`);
        return;
    }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const [s, v] of points) {
        if (s < x0) x0 = s; if (s > x1) x1 = s;
        if (v < y0) y0 = v; if (v > y1) y1 = v;
    }
    const top = formatNumber(y1), bottom = formatNumber(y0);
    const L = Math.ceil(Math.max(ctx.measureText(top).width, ctx.measureText(bottom).width)) + 10, R = 8, T = 8, B = 18;
    const pw = Math.max(1, w - L - R), ph = Math.max(1, hgt - T - B);
    /** @type {(s: number) => number} */
    const sx = x1 > x0 ? s => L + ((s - x0) / (x1 - x0)) * pw : () => L + pw / 2;
    /** @type {(v: number) => number} */
    const sy = y1 > y0 ? v => T + ((y1 - v) / (y1 - y0)) * ph : () => T + ph / 2;

    ctx.strokeStyle = "#c4cad1";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(L + 0.5, T);
    ctx.lineTo(L + 0.5, T + ph + 0.5);
    ctx.lineTo(L + pw, T + ph + 0.5);
    ctx.stroke();

    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(top, L - 5, T - 2);
    ctx.textBaseline = "bottom";
    ctx.fillText(bottom, L - 5, T + ph + 2);
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(`step ${x0}`, L, T + ph + 4);
    if (x1 > x0) { ctx.textAlign = "right"; ctx.fillText(`${x1}`, L + pw, T + ph + 4); }

    ctx.strokeStyle = "#1c5fd1";
    ctx.fillStyle = "#1c5fd1";
    ctx.lineWidth = 1.5;
    ctx.lineJoin = "round";
    if (points.length === 1) {
        ctx.beginPath();
        ctx.arc(sx(points[0][0]), sy(points[0][1]), 2.5, 0, 2 * Math.PI);
        ctx.fill();
    } else {
        ctx.beginPath();
        points.forEach(([s, v], i) => (i ? ctx.lineTo(sx(s), sy(v)) : ctx.moveTo(sx(s), sy(v))));
        ctx.stroke();
    }
    const last = points[points.length - 1];
    canvas.setAttribute("aria-label",
        `Loss curve over steps ${x0} to ${x1}: from ${formatNumber(points[0][1])} to ${formatNumber(last[1])}, lowest ${bottom}, highest ${top}`);
}
