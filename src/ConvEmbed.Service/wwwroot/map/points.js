// @ts-check
/*
 * The map itself: GET /map/points, drawn, asked again while the layout is computed or the library is empty.
 * document.body.dataset.state is the state of the last answer ("error" when it failed).
 */

import { getMapPoints } from "./api.js";
import { formatTime, isFiniteNumber, plural } from "./format.js";
import { el, h } from "./page.js";
import { refreshSearch } from "./search.js";
import { restoreFromHash, select } from "./selection.js";
import { setMapPoints, state } from "./state.js";
import { clearError, setStatus, showError } from "./status.js";
import { refreshSwatches } from "./tracklist.js";

/** @typedef {import("./api.js").MapPointsResponse} MapPointsResponse */
/** @typedef {import("./api.js").MapTrackPoint} MapTrackPoint */

/**
 * A point as the page draws it (state.js's MapPoint): made once per point straight from the service's answer, its line
 * under the title only when shown.
 */
class TrackPoint {
    /**
     * @param {string} id
     * @param {number} x
     * @param {number} y
     * @param {string} title
     * @param {string | null} artist
     * @param {string[]} tags
     */
    constructor(id, x, y, title, artist, tags) {
        this.id = id;
        this.x = x;
        this.y = y;
        this.title = title || "(untitled)";
        this.artist = artist || null;
        this.tags = tags;
    }

    get subtitle() { return [this.artist || "unknown artist", this.tags.join(", ")].filter(Boolean).join(" · "); }
}

/**
 * @param {string} id
 * @param {number} x
 * @param {number} y
 * @param {string} title
 * @param {string | null} artist
 * @param {string[]} tags
 */
const makePoint = (id, x, y, title, artist, tags) =>
    new TrackPoint(id, x, y, title, artist, tags.length === 0 || tags.every(t => t !== "") ? tags : tags.filter(t => t !== ""));
/** @typedef {import("./state.js").MapPoint} MapPoint */

const POLL_COMPUTING_MS = 3000;   // while the map of the active model is being computed
const POLL_EMPTY_MS = 10000;      // while the library is empty, so that the first upload shows up
const POLL_ERROR_MS = 10000;      // after a failed /map/points

/** Loads the map now (once more after a load under way), then again as long as its state asks for it. */
export async function loadPoints() {
    const map = state.map;
    if (map.loading) { map.again = true; return map.loading; }
    clearTimeout(map.timer);
    map.loading = (async () => {
        try {
            if (!map.loaded) performance.mark("convembed-map-requested");
            const body = await getMapPoints(makePoint);
            if (!map.loaded) performance.mark("convembed-map-received");   // answered and parsed
            clearError("map");
            return applyPoints(body || {});
        } catch (e) {
            showError("map", e, "Map");
            document.body.dataset.state = "error";
            if (!map.loaded) setStatus(`Retrying in ${POLL_ERROR_MS / 1000} s…`, false);
            return POLL_ERROR_MS;
        }
    })();
    const next = await map.loading;
    map.loading = null;
    if (map.again) { map.again = false; return loadPoints(); }
    if (next > 0) map.timer = setTimeout(loadPoints, next);
}

/**
 * Shows an answer of /map/points.
 * @param {Partial<MapPointsResponse>} body
 * @returns {number} in how many ms to ask again (0 = no need)
 */
function applyPoints(body) {
    const map = state.map;
    const mapState = typeof body.state === "string" ? body.state : "ready";
    const raw = Array.isArray(body.points) ? body.points : [];
    const computing = mapState === "computing" || mapState === "pending";
    const sameModel = map.loaded && body.modelId === map.modelId;
    const modelChanged = map.loaded && body.modelId !== map.modelId;
    const signature = `${body.modelId}|${body.computedAt}|${raw.length}|${mapState === "empty"}`;
    // While a layout is computed the answer may have no points: keep showing the last ones of the same model.
    const keepStale = computing && raw.length === 0 && sameModel;
    if (!keepStale && signature !== map.signature) {
        showPoints(raw, sameModel);
        map.signature = signature;
    }
    map.loaded = true;
    map.modelId = body.modelId ?? null;
    map.state = mapState;
    document.body.dataset.state = mapState;

    renderModel(body);
    renderMapStatus(body, mapState);
    renderMessage(mapState);

    // Neighbours come from the active model: ask again for the selected track when it changed.
    if (modelChanged && state.selection.id) select(state.selection.id, { play: false });

    if (!map.ready && (state.scatter.pointCount() > 0 || mapState === "ready" || mapState === "empty")) {
        map.ready = true;
        performance.mark("convembed-map-ready");   // the service benchmark reads the time to the first drawn map
        document.dispatchEvent(new CustomEvent("convembed:ready"));
        restoreFromHash();
    }
    return computing ? POLL_COMPUTING_MS : mapState === "empty" ? POLL_EMPTY_MS : 0;
}

/**
 * @param {MapPoint[]} points
 * @param {boolean} keepView   the same model's map: keep the user's zoom and pan
 */
function showPoints(points, keepView) {
    setMapPoints(points);
    state.scatter.setPoints(points, { keepView });   // highlights are kept by id
    if (!state.map.loaded) performance.mark("convembed-map-indexed");
    state.scatter.redraw();                          // now rather than in the next frame: `ready` means drawn
    if (!state.map.loaded) performance.mark("convembed-map-drawn");
    refreshSearch();
    refreshSwatches();
}

/** @param {Partial<MapPointsResponse>} body */
function renderModel(body) {
    if (body.modelId === null || body.modelId === undefined) { el.model.textContent = ""; return; }
    el.model.textContent = `Model ${body.modelId}${body.modelName ? ` · ${body.modelName}` : ""}`;
}

/**
 * @param {Partial<MapPointsResponse>} body
 * @param {string} mapState
 */
function renderMapStatus(body, mapState) {
    const drawn = state.scatter.pointCount();
    const tracks = isFiniteNumber(body.tracks) ? body.tracks : null;
    const placed = isFiniteNumber(body.placed) ? body.placed : drawn;
    const progress = tracks !== null ? `${placed} of ${plural(tracks, "track", "tracks")} placed` : plural(placed, "track", "tracks");
    const model = body.modelId !== null && body.modelId !== undefined ? `model ${body.modelId}` : "the active model";
    switch (mapState) {
        case "computing":
        case "pending":
            setStatus(`computing the map of ${model} … ${progress}${mapState === "pending" ? " (queued)" : ""}`, true);
            break;
        case "empty":
            setStatus("No tracks yet", false);
            break;
        case "ready": {
            let text = `${plural(drawn, "track", "tracks")} on the map`;
            if (tracks !== null && tracks > placed) text += ` (${tracks - placed} not placed yet)`;
            if (body.computedAt) text += ` · computed ${formatTime(body.computedAt)}`;
            setStatus(text, false);
            break;
        }
        default:
            setStatus(`Map state: ${mapState}`, false);
    }
}

/**
 * The message over the map when there is nothing to draw.
 * @param {string} mapState
 */
function renderMessage(mapState) {
    const drawn = state.scatter.pointCount();
    let content = null;
    if (mapState === "empty") {
        content = h("div", {},
            h("h2", {}, "No tracks yet"),
            h("p", {}, "Upload audio files to the service and they appear here once they are embedded:"),
            h("pre", {}, h("code", {}, `curl -F file=@song.mp3 ${location.origin}/tracks`)),
            h("p", { class: "muted" }, "This page checks for new tracks every few seconds."));
    } else if (drawn === 0 && (mapState === "computing" || mapState === "pending")) {
        content = h("div", {},
            h("h2", {}, "The map is being computed"),
            h("p", {}, "The tracks appear here as soon as the layout of the active model is ready."));
    } else if (drawn === 0) {
        content = h("div", {},
            h("h2", {}, "Nothing to show"),
            h("p", {}, "No track has a place on the map yet."));
    }
    el.message.hidden = !content;
    el.message.replaceChildren(...(content ? [content] : []));
}
