/*
 * The live library map served at /map/: every track of the library placed by the active model, coloured by artist or
 * tag; search by title, select a track to hear it and list its nearest neighbours; the training job's progress.
 *
 * HTTP API (same origin): GET /map/points, GET /tracks/{id}/similar?k=10, GET /tracks/{id}/audio, GET /training/current.
 * Errors are RFC 9457 problem details; their title (and detail) are shown in #status.
 *
 * For tests: window.convembedMap = { scatter, ready, select(id) → Promise (resolved once the neighbours are listed),
 * colorBy("artist" | "tag") }, and document.body.dataset.state = the state of the last /map/points answer.
 */
(function () {
    "use strict";

    const POLL_COMPUTING_MS = 3000;   // while the map of the active model is being computed
    const POLL_EMPTY_MS = 10000;      // while the library is empty, so that the first upload shows up
    const POLL_ERROR_MS = 10000;      // after a failed /map/points
    const TRAINING_IDLE_MS = 5000;
    const TRAINING_OPEN_MS = 2000;    // while a job is queued or running
    const MAX_MATCHES = 20;
    const NEIGHBOURS = 10;
    const FOCUS_ZOOM = 4;             // a track picked from the search is shown at ≥ 4× the fitted scale

    const $ = id => document.getElementById(id);
    const el = {
        map: $("map"), tooltip: $("tooltip"), legend: $("legend"), message: $("map-message"),
        status: $("status"), model: $("model"), reload: $("reload"),
        colorBy: $("color-by"), search: $("search"), searchInfo: $("search-info"), results: $("search-results"),
        selected: $("selected"), player: $("player"), playerNote: $("player-note"),
        neighbours: $("neighbours"), neighboursInfo: $("neighbours-info"),
        trainingSummary: $("training-summary"), loss: $("loss"),
    };

    // ---- small helpers ----------------------------------------------------------------------------------------------

    const h = ConvEmbedScatter.h;

    /** Replaces the children of parent, skipping null (replaceChildren would write "null"). */
    function fill(parent, ...children) {
        parent.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
    }

    const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

    function formatDuration(seconds) {
        if (!Number.isFinite(seconds) || seconds < 0) return "–";
        const s = Math.round(seconds);
        if (s < 60) return `${s} s`;
        if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
        return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
    }

    function formatTime(iso) {
        if (!iso) return "–";
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    }

    // Four significant digits without trailing zeros; exponent form for very large or small values.
    function formatNumber(v) {
        if (!Number.isFinite(v)) return "–";
        const a = Math.abs(v);
        if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
        return String(Number(v.toPrecision(4)));
    }

    const formatSimilarity = v => (Number.isFinite(v) ? v.toFixed(3) : "–");

    // ---- HTTP -------------------------------------------------------------------------------------------------------

    class ApiError extends Error {
        constructor(title, detail, status) {
            super(detail ? `${title}: ${detail}` : title);
            this.name = "ApiError";
            this.title = title;
            this.detail = detail || null;
            this.status = status;
        }
    }

    // A non-2xx answer as an ApiError with the problem's title and detail (or the HTTP status when there is none).
    async function problemOf(res) {
        let title = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, detail = null;
        try {
            const body = JSON.parse(await res.text());
            if (body && typeof body.title === "string" && body.title) title = body.title;
            if (body && typeof body.detail === "string" && body.detail) detail = body.detail;
        } catch (e) { /* not problem+json: keep the status line */ }
        return new ApiError(title, detail, res.status);
    }

    async function getJson(path) {
        let res;
        try {
            res = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
        } catch (e) {
            throw new ApiError("The service cannot be reached", e && e.message, 0);
        }
        if (!res.ok) throw await problemOf(res);
        try {
            return await res.json();
        } catch (e) {
            throw new ApiError("The service answered with something that is not JSON", `${path}: ${e.message}`, res.status);
        }
    }

    // ---- status line ------------------------------------------------------------------------------------------------

    const errors = new Map();   // source → {error, context}: shown until that source succeeds again
    let statusText = "Loading the map…";
    let statusBusy = true;

    function setStatus(text, busy) {
        statusText = text;
        statusBusy = !!busy;
        renderStatus();
    }

    function showError(source, error, context) {
        const e = error instanceof ApiError ? error : new ApiError("Unexpected error", error && error.message, 0);
        errors.set(source, { error: e, context });
        renderStatus();
    }

    function clearError(source) {
        if (errors.delete(source)) renderStatus();
    }

    function renderStatus() {
        const parts = [];
        for (const { error, context } of errors.values()) {
            const text = `${context ? `${context}: ` : ""}${error.title}${error.detail ? ` (${error.detail})` : ""}`;
            parts.push(h("span", { class: "error" }, text), " · ");
        }
        el.status.replaceChildren(...parts, statusText);
        el.status.classList.toggle("busy", statusBusy && errors.size === 0);
    }

    // ---- the map ----------------------------------------------------------------------------------------------------

    if (typeof window.ConvEmbedScatter === "undefined") {
        setStatus("", false);
        showError("init", new ApiError("The map component did not load", "scatter.js is missing", 0));
        return;
    }

    const colorKeys = {
        artist: p => p.artist || "",
        tag: p => (p.tags.length ? p.tags[0] : ""),
    };
    let colorMode = el.colorBy.value === "tag" ? "tag" : "artist";   // the browser may restore the select's value

    const map = {
        loaded: false, modelId: null, state: null, signature: null,
        points: [], byId: new Map(), titles: [],
        timer: 0, loading: null, again: false,
    };

    const scatter = ConvEmbedScatter.create(el.map, {
        points: [],
        colorKey: colorKeys[colorMode],
        tooltip: el.tooltip,
        legend: el.legend,
        onClick: p => { select(p.id); },
    });

    const api = {
        scatter,
        ready: false,
        select: id => select(id),
        colorBy,
    };
    window.convembedMap = api;

    async function loadPoints() {
        if (map.loading) { map.again = true; return map.loading; }
        clearTimeout(map.timer);
        map.loading = (async () => {
            try {
                const body = await getJson("/map/points");
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

    // Shows an answer of /map/points; returns in how many ms to ask again (0 = no need).
    function applyPoints(body) {
        const state = typeof body.state === "string" ? body.state : "ready";
        const raw = Array.isArray(body.points) ? body.points : [];
        const computing = state === "computing" || state === "pending";
        const sameModel = map.loaded && body.modelId === map.modelId;
        const modelChanged = map.loaded && body.modelId !== map.modelId;
        const signature = `${body.modelId}|${body.computedAt}|${raw.length}|${state === "empty"}`;
        // While a layout is computed the answer may have no points: keep showing the last ones of the same model.
        const keepStale = computing && raw.length === 0 && sameModel;
        if (!keepStale && signature !== map.signature) {
            setPoints(raw, sameModel);
            map.signature = signature;
        }
        map.loaded = true;
        map.modelId = body.modelId ?? null;
        map.state = state;
        document.body.dataset.state = state;

        renderModel(body);
        renderMapStatus(body, state);
        renderMessage(state);

        // Neighbours come from the active model: ask again for the selected track when it changed.
        if (modelChanged && selection.id) select(selection.id, { play: false });

        if (!api.ready && (scatter.pointCount() > 0 || state === "ready" || state === "empty")) {
            api.ready = true;
            performance.mark("convembed-map-ready");   // the service benchmark reads the time to the first drawn map
            document.dispatchEvent(new CustomEvent("convembed:ready"));
            restoreFromHash();
        }
        return computing ? POLL_COMPUTING_MS : state === "empty" ? POLL_EMPTY_MS : 0;
    }

    function setPoints(raw, keepView) {
        const points = [];
        for (const p of raw) {
            if (!p || p.id === undefined || p.id === null) continue;
            const tags = Array.isArray(p.tags) ? p.tags.filter(t => typeof t === "string" && t !== "") : [];
            const artist = typeof p.artist === "string" && p.artist !== "" ? p.artist : null;
            const title = typeof p.title === "string" && p.title !== "" ? p.title : "(untitled)";
            points.push({
                id: String(p.id), x: p.x, y: p.y, title, artist, tags,
                subtitle: [artist || "unknown artist", tags.join(", ")].filter(Boolean).join(" · "),
            });
        }
        map.points = points;
        map.byId = new Map(points.map(p => [p.id, p]));
        map.titles = points.map(p => p.title.toLowerCase());
        scatter.setPoints(points, { keepView });   // highlights are kept by id
        scatter.redraw();                          // now rather than in the next frame: `ready` means drawn
        if (el.search.value.trim()) runSearch();
        refreshSwatches();
    }

    function renderModel(body) {
        if (body.modelId === null || body.modelId === undefined) { el.model.textContent = ""; return; }
        el.model.textContent = `Model ${body.modelId}${body.modelName ? ` · ${body.modelName}` : ""}`;
    }

    function renderMapStatus(body, state) {
        const tracks = Number.isFinite(body.tracks) ? body.tracks : null;
        const placed = Number.isFinite(body.placed) ? body.placed : scatter.pointCount();
        const progress = tracks !== null ? `${placed} of ${plural(tracks, "track", "tracks")} placed` : plural(placed, "track", "tracks");
        const model = body.modelId !== null && body.modelId !== undefined ? `model ${body.modelId}` : "the active model";
        switch (state) {
            case "computing":
            case "pending":
                setStatus(`computing the map of ${model} … ${progress}${state === "pending" ? " (queued)" : ""}`, true);
                break;
            case "empty":
                setStatus("No tracks yet", false);
                break;
            case "ready": {
                let text = `${plural(scatter.pointCount(), "track", "tracks")} on the map`;
                if (tracks !== null && tracks > placed) text += ` (${tracks - placed} not placed yet)`;
                if (body.computedAt) text += ` · computed ${formatTime(body.computedAt)}`;
                setStatus(text, false);
                break;
            }
            default:
                setStatus(`Map state: ${state}`, false);
        }
    }

    // The message over the map when there is nothing to draw.
    function renderMessage(state) {
        let content = null;
        if (state === "empty") {
            content = h("div", {},
                h("h2", {}, "No tracks yet"),
                h("p", {}, "Upload audio files to the service and they appear here once they are embedded:"),
                h("pre", {}, h("code", {}, `curl -F file=@song.mp3 ${location.origin}/tracks`)),
                h("p", { class: "muted" }, "This page checks for new tracks every few seconds."));
        } else if (scatter.pointCount() === 0 && (state === "computing" || state === "pending")) {
            content = h("div", {},
                h("h2", {}, "The map is being computed"),
                h("p", {}, "The tracks appear here as soon as the layout of the active model is ready."));
        } else if (scatter.pointCount() === 0) {
            content = h("div", {},
                h("h2", {}, "Nothing to show"),
                h("p", {}, "No track has a place on the map yet."));
        }
        el.message.hidden = !content;
        el.message.replaceChildren(...(content ? [content] : []));
    }

    function colorBy(mode) {
        if (!Object.prototype.hasOwnProperty.call(colorKeys, mode)) throw new RangeError(`colorBy takes "artist" or "tag", not "${mode}"`);
        colorMode = mode;
        el.colorBy.value = mode;
        scatter.setColorKey(colorKeys[mode]);
        scatter.redraw();
        refreshSwatches();
    }

    // The swatches in the lists show each track's colour on the map.
    function refreshSwatches() {
        for (const li of document.querySelectorAll("#neighbours li[data-track-id], #search-results li[data-track-id]")) {
            const s = li.querySelector(".swatch");
            if (s) s.style.background = scatter.colorOf(li.dataset.trackId) || "transparent";
        }
    }

    function trackButton(id, title, artist, extra) {
        const color = scatter.colorOf(id);
        return h("li", { dataset: { trackId: id }, "aria-current": selection.id === id ? "true" : null },
            h("button", { type: "button" },
                h("span", { class: "swatch", "aria-hidden": "true", style: { background: color || "transparent" } }),
                h("span", { class: "track-main" },
                    h("span", { class: "track-title" }, title),
                    h("span", { class: "track-artist" }, artist || "unknown artist")),
                extra || null));
    }

    // ---- selection --------------------------------------------------------------------------------------------------

    const selection = { id: null, seq: 0, neighbourInfo: new Map() };

    /**
     * Selects a track: highlights it, shows its details, plays it (unless play: false) and lists its neighbours.
     * focus: true centres and zooms the map on it; otherwise the map pans only when the point is out of view.
     * info: {title, artist} to show when the track is not on the map. Resolves once the neighbours are listed.
     */
    async function select(id, options) {
        if (id === null || id === undefined || id === "") return;
        const { play = true, focus = false, info = null } = options || {};
        id = String(id);
        const seq = ++selection.seq;
        selection.id = id;
        const point = map.byId.get(id) || null;
        const known = info || selection.neighbourInfo.get(id) || null;   // for a track that is not on the map

        scatter.highlight([], id);
        if (focus) scatter.focus(id, { zoom: FOCUS_ZOOM });
        else scatter.focus(id, { onlyIfHidden: true });
        renderSelected(id, point, known);
        markCurrent();
        updateHash(id);
        if (play) playTrack(id, point ? point.title : known && known.title);

        el.neighbours.replaceChildren();
        el.neighbours.setAttribute("aria-busy", "true");
        el.neighboursInfo.textContent = "Looking for the most similar tracks…";
        try {
            const body = await getJson(`/tracks/${encodeURIComponent(id)}/similar?k=${NEIGHBOURS}`);
            if (seq !== selection.seq) return;   // another track was selected meanwhile
            clearError("similar");
            const items = Array.isArray(body.items) ? body.items.filter(i => i && i.id !== undefined && i.id !== null) : [];
            renderNeighbours(items, body.modelId);
            scatter.highlight(items.map(i => String(i.id)), id);
        } catch (e) {
            if (seq !== selection.seq) return;
            showError("similar", e, "Similar tracks");
            el.neighboursInfo.textContent = `The similar tracks could not be listed: ${e.title}`;
        } finally {
            if (seq === selection.seq) el.neighbours.removeAttribute("aria-busy");
        }
    }

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

    function renderNeighbours(items, modelId) {
        selection.neighbourInfo = new Map(items.map(i => [String(i.id), { title: i.title, artist: i.artist }]));
        el.neighbours.replaceChildren(...items.map(i => {
            const id = String(i.id);
            return trackButton(id, i.title || id, i.artist,
                h("span", { class: "track-score", title: "cosine similarity" }, formatSimilarity(i.similarity)));
        }));
        let note = "";
        if (items.length === 0) note = "No other track to compare with yet.";
        else if (modelId !== undefined && modelId !== null && map.modelId !== null && modelId !== map.modelId)
            note = `Similarity by model ${modelId}; the map shows model ${map.modelId}.`;
        el.neighboursInfo.textContent = note;
    }

    function markCurrent() {
        for (const li of document.querySelectorAll("#neighbours li[data-track-id], #search-results li[data-track-id]")) {
            if (li.dataset.trackId === selection.id) li.setAttribute("aria-current", "true");
            else li.removeAttribute("aria-current");
        }
    }

    function listClick(event, focus) {
        const li = event.target.closest("li[data-track-id]");
        if (!li || !event.currentTarget.contains(li)) return;
        select(li.dataset.trackId, { focus, info: selection.neighbourInfo.get(li.dataset.trackId) || null });
    }

    el.neighbours.addEventListener("click", e => listClick(e, false));
    el.results.addEventListener("click", e => listClick(e, true));

    // #track=<id> in the address keeps the selection across reloads and can be shared.
    function updateHash(id) {
        try { history.replaceState(null, "", `#track=${encodeURIComponent(id)}`); } catch (e) { /* e.g. sandboxed */ }
    }

    function restoreFromHash() {
        const m = /^#track=([^&]+)$/.exec(location.hash);
        if (!m) return;
        let id;
        try { id = decodeURIComponent(m[1]); } catch (e) { return; }
        if (map.byId.has(id)) select(id, { play: false, focus: true });
    }

    // ---- audio ------------------------------------------------------------------------------------------------------

    let playing = null;   // {id, title} of the track in the player

    function playTrack(id, title) {
        playing = { id, title: title || id };
        clearError("audio");
        el.playerNote.textContent = "";
        el.player.src = `/tracks/${encodeURIComponent(id)}/audio`;
        const attempt = el.player.play();
        if (attempt && typeof attempt.catch === "function") {
            attempt.catch(err => {
                // AbortError: a newer track replaced this one. NotSupportedError: the "error" event reports it.
                if (err && err.name === "NotAllowedError" && playing && playing.id === id)
                    el.playerNote.textContent = "The browser did not allow autoplay: press play to listen.";
            });
        }
    }

    // A media element only says that it failed: ask the URL again for the problem's title.
    el.player.addEventListener("error", async () => {
        const failed = playing, url = el.player.getAttribute("src");
        if (!failed || !url) return;
        let error = new ApiError("The browser cannot play this audio", el.player.error && el.player.error.message, 0);
        const abort = new AbortController();
        try {
            const res = await fetch(url, { signal: abort.signal, cache: "no-store" });
            if (!res.ok) error = await problemOf(res);
        } catch (e) {
            error = new ApiError("The audio could not be loaded", e && e.message, 0);
        } finally {
            abort.abort();   // the body of a successful answer is not needed
        }
        if (playing !== failed) return;
        showError("audio", error, `Audio of “${failed.title}”`);
    });

    // ---- search -----------------------------------------------------------------------------------------------------

    let matches = [];

    // Titles that contain the query (case-insensitive); those starting with it first, then alphabetically.
    function runSearch() {
        const query = el.search.value.trim();
        const q = query.toLowerCase();
        matches = [];
        if (!q) {
            el.results.replaceChildren();
            el.searchInfo.textContent = "";
            return;
        }
        const best = [];   // [rank, lowercase title, index], sorted, at most MAX_MATCHES
        const before = (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]);
        let total = 0;
        const titles = map.titles;
        for (let i = 0; i < titles.length; i++) {
            const at = titles[i].indexOf(q);
            if (at < 0) continue;
            total++;
            const entry = [at === 0 ? 0 : 1, titles[i], i];
            if (best.length === MAX_MATCHES && before(entry, best[best.length - 1]) >= 0) continue;
            let pos = best.length;
            while (pos > 0 && before(entry, best[pos - 1]) < 0) pos--;
            best.splice(pos, 0, entry);
            if (best.length > MAX_MATCHES) best.pop();
        }
        matches = best.map(b => map.points[b[2]]);
        el.results.replaceChildren(...matches.map(p => trackButton(p.id, p.title, p.artist)));
        el.searchInfo.textContent = total === 0
            ? `No title contains “${query}”.`
            : total > MAX_MATCHES ? `${total} matches, showing the first ${MAX_MATCHES}.` : plural(total, "match", "matches");
    }

    el.search.addEventListener("input", runSearch);
    el.search.addEventListener("keydown", e => {
        if (e.key === "Enter") {
            e.preventDefault();
            if (matches.length) select(matches[0].id, { focus: true });
        } else if (e.key === "ArrowDown") {
            const first = el.results.querySelector("button");
            if (first) { e.preventDefault(); first.focus(); }
        }
    });
    // Arrow keys move between the matches; up from the first one returns to the field.
    el.results.addEventListener("keydown", e => {
        if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
        const buttons = [...el.results.querySelectorAll("button")];
        const i = buttons.indexOf(document.activeElement);
        if (i < 0) return;
        e.preventDefault();
        if (e.key === "ArrowDown") (buttons[i + 1] || buttons[i]).focus();
        else if (i === 0) el.search.focus();
        else buttons[i - 1].focus();
    });
    // "/" anywhere outside a field jumps to the search.
    document.addEventListener("keydown", e => {
        if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
        const t = e.target;
        if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
        e.preventDefault();
        el.search.focus();
    });

    // ---- training ---------------------------------------------------------------------------------------------------

    const training = { timer: 0, busy: false, wasOpen: false, seen: false, loss: null, hasJob: false };

    async function pollTraining() {
        if (training.busy) return;
        clearTimeout(training.timer);
        training.busy = true;
        let open = false;
        try {
            const body = await getJson("/training/current");
            clearError("training");
            const job = body && body.job ? body.job : null;
            open = !!job && job.open === true; // the service says which states are open (GET /training/current)
            renderTraining(job, open);
            // A job that ends may have changed the active model, and so the map.
            if (training.wasOpen && !open) loadPoints();
            training.wasOpen = open;
            training.seen = true;
        } catch (e) {
            showError("training", e, "Training status");
            if (!training.seen) el.trainingSummary.replaceChildren(h("p", { class: "muted" }, "The training status is unavailable."));
            open = training.wasOpen;
        } finally {
            training.busy = false;
        }
        training.timer = setTimeout(pollTraining, open ? TRAINING_OPEN_MS : TRAINING_IDLE_MS);
    }

    document.addEventListener("visibilitychange", () => { if (!document.hidden) pollTraining(); });

    function renderTraining(job, open) {
        if (!job) {
            training.hasJob = false;
            training.loss = null;
            el.trainingSummary.replaceChildren(h("p", { class: "muted" }, "No training job yet"));
            drawLoss();
            return;
        }
        const pr = job.progress || {};
        const facts = [];
        const fact = (name, ...value) => facts.push(h("dt", {}, name), h("dd", {}, ...value));
        const bar = (value, max, label) => h("progress", { value, max, "aria-label": label });

        if (Number.isFinite(pr.step)) {
            if (Number.isFinite(pr.totalSteps) && pr.totalSteps > 0) {
                const pct = Math.min(100, Math.floor((100 * pr.step) / pr.totalSteps));
                fact("Step", `${pr.step} / ${pr.totalSteps} (${pct} %)`, h("br"), bar(Math.min(pr.step, pr.totalSteps), pr.totalSteps, "Training steps"));
            } else {
                fact("Step", String(pr.step));
            }
        }
        if (Number.isFinite(pr.elapsedSeconds)) fact("Elapsed", formatDuration(pr.elapsedSeconds));
        if (open && job.state !== "queued") fact("ETA", Number.isFinite(pr.etaSeconds) ? `about ${formatDuration(pr.etaSeconds)}` : "unknown");
        if (Number.isFinite(pr.stepsPerSecond) && pr.stepsPerSecond > 0) fact("Speed", `${pr.stepsPerSecond.toFixed(2)} steps/s`);
        const loss = Array.isArray(pr.loss) ? pr.loss.filter(p => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) : [];
        if (loss.length) fact("Loss", `${formatNumber(loss[loss.length - 1][1])} at step ${loss[loss.length - 1][0]}`);
        // Re-embedding follows training: show it once it started (or for a job that only re-embeds).
        const reembedding = job.state === "reembedding" || job.kind === "reembed" || pr.reembedded > 0;
        if (reembedding && Number.isFinite(pr.tracks) && pr.tracks > 0 && Number.isFinite(pr.reembedded)) {
            fact("Re-embedded", `${pr.reembedded} of ${plural(pr.tracks, "track", "tracks")}`, h("br"),
                bar(Math.min(pr.reembedded, pr.tracks), pr.tracks, "Tracks re-embedded"));
        }
        if (pr.precision) fact("Precision", String(pr.precision));
        if (job.startedAt) fact("Started", formatTime(job.startedAt));
        else if (job.createdAt) fact("Queued", formatTime(job.createdAt));
        if (job.finishedAt) fact("Finished", formatTime(job.finishedAt));

        fill(el.trainingSummary,
            h("p", { class: "job-line" },
                h("strong", {}, `Job #${job.id}`),
                h("span", { class: "muted" }, job.kind === "reembed" ? "re-embedding" : "training"),
                h("span", { class: `badge state-${job.state}` }, job.state)),
            facts.length ? h("dl", { class: "facts" }, facts) : null,
            job.error ? h("p", { class: "job-error", role: "alert" }, job.error) : null,
            job.stale ? h("p", { class: "job-error" }, job.stale) : null);
        training.hasJob = true;
        training.loss = loss;
        drawLoss();
    }

    // The loss curve: a line over the steps, the extreme values written on the axes.
    function drawLoss() {
        const canvas = el.loss;
        const w = canvas.clientWidth, hgt = canvas.clientHeight;
        if (!w || !hgt) return;
        const dpr = window.devicePixelRatio || 1;
        if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
        if (canvas.height !== Math.round(hgt * dpr)) canvas.height = Math.round(hgt * dpr);
        const ctx = canvas.getContext("2d");
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        ctx.clearRect(0, 0, w, hgt);
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillStyle = "#5b636d";
        const pts = training.loss || [];
        if (!pts.length) {
            const text = training.hasJob ? "No loss values yet" : "No training job yet";
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.fillText(text, w / 2, hgt / 2);
            canvas.setAttribute("aria-label", `Loss curve: ${text.toLowerCase()}`);
            return;
        }
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        for (const [s, v] of pts) {
            if (s < x0) x0 = s; if (s > x1) x1 = s;
            if (v < y0) y0 = v; if (v > y1) y1 = v;
        }
        const top = formatNumber(y1), bottom = formatNumber(y0);
        const L = Math.ceil(Math.max(ctx.measureText(top).width, ctx.measureText(bottom).width)) + 10, R = 8, T = 8, B = 18;
        const pw = Math.max(1, w - L - R), ph = Math.max(1, hgt - T - B);
        const sx = x1 > x0 ? s => L + ((s - x0) / (x1 - x0)) * pw : () => L + pw / 2;
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
        if (pts.length === 1) {
            ctx.beginPath();
            ctx.arc(sx(pts[0][0]), sy(pts[0][1]), 2.5, 0, 2 * Math.PI);
            ctx.fill();
        } else {
            ctx.beginPath();
            pts.forEach(([s, v], i) => (i ? ctx.lineTo(sx(s), sy(v)) : ctx.moveTo(sx(s), sy(v))));
            ctx.stroke();
        }
        const last = pts[pts.length - 1];
        canvas.setAttribute("aria-label",
            `Loss curve over steps ${x0} to ${x1}: from ${formatNumber(pts[0][1])} to ${formatNumber(last[1])}, lowest ${bottom}, highest ${top}`);
    }

    if (typeof ResizeObserver === "function") new ResizeObserver(() => drawLoss()).observe(el.loss);

    // ---- wiring -----------------------------------------------------------------------------------------------------

    el.colorBy.addEventListener("change", () => colorBy(el.colorBy.value));
    el.reload.addEventListener("click", () => loadPoints());
    for (const b of document.querySelectorAll(".map-controls button[data-action]")) {
        b.addEventListener("click", () => {
            const action = b.dataset.action;
            if (action === "zoom-in") scatter.zoomBy(1.5);
            else if (action === "zoom-out") scatter.zoomBy(1 / 1.5);
            else scatter.fit();
        });
    }

    renderStatus();
    loadPoints();
    pollTraining();
})();
