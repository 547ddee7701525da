/*
 * Bootstrap of the offline map file written by `convembed map`: reads window.CONVEMBED_MAP = {title, points: [{id, x, y,
 * title, label}]} (label = the colour category), draws it with ConvEmbedScatter in #map, fills #legend, shows tooltips,
 * and on a click lists the 10 nearest points in the 2-D layout in #neighbours. The toolbar, the title search and the
 * track lists are ConvEmbedMapView's, as on the service's page. Exposes window.convembedMap = the scatter.
 */
(function () {
    "use strict";

    const NEAREST = 10;
    const FOCUS_ZOOM = 4;

    const $ = id => document.getElementById(id);

    const h = ConvEmbedScatter.h;
    const view = ConvEmbedMapView;

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
        return view.trackRow({ id: p.id, title: p.title, subtitle: p.label || "unknown", color: scatter.colorOf(p.id),
            current: p.id === selectedId, extra });
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
        view.markCurrent(selectedId);
    }

    view.onRowClick($("neighbours"), id => select(id, false));
    view.onRowClick($("search-results"), id => select(id, true));
    view.trackFinder({ titles: () => titles, row: i => item(points[i]), onPick: i => select(points[i].id, true) });
    view.bindToolbar(scatter);
})();
