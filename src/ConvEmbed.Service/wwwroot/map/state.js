// @ts-check
/*
 * The page's one state object: the map shown, the selection, the status line, the training and library panels and the
 * radio. Modules read it freely and change only their own part (points.js state.map, selection.js and player.js
 * state.selection, status.js state.status, training.js state.training, library.js state.library, radio.js state.radio);
 * what several of them change goes through the small functions below.
 */

/** @typedef {import("./api.js").ApiError} ApiError */
/** @typedef {import("./api.js").MapState} MapState */
/** @typedef {import("./api.js").RadioItem} RadioItem */
/** @typedef {import("./page.js").Scatter} Scatter */

/**
 * A track as the page draws it: a point of GET /map/points, cleaned, with the line under its title.
 * @typedef {object} MapPoint
 * @property {string} id
 * @property {number} x
 * @property {number} y
 * @property {string} title
 * @property {string | null} artist
 * @property {string[]} tags
 * @property {string} subtitle
 */

/** @typedef {"artist" | "tag"} ColorMode */

/**
 * @typedef {object} MapView
 * @property {boolean} ready          the first map is drawn (window.convembedMap.ready)
 * @property {boolean} loaded         an answer of /map/points was shown
 * @property {number | null} modelId
 * @property {MapState | null} state
 * @property {string | null} signature  what the shown points came from: model, layout time, count
 * @property {MapPoint[]} points
 * @property {Map<string, MapPoint>} byId
 * @property {string[]} titles        the points' titles in lower case, for the search
 * @property {number} timer           the next poll of /map/points
 * @property {Promise<number> | null} loading   a load under way; it resolves to the ms until the next one
 * @property {boolean} again          load once more when the current load ends
 */

/**
 * @typedef {object} Selection
 * @property {string | null} id
 * @property {number} seq             counts selections, so that a late answer for an older one is dropped
 * @property {Map<string, {title: string, artist: string | null}>} neighbourInfo  the listed neighbours, for those not on the map
 * @property {{id: string, title: string} | null} playing   the track in the player
 */

/**
 * @typedef {object} StatusLine
 * @property {Map<string, {error: ApiError, context: string | undefined}>} errors  by source: shown until that source succeeds again
 * @property {string} text
 * @property {boolean} busy
 */

/**
 * The title search (mapview.js's trackFinder), made by search.js's initSearch.
 * @typedef {object} TrackFinder
 * @property {() => void} run   searches again
 */

/**
 * @typedef {object} TrainingPanel
 * @property {number} timer
 * @property {boolean} busy           a poll is under way
 * @property {boolean} wasOpen        the job of the last answer had not ended
 * @property {boolean} seen           an answer came at least once
 * @property {[number, number][] | null} loss
 * @property {boolean} hasJob
 */

/**
 * @typedef {object} LibraryPanel
 * @property {number} timer
 * @property {boolean} busy            a poll is under way
 * @property {number | null} indexed   the indexed count of the last answer (null before the first)
 */

/**
 * @typedef {object} Radio
 * @property {string | null} seed      the track it was made from
 * @property {RadioItem[]} items       in the order to play
 * @property {number} index            the item in the player (-1: none yet)
 * @property {number} seq              counts the radios asked for, so that a late answer for an older one is dropped
 */

/** state.map's look-ups, made from its points on first use. @type {{byId: Map<string, MapPoint> | null, titles: string[] | null}} */
const derived = { byId: null, titles: null };

export const state = {
    /** The plot: made once by map.js before anything else runs. @type {Scatter} */
    scatter: /** @type {any} */ (null),
    /** @type {ColorMode} */
    colorMode: "artist",
    /** @type {MapView} */
    map: {
        ready: false, loaded: false, modelId: null, state: null, signature: null,
        points: [], timer: 0, loading: null, again: false,
        // Made when first asked for, not before the first draw (100 000 ids and titles are ~80 ms).
        get byId() { return derived.byId ??= new Map(this.points.map(p => [p.id, p])); },
        get titles() { return derived.titles ??= this.points.map(p => p.title.toLowerCase()); },
    },
    /** @type {Selection} */
    selection: { id: null, seq: 0, neighbourInfo: new Map(), playing: null },
    /** @type {TrackFinder | null} */
    finder: null,
    /** @type {StatusLine} */
    status: { errors: new Map(), text: "Loading the map…", busy: true },
    /** @type {TrainingPanel} */
    training: { timer: 0, busy: false, wasOpen: false, seen: false, loss: null, hasJob: false },
    /** @type {LibraryPanel} */
    library: { timer: 0, busy: false, indexed: null },
    /** @type {Radio} */
    radio: { seed: null, items: [], index: -1, seq: 0 },
};

/** @param {MapPoint[]} points */
export function setMapPoints(points) {
    state.map.points = points;
    derived.byId = null;
    derived.titles = null;
}

/**
 * Makes id the selected track.
 * @param {string} id
 * @returns {number} the selection's number, for isCurrentSelection
 */
export function beginSelection(id) {
    state.selection.id = id;
    return ++state.selection.seq;
}

/** @param {number} seq */
export const isCurrentSelection = seq => seq === state.selection.seq;
