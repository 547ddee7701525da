// @ts-check
/*
 * The selected track's passages (#passages): a strip of bars, one per passage, taller where the music changes; a click
 * on a bar plays the track from that moment and lists the stretches elsewhere in the library (and repeats in the
 * track itself) that sound like it, each playable from its start.
 */

import { ApiError, audioUrl, getPassageStrip, getSimilarPassages } from "./api.js";
import { formatSimilarity } from "./format.js";
import { el, h } from "./page.js";
import { playTrack } from "./player.js";
import { isCurrentSelection } from "./state.js";
import { clearError, showError } from "./status.js";

const MATCHES = 8;

/** @param {number} seconds */
export const clock = seconds => `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, "0")}`;

/**
 * Shows the strip of a newly selected track (hidden when passages are off or not computed yet).
 * @param {string} id
 * @param {string} title
 * @param {number} seq   the selection this belongs to
 */
export async function showPassages(id, title, seq) {
    el.passages.hidden = true;
    el.strip.replaceChildren();
    el.passageMatches.replaceChildren();
    el.passagesInfo.textContent = "";
    let strip;
    try {
        strip = await getPassageStrip(id);
    } catch (e) {
        if (!isCurrentSelection(seq)) return;
        // 409: passages are turned off or not computed yet for this track — nothing to show, not an error.
        if (!(e instanceof ApiError && e.status === 409)) showError("passages", e, "Passages");
        return;
    }
    if (!isCurrentSelection(seq) || !strip || !Array.isArray(strip.passages) || strip.passages.length === 0) return;
    clearError("passages");
    const passages = strip.passages;
    const most = Math.max(0.05, ...passages.map(p => p.change || 0));
    el.strip.replaceChildren(...passages.map(p => h("button", {
        type: "button",
        class: "strip-bar",
        title: `${clock(p.start)}–${clock(p.end)}`,
        "aria-label": `Passage at ${clock(p.start)}`,
        dataset: { start: String(p.start), end: String(p.end) },
        style: { height: `${Math.round(25 + 75 * Math.min(1, (p.change || 0) / most))}%` },
    })));
    el.passagesInfo.textContent = "Click a moment to play it and find where else the library sounds like it.";
    el.passages.hidden = false;
    el.strip.onclick = event => {
        const bar = event.target instanceof Element ? event.target.closest(".strip-bar") : null;
        if (!(bar instanceof HTMLElement)) return;
        for (const b of el.strip.querySelectorAll(".strip-bar[aria-pressed]")) b.removeAttribute("aria-pressed");
        bar.setAttribute("aria-pressed", "true");
        const start = Number(bar.dataset.start), end = Number(bar.dataset.end);
        playTrack(id, title, `${audioUrl(id)}#t=${start}`);
        listMatches(id, start, end, seq);
    };
}

/**
 * @param {string} id
 * @param {number} start
 * @param {number} end
 * @param {number} seq
 */
async function listMatches(id, start, end, seq) {
    el.passageMatches.replaceChildren();
    el.passageMatches.setAttribute("aria-busy", "true");
    el.passagesInfo.textContent = `Looking for what sounds like ${clock(start)}–${clock(end)}…`;
    try {
        const body = await getSimilarPassages(id, start, end, MATCHES);
        if (!isCurrentSelection(seq)) return;
        clearError("passages");
        const items = body && Array.isArray(body.items) ? body.items : [];
        el.passageMatches.replaceChildren(...items.map(i => h("li", { dataset: { trackId: i.trackId, start: String(i.start) } },
            h("button", { type: "button", title: `Play from ${clock(i.start)}` },
                h("span", { class: "track-title" }, i.title || i.trackId),
                h("span", { class: "track-artist" }, `${i.trackId === id ? "this track" : i.artist || "unknown artist"} · ${clock(i.start)}–${clock(i.end)}`),
                h("span", { class: "track-score", title: "mean cosine similarity of the passages in a row" }, formatSimilarity(i.similarity))))));
        el.passageMatches.onclick = event => {
            const li = event.target instanceof Element ? event.target.closest("li[data-track-id]") : null;
            if (!(li instanceof HTMLElement)) return;
            const hit = items.find(i => i.trackId === li.dataset.trackId && String(i.start) === li.dataset.start);
            if (hit) playTrack(hit.trackId, hit.title, hit.audioUrl);
        };
        el.passagesInfo.textContent = items.length === 0
            ? "Nothing else in the library sounds like this moment yet."
            : `Sounds like ${clock(start)}–${clock(end)}: click one to play it from there.`;
    } catch (e) {
        if (!isCurrentSelection(seq)) return;
        showError("passages", e, "Similar passages");
        el.passagesInfo.textContent = `Similar passages could not be listed: ${e instanceof ApiError ? e.title : "unexpected error"}`;
    } finally {
        if (isCurrentSelection(seq)) el.passageMatches.removeAttribute("aria-busy");
    }
}
