/*
 * ConvEmbedMapView: what both map pages (the service's /map/ and the offline map.html of `convembed map`) build the same
 * way around a ConvEmbedScatter plot. A classic script like scatter.js, and after it, so that the CLI can inline both.
 *
 * When it runs (after the page's markup, before the page's own script) it fills the page's slots:
 *   <div class="map-area" data-map-view data-fit-title="…" data-help="…"><div class="map-canvas"><canvas id="map">…
 *       the view toolbar before the canvas (.map-controls: zoom in, zoom out, fit) and, over it, div#map-message (hidden)
 *   <section class="panel" data-track-finder data-placeholder="…">
 *       "Find a track": input#search, p#search-info, ul#search-results
 * and offers the page's script:
 *   bindToolbar(scatter)                   the toolbar's buttons zoom and fit that plot
 *   trackRow({id, title, subtitle, color, current, extra})
 *                                          a row of a track list: <li data-track-id><button> swatch, title, subtitle, extra
 *   onRowClick(list, id => {})             a click on one of the list's rows
 *   markCurrent(id)                        aria-current on that track's rows in the page's lists (.track-list), off elsewhere
 *   trackFinder({titles, row, onPick})     the title search of #search. titles(): the points' titles in lower case;
 *                                          row(index): the row of a match; onPick(index): Enter in the field (the best
 *                                          match). Returns {run()}: run() searches again, e.g. after the points changed
 */
(function (global) {
    "use strict";

    const MAX_MATCHES = 20;

    const h = global.ConvEmbedScatter.h;

    function fillMapView(slot) {
        slot.prepend(h("div", { class: "map-controls", role: "toolbar", "aria-label": "Map view" },
            h("button", { type: "button", dataset: { action: "zoom-in" }, title: "Zoom in (+)", "aria-label": "Zoom in" }, "+"),
            h("button", { type: "button", dataset: { action: "zoom-out" }, title: "Zoom out (−)", "aria-label": "Zoom out" }, "−"),
            h("button", { type: "button", dataset: { action: "fit" }, title: slot.dataset.fitTitle || "Show every point (0)" }, "Fit"),
            h("span", { class: "map-help" }, slot.dataset.help || "")));
        const canvas = slot.querySelector(".map-canvas");
        if (canvas) canvas.append(h("div", { id: "map-message", class: "map-message", hidden: true }));
    }

    function fillTrackFinder(slot) {
        slot.setAttribute("aria-labelledby", "search-heading");
        slot.replaceChildren(
            h("h2", { id: "search-heading" }, "Find a track"),
            h("label", { class: "field-label", for: "search" }, "Title contains"),
            h("input", {
                id: "search", type: "search", autocomplete: "off", spellcheck: "false", placeholder: slot.dataset.placeholder || null,
                "aria-controls": "search-results", "aria-describedby": "search-info",
            }),
            h("p", { id: "search-info", class: "hint", "aria-live": "polite" }),
            h("ul", { id: "search-results", class: "track-list", "aria-label": "Matching tracks" }));
    }

    function bindToolbar(scatter) {
        for (const b of document.querySelectorAll(".map-controls button[data-action]")) {
            b.addEventListener("click", () => {
                const action = b.dataset.action;
                if (action === "zoom-in") scatter.zoomBy(1.5);
                else if (action === "zoom-out") scatter.zoomBy(1 / 1.5);
                else scatter.fit();
            });
        }
    }

    function trackRow({ id, title, subtitle, color, current, extra }) {
        return h("li", { dataset: { trackId: id }, "aria-current": current ? "true" : null },
            h("button", { type: "button" },
                h("span", { class: "swatch", "aria-hidden": "true", style: { background: color || "transparent" } }),
                h("span", { class: "track-main" },
                    h("span", { class: "track-title" }, title),
                    h("span", { class: "track-artist" }, subtitle)),
                extra || null));
    }

    function onRowClick(list, handler) {
        list.addEventListener("click", event => {
            const li = event.target instanceof Element ? event.target.closest("li[data-track-id]") : null;
            if (li && list.contains(li)) handler(li.dataset.trackId);
        });
    }

    function markCurrent(id) {
        for (const li of document.querySelectorAll(".track-list li[data-track-id]")) {
            if (li.dataset.trackId === id) li.setAttribute("aria-current", "true");
            else li.removeAttribute("aria-current");
        }
    }

    function trackFinder({ titles, row, onPick }) {
        const input = document.getElementById("search");
        const info = document.getElementById("search-info");
        const results = document.getElementById("search-results");
        let matches = [];   // indices of the points listed

        // Titles that contain the query (case-insensitive); those starting with it first, then alphabetically.
        function run() {
            const query = input.value.trim(), q = query.toLowerCase();
            matches = [];
            if (!q) {
                results.replaceChildren();
                info.textContent = "";
                return;
            }
            const best = [];   // [rank, lowercase title, index], sorted, at most MAX_MATCHES
            const before = (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]);
            const all = titles();
            let total = 0;
            for (let i = 0; i < all.length; i++) {
                const at = all[i].indexOf(q);
                if (at < 0) continue;
                total++;
                const entry = [at === 0 ? 0 : 1, all[i], i];
                if (best.length === MAX_MATCHES && before(entry, best[best.length - 1]) >= 0) continue;
                let pos = best.length;
                while (pos > 0 && before(entry, best[pos - 1]) < 0) pos--;
                best.splice(pos, 0, entry);
                if (best.length > MAX_MATCHES) best.pop();
            }
            matches = best.map(b => b[2]);
            results.replaceChildren(...matches.map(i => row(i)));
            info.textContent = total === 0 ? `No title contains “${query}”.`
                : total > MAX_MATCHES ? `${total} matches, showing the first ${MAX_MATCHES}.`
                : `${total} ${total === 1 ? "match" : "matches"}`;
        }

        input.addEventListener("input", run);
        input.addEventListener("keydown", e => {
            if (e.key === "Enter") {
                e.preventDefault();
                if (matches.length) onPick(matches[0]);
            } else if (e.key === "ArrowDown") {
                const first = results.querySelector("button");
                if (first) { e.preventDefault(); first.focus(); }
            }
        });
        // Arrow keys move between the matches; up from the first one returns to the field.
        results.addEventListener("keydown", e => {
            if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
            const buttons = [...results.querySelectorAll("button")];
            const i = buttons.indexOf(document.activeElement);
            if (i < 0) return;
            e.preventDefault();
            if (e.key === "ArrowDown") (buttons[i + 1] || buttons[i]).focus();
            else if (i === 0) input.focus();
            else buttons[i - 1].focus();
        });
        return { run };
    }

    for (const slot of document.querySelectorAll("[data-map-view]")) fillMapView(slot);
    for (const slot of document.querySelectorAll("[data-track-finder]")) fillTrackFinder(slot);

    global.ConvEmbedMapView = Object.freeze({ bindToolbar, trackRow, onRowClick, markCurrent, trackFinder });
})(typeof window !== "undefined" ? window : globalThis);
