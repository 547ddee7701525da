// @ts-check
/*
 * The page's elements, and the two components it is built with: ConvEmbedScatter (scatter.js, the canvas plot) and
 * ConvEmbedMapView (mapview.js: toolbar, canvas, title search, track rows). Both are classic scripts shared with the
 * CLI's offline map; index.html runs them before the modules, and mapview.js has filled the page's slots by then.
 */

/** @typedef {import("./state.js").MapPoint} MapPoint */

/**
 * The plot of scatter.js, as far as this page uses it.
 * @typedef {object} Scatter
 * @property {(points: MapPoint[], options?: {keepView?: boolean}) => void} setPoints
 * @property {(colorKey: (point: MapPoint) => string) => void} setColorKey
 * @property {(ids: string[], selectedId: string | null) => void} highlight
 * @property {(id: string, options: {zoom?: number, onlyIfHidden?: boolean}) => void} focus
 * @property {(factor: number) => void} zoomBy
 * @property {() => void} fit
 * @property {() => void} redraw
 * @property {(id: string) => string | null} colorOf
 * @property {() => number} pointCount
 */

/**
 * @typedef {object} ScatterOptions
 * @property {MapPoint[]} points
 * @property {(point: MapPoint) => string} colorKey
 * @property {HTMLElement} tooltip
 * @property {HTMLElement} legend
 * @property {(point: MapPoint) => void} onClick
 */

/**
 * @typedef {object} ScatterLibrary
 * @property {(canvas: HTMLCanvasElement, options: ScatterOptions) => Scatter} create
 * @property {(tag: string, attrs?: Record<string, any> | null, ...children: any[]) => HTMLElement} h
 */

/**
 * @typedef {object} TrackRow
 * @property {string} id
 * @property {string} title
 * @property {string} subtitle
 * @property {string | null} color
 * @property {boolean} current
 * @property {Node | null} [extra]
 */

/**
 * @typedef {object} MapViewLibrary
 * @property {(scatter: Scatter) => void} bindToolbar
 * @property {(row: TrackRow) => HTMLLIElement} trackRow
 * @property {(list: HTMLElement, handler: (id: string) => void) => void} onRowClick
 * @property {(id: string | null) => void} markCurrent
 * @property {(options: {titles: () => string[], row: (index: number) => HTMLLIElement, onPick: (index: number) => void}) => {run: () => void}} trackFinder
 */

const globals = /** @type {any} */ (window);

/** scatter.js's component. @type {ScatterLibrary} */
export const scatterLibrary = globals.ConvEmbedScatter;

/** mapview.js's component. @type {MapViewLibrary} */
export const mapView = globals.ConvEmbedMapView;

/** The component script that did not load, if one did not: map.js then only says so. */
export const missingComponent = !scatterLibrary ? "scatter.js" : !mapView ? "mapview.js" : null;

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

export const el = {
    /** @type {HTMLCanvasElement} */ map: $("map"),
    /** @type {HTMLElement} */ tooltip: $("tooltip"),
    /** @type {HTMLUListElement} */ legend: $("legend"),
    /** @type {HTMLElement} */ message: $("map-message"),
    /** @type {HTMLElement} */ status: $("status"),
    /** @type {HTMLElement} */ model: $("model"),
    /** @type {HTMLButtonElement} */ reload: $("reload"),
    /** @type {HTMLSelectElement} */ colorBy: $("color-by"),
    /** @type {HTMLInputElement} */ search: $("search"),
    /** @type {HTMLElement} */ selected: $("selected"),
    /** @type {HTMLAudioElement} */ player: $("player"),
    /** @type {HTMLElement} */ playerNote: $("player-note"),
    /** @type {HTMLElement} */ passages: $("passages"),
    /** @type {HTMLElement} */ passagesInfo: $("passages-info"),
    /** @type {HTMLElement} */ strip: $("strip"),
    /** @type {HTMLUListElement} */ passageMatches: $("passage-matches"),
    /** @type {HTMLUListElement} */ results: $("search-results"),
    /** @type {HTMLUListElement} */ neighbours: $("neighbours"),
    /** @type {HTMLElement} */ neighboursInfo: $("neighbours-info"),
    /** @type {HTMLElement} */ trainingSummary: $("training-summary"),
    /** @type {HTMLCanvasElement} */ loss: $("loss"),
    /** @type {HTMLElement} */ library: $("library"),
    /** @type {HTMLElement} */ librarySummary: $("library-summary"),
    /** @type {HTMLButtonElement} */ radioStart: $("radio-start"),
    /** @type {HTMLElement} */ radio: $("radio"),
    /** @type {HTMLElement} */ radioInfo: $("radio-info"),
    /** @type {HTMLUListElement} */ radioList: $("radio-list"),
    /** @type {HTMLAnchorElement} */ radioDownload: $("radio-download"),
};

/**
 * Creates an element (scatter.js's h): h("li", {class: "x", dataset: {trackId: id}}, "text", child, …).
 * @param {string} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...any} children
 */
export const h = (tag, attrs, ...children) => scatterLibrary.h(tag, attrs, ...children);

/**
 * Replaces the children of parent, skipping null (replaceChildren would write "null").
 * @param {Element} parent
 * @param {...(Node | string | null | false | undefined | (Node | string)[])} children
 */
export function fill(parent, ...children) {
    parent.replaceChildren(...children.flat().filter(/** @returns {c is Node | string} */ c => c !== null && c !== undefined && c !== false));
}
