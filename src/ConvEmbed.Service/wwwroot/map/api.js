// @ts-check
/*
 * The service's HTTP API as the page uses it (same origin): GET /map/points, GET /tracks/{id}/similar?k=,
 * GET /tracks/{id}/audio, GET /training/current. Errors are RFC 9457 problem details; ApiError keeps their title and detail.
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
 * @param {string} path
 * @returns {Promise<any>}
 */
async function getJson(path) {
    let res;
    try {
        res = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
    } catch (e) {
        throw new ApiError("The service cannot be reached", e instanceof Error ? e.message : null, 0);
    }
    if (!res.ok) throw await problemOf(res);
    try {
        return await res.json();
    } catch (e) {
        throw new ApiError("The service answered with something that is not JSON", `${path}: ${e instanceof Error ? e.message : e}`, res.status);
    }
}

/** @returns {Promise<Partial<MapPointsResponse> | null>} */
export const getMapPoints = () => getJson("/map/points");

/**
 * @param {string} id
 * @param {number} k
 * @returns {Promise<Partial<SimilarTracksResponse> | null>}
 */
export const getSimilarTracks = (id, k) => getJson(`/tracks/${encodeURIComponent(id)}/similar?k=${k}`);

/** @returns {Promise<TrainingStatus | null>} */
export const getTrainingStatus = () => getJson("/training/current");

/** @param {string} id */
export const audioUrl = id => `/tracks/${encodeURIComponent(id)}/audio`;
