// @ts-check
/*
 * The live library map served at /map/: every track of the library placed by the active model, coloured by artist or
 * tag; search by title, select a track to hear it, list its nearest neighbours and play a radio from it; the training
 * job's progress and the library's indexing. This module wires the others: points.js (the map), selection.js,
 * player.js, radio.js, search.js, colours.js, training.js, library.js, around the one state object of state.js; api.js
 * speaks to the service, status.js writes #status.
 *
 * For tests: window.convembedMap = { scatter, ready, select(id) → Promise (resolved once the neighbours are listed),
 * colorBy("artist" | "tag") }, and document.body.dataset.state = the state of the last /map/points answer.
 */

import { colorBy, colorKeys } from "./colours.js";
import { el, mapView, missingComponent, scatterLibrary } from "./page.js";
import { initLibrary, pollLibrary } from "./library.js";
import { initPlayer } from "./player.js";
import { loadPoints } from "./points.js";
import { initRadio } from "./radio.js";
import { initSearch } from "./search.js";
import { initSelection, select } from "./selection.js";
import { state } from "./state.js";
import { renderStatus } from "./status.js";
import { initTraining, pollTraining } from "./training.js";

if (missingComponent) {
    const error = document.createElement("span");
    error.className = "error";
    error.textContent = `The map component did not load (${missingComponent} is missing)`;
    el.status.replaceChildren(error);
    el.status.classList.remove("busy");
} else {
    state.colorMode = el.colorBy.value === "tag" ? "tag" : "artist";   // the browser may restore the select's value
    state.scatter = scatterLibrary.create(el.map, {
        points: [],
        colorKey: colorKeys[state.colorMode],
        tooltip: el.tooltip,
        legend: el.legend,
        onClick: p => { select(p.id); },
    });
    /** @type {any} */ (window).convembedMap = {
        scatter: state.scatter,
        get ready() { return state.map.ready; },
        select: (/** @type {string} */ id) => select(id),
        colorBy,
    };

    initSelection();
    initPlayer();
    initRadio();
    initSearch();
    initTraining();
    initLibrary();
    mapView.bindToolbar(state.scatter);
    el.colorBy.addEventListener("change", () => colorBy(el.colorBy.value));
    el.reload.addEventListener("click", () => loadPoints());

    renderStatus();
    loadPoints();
    pollTraining();
    pollLibrary();
}
