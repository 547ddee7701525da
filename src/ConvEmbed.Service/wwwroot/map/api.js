// @ts-check
/*
 * The service's HTTP API as the page uses it (same origin): GET /map/points, GET /tracks/{id}/similar?k=,
 * GET /tracks/{id}/audio, GET /training/current, GET /library, POST /radio (JSON or M3U8). Errors are RFC 9457 problem
 * details; ApiError keeps their title and detail.
 */

/** @typedef {"ready" | "computing" | "pending" | "empty"} MapState */

/**
 * A track on the map.
 * @typedef {object} MapTrackPoint
 * @property {string} id
 * @property {number} x        t-SNE coordinates: only distances between points mean something
 * @property {number} y
 * @property {string} title
 * @property {string | null} artist
 * @property {string[]} tags
 */

/**
 * GET /map/points: the active model's map, and whether its layout is complete.
 * @typedef {object} MapPointsResponse
 * @property {number} modelId
 * @property {string} modelName
 * @property {MapState} state       ready, computing (a layout is being made), pending (tracks wait for the next layout) or empty
 * @property {string | null} computedAt
 * @property {number | null} seconds
 * @property {number} tracks        tracks with a vector of the active model
 * @property {number} placed        tracks on the map
 * @property {MapTrackPoint[]} points
 */

/**
 * A track near the query track.
 * @typedef {object} Neighbour
 * @property {string} id
 * @property {string} title
 * @property {string | null} artist
 * @property {number} similarity    cosine similarity to the query track
 */

/**
 * GET /tracks/{id}/similar.
 * @typedef {object} SimilarTracksResponse
 * @property {number} modelId       the model that measured the similarity
 * @property {Neighbour[]} items
 */

/** @typedef {"queued" | "running" | "reembedding" | "succeeded" | "failed" | "cancelled"} JobState */

/**
 * How far a job is.
 * @typedef {object} TrainingProgress
 * @property {number} step
 * @property {number | null} totalSteps
 * @property {number} elapsedSeconds
 * @property {number | null} etaSeconds
 * @property {number} stepsPerSecond
 * @property {[number, number][] | null} loss          [step, loss] pairs
 * @property {[number, number][] | null} embeddingStd  [step, mean per-dimension std] pairs
 * @property {number} reembedded
 * @property {number} tracks
 * @property {string | null} precision
 */

/**
 * The latest training job's public fields.
 * @typedef {object} TrainingJob
 * @property {number} id
 * @property {"train" | "reembed"} kind
 * @property {JobState} state
 * @property {boolean} open          whether the job has not ended yet: the service decides which states are open
 * @property {string | null} error
 * @property {string | null} stale   set while a running job's worker has not reported for a while
 * @property {TrainingProgress} progress
 * @property {string} createdAt
 * @property {string | null} startedAt
 * @property {string | null} finishedAt
 */

/**
 * GET /training/current.
 * @typedef {object} TrainingStatus
 * @property {TrainingJob | null} job   null before the first job
 */

/**
 * GET /library: the indexing of the music folders.
 * @typedef {object} LibraryStatus
 * @property {string[]} folders        the configured folders; none: the service has no library
 * @property {boolean} scanning        a scan walks the folders or files wait to be indexed
 * @property {number} seen             audio files the latest scan has seen so far
 * @property {number} indexed          files that are tracks
 * @property {number} waiting          files still to index
 * @property {number} unreadable       files that could not be indexed (GET /library/problems says why)
 * @property {number} tracksPerMinute  files finished in the last minute
 * @property {number | null} etaSeconds
 * @property {string | null} lastScanStarted
 * @property {string | null} lastScanFinished
 */

/**
 * One entry of a radio, in the order to play.
 * @typedef {object} RadioItem
 * @property {string} id
 * @property {string} title
 * @property {string | null} artist
 * @property {string | null} album
 * @property {number} durationSeconds
 * @property {number} similarity      cosine similarity to the seed
 * @property {string | null} path     the library file, for library tracks
 * @property {string} audioUrl
 */

/**
 * POST /radio.
 * @typedef {object} RadioResponse
 * @property {number} modelId
 * @property {RadioItem[]} items
 */

/** A failed request: the problem's title and detail, or what went wrong on the way. */
export class ApiError extends Error {
    /**
     * @param {string} title
     * @param {string | null | undefined} detail
     * @param {number} status   the HTTP status; 0 when there was no answer
     */
    constructor(title, detail, status) {
        super(detail ? `${title}: ${detail}` : title);
        this.name = "ApiError";
        this.title = title;
        this.detail = detail || null;
        this.status = status;
    }
}

/**
 * A non-2xx answer as an ApiError with the problem's title and detail (or the HTTP status when there is none).
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
export async function problemOf(res) {
    let title = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, detail = null;
    try {
        const body = JSON.parse(await res.text());
        if (body && typeof body.title === "string" && body.title) title = body.title;
        if (body && typeof body.detail === "string" && body.detail) detail = body.detail;
    } catch (e) { /* not problem+json: keep the status line */ }
    return new ApiError(title, detail, res.status);
}

/**
 * fetch, with a failure to reach the service and a non-2xx answer as ApiError.
 * @param {string} path
 * @param {RequestInit} init
 * @returns {Promise<Response>}
 */
async function send(path, init) {
    let res;
    try {
        res = await fetch(path, { cache: "no-store", ...init });
    } catch (e) {
        throw new ApiError("The service cannot be reached", e instanceof Error ? e.message : null, 0);
    }
    if (!res.ok) throw await problemOf(res);
    return res;
}

/**
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function fetchJson(path, init) {
    const res = await send(path, { ...init, headers: { Accept: "application/json", ...(init && init.headers) } });
    try {
        return await res.json();
    } catch (e) {
        throw new ApiError("The service answered with something that is not JSON", `${path}: ${e instanceof Error ? e.message : e}`, res.status);
    }
}

/**
 * @param {string} seed   the track the radio starts from
 * @param {number} count
 */
const radioRequest = (seed, count) =>
    ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ seeds: [seed], count }) });

/**
 * Makes the page's object for one point of the map (a plain object unless the caller gives a class).
 * @template P
 * @callback PointFactory
 * @param {string} id
 * @param {number} x
 * @param {number} y
 * @param {string} title
 * @param {string | null} artist
 * @param {string[]} tags
 * @returns {P}
 */

/** @type {PointFactory<MapTrackPoint>} */
const plainPoint = (id, x, y, title, artist, tags) => ({ id, x, y, title, artist, tags });

/**
 * GET /map/points in its compact binary form (?format=binary), decoded into the JSON answer's shape; each point made
 * by makePoint (one object per point: 100 000 of them are the page's first-draw cost).
 * @template P
 * @param {PointFactory<P>} [makePoint]
 * @returns {Promise<(Omit<Partial<MapPointsResponse>, "points"> & { points: P[] }) | null>}
 */
export async function getMapPoints(makePoint) {
    const path = "/map/points?format=binary";
    // No request headers of its own: the page's <link rel="preload"> of this URL is then this request, already under way.
    const res = await send(path);
    const buffer = await res.arrayBuffer();
    try {
        return decodeMapPoints(buffer, makePoint);
    } catch (e) {
        throw new ApiError("The service answered with map points this page cannot read", `${path}: ${e instanceof Error ? e.message : e}`, res.status);
    }
}

/**
 * Reads the binary form (the server's MapPointsBinary): "CEMP", format version, a JSON header (the answer without its
 * points, plus "count"), float32 x and y arrays, then per point NUL-terminated id, title, artist, tag count and tags.
 * @template P
 * @param {ArrayBuffer} buffer
 * @param {PointFactory<P>} [makePoint]   plain objects when not given
 * @returns {Omit<Partial<MapPointsResponse>, "points"> & { points: P[] }}
 */
export function decodeMapPoints(buffer, makePoint = /** @type {any} */ (plainPoint)) {
    const view = new DataView(buffer);
    if (buffer.byteLength < 12 || String.fromCharCode(...new Uint8Array(buffer, 0, 4)) !== "CEMP") throw new Error("not a map points answer");
    const version = view.getUint32(4, true);
    if (version !== 1) throw new Error(`format version ${version}; this page reads version 1`);
    const headerLength = view.getUint32(8, true);
    const decoder = new TextDecoder();
    const { count, ...header } = JSON.parse(decoder.decode(new Uint8Array(buffer, 12, headerLength)));
    const at = Math.ceil((12 + headerLength) / 4) * 4;
    const textLength = view.getUint32(at + 8 * count, true);
    const fields = decoder.decode(new Uint8Array(buffer, at + 8 * count + 4, textLength)).split("\0");
    // Coordinates as typed arrays (copied: the buffer's offset need not be a multiple of 4 on every platform's view).
    const xs = new Float32Array(buffer.slice(at, at + 4 * count)), ys = new Float32Array(buffer.slice(at + 4 * count, at + 8 * count));
    /** @type {string[]} */
    const none = [];
    const points = new Array(count);
    for (let i = 0, f = 0; i < count; i++) {
        const id = fields[f++], title = fields[f++], artist = fields[f++], tags = +fields[f++];
        points[i] = makePoint(id, xs[i], ys[i], title, artist === "" ? null : artist, tags === 0 ? none : fields.slice(f, f + tags));
        f += tags;
    }
    return { ...header, points };
}

/**
 * @param {string} id
 * @param {number} k
 * @returns {Promise<Partial<SimilarTracksResponse> | null>}
 */
export const getSimilarTracks = (id, k) => fetchJson(`/tracks/${encodeURIComponent(id)}/similar?k=${k}`);

/** @returns {Promise<TrainingStatus | null>} */
export const getTrainingStatus = () => fetchJson("/training/current");

/** @param {string} id */
export const audioUrl = id => `/tracks/${encodeURIComponent(id)}/audio`;

/** @returns {Promise<Partial<LibraryStatus> | null>} */
export const getLibraryStatus = () => fetchJson("/library");

/**
 * A playlist of tracks that sound like the seed, in the order to play.
 * @param {string} seed
 * @param {number} count
 * @returns {Promise<Partial<RadioResponse> | null>}
 */
export const postRadio = (seed, count) => fetchJson("/radio", radioRequest(seed, count));

/**
 * The same radio as an M3U8 playlist (library tracks by their path, uploads by URL).
 * @param {string} seed
 * @param {number} count
 * @returns {Promise<string>}
 */
export const postRadioM3u8 = async (seed, count) => (await send("/radio?format=m3u8", radioRequest(seed, count))).text();

/**
 * @typedef {object} StripPassage
 * @property {number} index
 * @property {number} start   seconds
 * @property {number} end
 * @property {number} change  1 − cosine similarity to the passage before
 */

/**
 * @typedef {object} PassageStrip
 * @property {number} modelId
 * @property {string} trackId
 * @property {number} duration
 * @property {number} passageSeconds
 * @property {number} hopSeconds
 * @property {StripPassage[]} passages
 */

/**
 * @typedef {object} PassageHit
 * @property {string} trackId
 * @property {string} title
 * @property {string | null} artist
 * @property {number} start
 * @property {number} end
 * @property {number} similarity
 * @property {string} audioUrl   the track's audio from the start of the stretch (…/audio#t=83.5)
 */

/**
 * A track's passages in order (GET /tracks/{id}/strip).
 * @param {string} id
 * @returns {Promise<Partial<PassageStrip> | null>}
 */
export const getPassageStrip = id => fetchJson(`/tracks/${encodeURIComponent(id)}/strip`);

/**
 * Stretches of the library (this track included) that sound like start..end of a track.
 * @param {string} id
 * @param {number} start
 * @param {number} end
 * @param {number} k
 * @returns {Promise<{modelId?: number, passages?: number, items?: PassageHit[]} | null>}
 */
export const getSimilarPassages = (id, start, end, k) =>
    fetchJson(`/tracks/${encodeURIComponent(id)}/passages?start=${start}&end=${end}&k=${k}&includeSelf=true`);
