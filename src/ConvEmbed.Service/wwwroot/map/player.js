// @ts-check
/* The audio player (#player): plays the selected track and says why when it cannot. */

import { ApiError, audioUrl, problemOf } from "./api.js";
import { el } from "./page.js";
import { state } from "./state.js";
import { clearError, showError } from "./status.js";

/**
 * @param {string} id
 * @param {string | null | undefined} title
 * @param {string} [url]   where the service streams it (GET /tracks/{id}/audio by default)
 */
export function playTrack(id, title, url) {
    state.selection.playing = { id, title: title || id };
    clearError("audio");
    el.playerNote.textContent = "";
    el.player.src = url || audioUrl(id);
    const attempt = el.player.play();
    if (attempt && typeof attempt.catch === "function") {
        attempt.catch(err => {
            // AbortError: a newer track replaced this one. NotSupportedError: the "error" event reports it.
            const playing = state.selection.playing;
            if (err && err.name === "NotAllowedError" && playing && playing.id === id)
                el.playerNote.textContent = "The browser did not allow autoplay: press play to listen.";
        });
    }
}

export function initPlayer() {
    // A media element only says that it failed: ask the URL again for the problem's title.
    el.player.addEventListener("error", async () => {
        const failed = state.selection.playing, url = el.player.getAttribute("src");
        if (!failed || !url) return;
        let error = new ApiError("The browser cannot play this audio", el.player.error && el.player.error.message, 0);
        const abort = new AbortController();
        try {
            const res = await fetch(url, { signal: abort.signal, cache: "no-store" });
            if (!res.ok) error = await problemOf(res);
        } catch (e) {
            error = new ApiError("The audio could not be loaded", e instanceof Error ? e.message : null, 0);
        } finally {
            abort.abort();   // the body of a successful answer is not needed
        }
        if (state.selection.playing !== failed) return;
        showError("audio", error, `Audio of “${failed.title}”`);
    });
}
