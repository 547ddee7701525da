// @ts-check
/*
 * The selected track: highlighted on the map, its details in #selected, played, and its nearest neighbours by the
 * active model listed in #neighbours. #track=<id> in the address keeps the selection across reloads and can be shared.
 */

import { ApiError, getSimilarTracks } from "./api.js";
import { formatSimilarity } from "./format.js";
import { el, fill, h, mapView } from "./page.js";
import { playTrack } from "./player.js";
import { showPassages } from "./passages.js";
import { offerRadio } from "./radio.js";
import { beginSelection, isCurrentSelection, state } from "./state.js";
import { clearError, showError } from "./status.js";
import { trackRow } from "./tracklist.js";

/** @typedef {import("./api.js").Neighbour} Neighbour */
/** @typedef {import("./state.js").MapPoint} MapPoint */
/** @typedef {{title: string, artist: string | null}} TrackInfo */

const NEIGHBOURS = 10;
const FOCUS_ZOOM = 4;   // a track picked from a list is shown at ≥ 4× the fitted scale

/**
 * Selects a track: highlights it, shows its details, plays it (unless play: false) and lists its neighbours.
 * focus: true centres and zooms the map on it; otherwise the map pans only when the point is out of view.
 * info: {title, artist} to show when the track is not on the map. Resolves once the neighbours are listed.
 * @param {string | number | null | undefined} id
 * @param {{play?: boolean, focus?: boolean, info?: TrackInfo | null}} [options]
 */
export async function select(id, options) {
    if (id === null || id === undefined || id === "") return;
    const { play = true, focus = false, info = null } = options || {};
    const trackId = String(id);
    const seq = beginSelection(trackId);
    const point = state.map.byId.get(trackId) || null;
    const known = info || state.selection.neighbourInfo.get(trackId) || null;   // for a track that is not on the map

    const scatter = state.scatter;
    scatter.highlight([], trackId);
    if (focus) scatter.focus(trackId, { zoom: FOCUS_ZOOM });
    else scatter.focus(trackId, { onlyIfHidden: true });
    renderSelected(trackId, point, known);
    offerRadio();
    mapView.markCurrent(trackId);
    updateHash(trackId);
    if (play) playTrack(trackId, point ? point.title : known && known.title);
    showPassages(trackId, (point ? point.title : known && known.title) || trackId, seq);   // beside the neighbours, not awaited

    el.neighbours.replaceChildren();
    el.neighbours.setAttribute("aria-busy", "true");
    el.neighboursInfo.textContent = "Looking for the most similar tracks…";
    try {
        const body = await getSimilarTracks(trackId, NEIGHBOURS);
        if (!isCurrentSelection(seq)) return;   // another track was selected meanwhile
        clearError("similar");
        const items = body && Array.isArray(body.items) ? body.items.filter(i => i && i.id !== undefined && i.id !== null) : [];
        renderNeighbours(items, body ? body.modelId : undefined);
        scatter.highlight(items.map(i => String(i.id)), trackId);
    } catch (e) {
        if (!isCurrentSelection(seq)) return;
        showError("similar", e, "Similar tracks");
        el.neighboursInfo.textContent = `The similar tracks could not be listed: ${e instanceof ApiError ? e.title : "unexpected error"}`;
    } finally {
        if (isCurrentSelection(seq)) el.neighbours.removeAttribute("aria-busy");
    }
}

/**
 * @param {string} id
 * @param {MapPoint | null} point
 * @param {TrackInfo | null} info
 */
function renderSelected(id, point, info) {
    const title = point ? point.title : (info && info.title) || id;
    const artist = point ? point.artist : info && info.artist;
    const tags = point ? point.tags : [];
    fill(el.selected,
        h("p", { class: "selected-title" }, title),
        h("p", { class: "selected-artist" }, artist || "Unknown artist"),
        tags.length
            ? h("ul", { class: "tags", "aria-label": "Tags" }, tags.map(t => h("li", { class: "tag" }, t)))
            : point ? h("p", { class: "selected-note" }, "No tags") : null,
        point ? null : h("p", { class: "selected-note" }, "This track has no place on the current map."));
}

/**
 * @param {Neighbour[]} items
 * @param {number | undefined} modelId   the model that measured the similarity
 */
function renderNeighbours(items, modelId) {
    state.selection.neighbourInfo = new Map(items.map(i => [String(i.id), { title: i.title, artist: i.artist }]));
    el.neighbours.replaceChildren(...items.map(i => {
        const id = String(i.id);
        return trackRow(id, i.title || id, i.artist,
            h("span", { class: "track-score", title: "cosine similarity" }, formatSimilarity(i.similarity)));
    }));
    const shown = state.map.modelId;
    let note = "";
    if (items.length === 0) note = "No other track to compare with yet.";
    else if (modelId !== undefined && modelId !== null && shown !== null && modelId !== shown)
        note = `Similarity by model ${modelId}; the map shows model ${shown}.`;
    el.neighboursInfo.textContent = note;
}

/** @param {string} id */
function updateHash(id) {
    try { history.replaceState(null, "", `#track=${encodeURIComponent(id)}`); } catch (e) { /* e.g. sandboxed */ }
}

/** Selects the track of #track=<id>, once the map is drawn, if it is on the map. */
export function restoreFromHash() {
    const m = /^#track=([^&]+)$/.exec(location.hash);
    if (!m) return;
    let id;
    try { id = decodeURIComponent(m[1]); } catch (e) { return; }
    if (state.map.byId.has(id)) select(id, { play: false, focus: true });
}

/** A click on a listed track selects it; one from the search results also brings it into view. */
export function initSelection() {
    const pick = (/** @type {string} */ id, /** @type {boolean} */ focus) =>
        select(id, { focus, info: state.selection.neighbourInfo.get(id) || null });
    mapView.onRowClick(el.neighbours, id => pick(id, false));
    mapView.onRowClick(el.results, id => pick(id, true));
}
