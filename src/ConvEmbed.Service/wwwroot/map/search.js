// @ts-check
/* Find a track by title (#search, mapview.js's trackFinder over the map's titles); "/" anywhere jumps to the field. */

import { el, mapView } from "./page.js";
import { select } from "./selection.js";
import { state } from "./state.js";
import { trackRow } from "./tracklist.js";

export function initSearch() {
    state.finder = mapView.trackFinder({
        titles: () => state.map.titles,
        row: i => {
            const p = state.map.points[i];
            return trackRow(p.id, p.title, p.artist);
        },
        onPick: i => { select(state.map.points[i].id, { focus: true }); },
    });
    document.addEventListener("keydown", e => {
        if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
        const t = e.target;
        if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
        e.preventDefault();
        el.search.focus();
    });
}

/** Searches again when there is a query: the points changed. */
export function refreshSearch() {
    if (state.finder && el.search.value.trim()) state.finder.run();
}
