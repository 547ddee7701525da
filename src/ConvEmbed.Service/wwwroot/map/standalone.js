/*
 * Bootstrap of the offline map file written by `convembed map`: reads window.CONVEMBED_MAP = {title, points: [{id, x, y,
 * title, label}]} (label = the colour category), draws it with ConvEmbedScatter in #map, fills #legend, shows tooltips,
 * and on a click lists the 10 nearest points in the 2-D layout in #neighbours. Exposes window.convembedMap = the scatter.
 */
(function () {
    "use strict";

    const NEAREST = 10;
    const MAX_MATCHES = 20;
    const FOCUS_ZOOM = 4;

    const $ = id => document.getElementById(id);

    const h = ConvEmbedScatter.h;

    const data = window.CONVEMBED_MAP && typeof window.CONVEMBED_MAP === "object" ? window.CONVEMBED_MAP : {};
    const title = typeof data.title === "string" && data.title ? data.title : "ConvEmbed map";
    document.title = title;
    $("title").textContent = title;

    const points = [];
    for (const p of Array.isArray(data.points) ? data.points : []) {
        if (!p || p.id === undefined || p.id === null) continue;
        const label = p.label === undefined || p.label === null ? "" : String(p.label);
        points.push({
            id: String(p.id), x: p.x, y: p.y,
            title: p.title ? String(p.title) : String(p.id),
            label,
            subtitle: label || "unknown",
        });
    }
    const titles = points.map(p => p.title.toLowerCase());

    const scatter = ConvEmbedScatter.create($("map"), {
        points,
        colorKey: p => p.label,
        tooltip: $("tooltip"),
        legend: $("legend"),
        onClick: p => select(p.id, false),
    });
    scatter.redraw();
    window.convembedMap = scatter;

    const drawn = scatter.pointCount();
    const categories = scatter.categories().reduce((n, c) => n + (c.categories || (c.name === "unknown" ? 0 : 1)), 0);
    $("summary").textContent = `${drawn} point${drawn === 1 ? "" : "s"} · ${categories} categor${categories === 1 ? "y" : "ies"}`;
    if (drawn === 0) {
        const message = $("map-message");
        message.replaceChildren(h("div", {}, h("h2", {}, "Nothing to show"), h("p", {}, "This map has no points.")));
        message.hidden = false;
    }

    let selectedId = null;

    function item(p, extra) {
        return h("li", { dataset: { trackId: p.id }, "aria-current": p.id === selectedId ? "true" : null },
            h("button", { type: "button" },
                h("span", { class: "swatch", "aria-hidden": "true", style: { background: scatter.colorOf(p.id) || "transparent" } }),
                h("span", { class: "track-main" },
                    h("span", { class: "track-title" }, p.title),
                    h("span", { class: "track-artist" }, p.label || "unknown")),
                extra || null));
    }

    // Selects a point: highlights it and its nearest points in 2-D, and lists them.
    function select(id, focus) {
        const p = scatter.point(id);
        if (!p) return;
        selectedId = p.id;
        const near = scatter.nearby(p.id, NEAREST);
        scatter.highlight(near.map(n => n.point.id), p.id);
        if (focus) scatter.focus(p.id, { zoom: FOCUS_ZOOM });
        else scatter.focus(p.id, { onlyIfHidden: true });
        $("selected").replaceChildren(
            h("p", { class: "selected-title" }, p.title),
            h("p", { class: "selected-artist" }, p.label || "unknown"));
        $("neighbours").replaceChildren(...near.map(n =>
            item(n.point, h("span", { class: "track-score", title: "distance on the map" }, n.distance.toPrecision(3)))));
        $("neighbours-info").textContent = near.length ? "" : "There is no other point on this map.";
        for (const li of document.querySelectorAll("#search-results li[data-track-id]")) {
            if (li.dataset.trackId === selectedId) li.setAttribute("aria-current", "true");
            else li.removeAttribute("aria-current");
        }
    }

    function listClick(event, focus) {
        const li = event.target.closest("li[data-track-id]");
        if (li && event.currentTarget.contains(li)) select(li.dataset.trackId, focus);
    }
    $("neighbours").addEventListener("click", e => listClick(e, false));
    $("search-results").addEventListener("click", e => listClick(e, true));

    // ---- search: titles containing the text, those starting with it first ------------------------------------------

    const search = $("search");
    let matches = [];

    function runSearch() {
        const query = search.value.trim(), q = query.toLowerCase();
        matches = [];
        if (q) {
            const starts = [], contains = [];
            let total = 0;
            for (let i = 0; i < titles.length; i++) {
                const at = titles[i].indexOf(q);
                if (at < 0) continue;
                total++;
                (at === 0 ? starts : contains).push(i);
            }
            const byTitle = (a, b) => (titles[a] < titles[b] ? -1 : titles[a] > titles[b] ? 1 : a - b);
            // Sorting every match of a one-letter query is still only a few ms at 100 000 titles.
            matches = [...starts.sort(byTitle), ...contains.sort(byTitle)].slice(0, MAX_MATCHES).map(i => points[i]);
            $("search-info").textContent = total === 0 ? `No title contains “${query}”.`
                : total > MAX_MATCHES ? `${total} matches, showing the first ${MAX_MATCHES}.`
                : `${total} match${total === 1 ? "" : "es"}`;
        } else {
            $("search-info").textContent = "";
        }
        $("search-results").replaceChildren(...matches.map(p => item(p)));
    }

    search.addEventListener("input", runSearch);
    search.addEventListener("keydown", e => {
        if (e.key === "Enter") {
            e.preventDefault();
            if (matches.length) select(matches[0].id, true);
        } else if (e.key === "ArrowDown") {
            const first = $("search-results").querySelector("button");
            if (first) { e.preventDefault(); first.focus(); }
        }
    });
    $("search-results").addEventListener("keydown", e => {
        if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
        const buttons = [...$("search-results").querySelectorAll("button")];
        const i = buttons.indexOf(document.activeElement);
        if (i < 0) return;
        e.preventDefault();
        if (e.key === "ArrowDown") (buttons[i + 1] || buttons[i]).focus();
        else if (i === 0) search.focus();
        else buttons[i - 1].focus();
    });

    for (const b of document.querySelectorAll(".map-controls button[data-action]")) {
        b.addEventListener("click", () => {
            if (b.dataset.action === "zoom-in") scatter.zoomBy(1.5);
            else if (b.dataset.action === "zoom-out") scatter.zoomBy(1 / 1.5);
            else scatter.fit();
        });
    }
})();
