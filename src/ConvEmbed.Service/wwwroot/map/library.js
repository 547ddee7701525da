// @ts-check
/*
 * The library panel (#library): the indexing of the music folders from GET /library, polled often while a scan runs
 * and seldom otherwise; hidden when the service has no folders. Tracks that indexing adds join the map.
 * #library's data-folders is the number of folders of the last answer (for tests).
 */

import { getLibraryStatus } from "./api.js";
import { factList, progressBar } from "./facts.js";
import { formatDuration, formatTime, isFiniteNumber, plural } from "./format.js";
import { el, fill, h } from "./page.js";
import { loadPoints } from "./points.js";
import { state } from "./state.js";
import { clearError, showError } from "./status.js";

/** @typedef {import("./api.js").LibraryStatus} LibraryStatus */

const LIBRARY_SCANNING_MS = 3000;
const LIBRARY_IDLE_MS = 30000;

export async function pollLibrary() {
    const library = state.library;
    if (library.busy) return;
    clearTimeout(library.timer);
    library.busy = true;
    let scanning = false;
    try {
        const status = (await getLibraryStatus()) || {};
        clearError("library");
        const folders = Array.isArray(status.folders) ? status.folders : [];
        scanning = folders.length > 0 && status.scanning === true;
        renderLibrary(status, folders);
        const indexed = isFiniteNumber(status.indexed) ? status.indexed : null;
        // New tracks wait for the next layout: /map/points says "pending" and is asked again until they are placed.
        if (library.indexed !== null && indexed !== null && indexed !== library.indexed) loadPoints();
        library.indexed = indexed;
    } catch (e) {
        showError("library", e, "Library status");
    } finally {
        library.busy = false;
    }
    library.timer = setTimeout(pollLibrary, scanning ? LIBRARY_SCANNING_MS : LIBRARY_IDLE_MS);
}

/**
 * @param {Partial<LibraryStatus>} status
 * @param {string[]} folders
 */
function renderLibrary(status, folders) {
    el.library.dataset.folders = String(folders.length);
    el.library.hidden = folders.length === 0;
    if (!folders.length) return;
    const num = (/** @type {unknown} */ v) => (isFiniteNumber(v) ? v : 0);
    const seen = num(status.seen), indexed = num(status.indexed), waiting = num(status.waiting), unreadable = num(status.unreadable);
    const scanning = status.scanning === true;
    const facts = factList();

    facts.add("Indexed", `${indexed} of ${plural(seen, "file", "files")}`,
        ...(seen > 0 ? [h("br"), progressBar(indexed, seen, "Files indexed")] : []));
    if (waiting > 0 || scanning) facts.add("Waiting", String(waiting));
    if (unreadable > 0) facts.add("Unreadable", `${unreadable} `, h("a", { href: "/library/problems", target: "_blank", rel: "noopener" }, "why"));
    if (scanning) {
        const rate = num(status.tracksPerMinute);
        if (rate > 0) facts.add("Speed", `${Math.round(rate)} tracks/min`);
        facts.add("ETA", isFiniteNumber(status.etaSeconds) ? `about ${formatDuration(status.etaSeconds)}` : "unknown");
        if (status.lastScanStarted) facts.add("Started", formatTime(status.lastScanStarted));
    }
    if (status.lastScanFinished) facts.add("Last scan", `finished ${formatTime(status.lastScanFinished)}`);

    fill(el.librarySummary,
        h("p", { class: "job-line" },
            h("strong", {}, plural(folders.length, "folder", "folders")),
            h("span", { class: `badge state-${scanning ? "scanning" : "idle"}` }, scanning ? "scanning" : "idle")),
        h("p", { class: "library-folders muted" }, folders.join(" · ")),
        facts.element());
}

export function initLibrary() {
    document.addEventListener("visibilitychange", () => { if (!document.hidden) pollLibrary(); });
}
