// @ts-check
/* The rows of the page's track lists (#search-results, #neighbours), each with the track's colour on the map. */

import { mapView } from "./page.js";
import { state } from "./state.js";

/**
 * @param {string} id
 * @param {string} title
 * @param {string | null | undefined} artist
 * @param {Node | null} [extra]   shown at the end of the row
 */
export function trackRow(id, title, artist, extra) {
    return mapView.trackRow({
        id, title, subtitle: artist || "unknown artist", color: state.scatter.colorOf(id), current: state.selection.id === id, extra,
    });
}

/** The swatches in the lists show each track's colour on the map: again after a recolouring. */
export function refreshSwatches() {
    for (const li of document.querySelectorAll(".track-list li[data-track-id]")) {
        const swatch = li.querySelector(".swatch");
        if (swatch instanceof HTMLElement && li instanceof HTMLElement)
            swatch.style.background = state.scatter.colorOf(li.dataset.trackId || "") || "transparent";
    }
}
