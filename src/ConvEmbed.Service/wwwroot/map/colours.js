// @ts-check
/* The points' colours: by artist or by first tag (#color-by). */

import { el } from "./page.js";
import { state } from "./state.js";
import { refreshSwatches } from "./tracklist.js";

/** @typedef {import("./state.js").ColorMode} ColorMode */
/** @typedef {import("./state.js").MapPoint} MapPoint */

/** @type {Record<ColorMode, (point: MapPoint) => string>} */
export const colorKeys = {
    artist: p => p.artist || "",
    tag: p => (p.tags.length ? p.tags[0] : ""),
};

/** @param {string} mode "artist" or "tag" */
export function colorBy(mode) {
    if (mode !== "artist" && mode !== "tag") throw new RangeError(`colorBy takes "artist" or "tag", not "${mode}"`);
    state.colorMode = mode;
    el.colorBy.value = mode;
    state.scatter.setColorKey(colorKeys[mode]);
    state.scatter.redraw();
    refreshSwatches();
}
