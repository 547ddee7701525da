// @ts-check
/*
 * A radio from the selected track (#radio-start): POST /radio with it as the seed, the playlist listed in #radio-list
 * in the service's order and highlighted on the map; the player goes through it in order, from the row clicked on.
 * A track played from elsewhere (a click on the map, a neighbour) stops the radio from moving on. #radio-download
 * saves the same radio as M3U8.
 */

import { ApiError, postRadio, postRadioM3u8 } from "./api.js";
import { formatSimilarity, plural } from "./format.js";
import { el, h, mapView } from "./page.js";
import { playTrack } from "./player.js";
import { state } from "./state.js";
import { clearError, showError } from "./status.js";
import { trackRow } from "./tracklist.js";

/** @typedef {import("./api.js").RadioItem} RadioItem */

const RADIO_COUNT = 30;

/** @param {string} id */
const titleOf = id => (state.map.byId.get(id) || state.selection.neighbourInfo.get(id) || { title: id }).title;

/** Offers a radio from the selected track. */
export function offerRadio() {
    el.radioStart.hidden = !state.selection.id;
}

/**
 * Makes a radio from seed, lists it and plays its first track.
 * @param {string} seed
 */
export async function startRadio(seed) {
    const radio = state.radio;
    const seq = ++radio.seq;
    radio.seed = seed;
    radio.items = [];
    radio.index = -1;
    setDownload(null);
    el.radioDownload.hidden = true;
    el.radio.hidden = false;
    el.radioList.replaceChildren();
    el.radioList.setAttribute("aria-busy", "true");
    el.radioInfo.textContent = `Making a radio from “${titleOf(seed)}”…`;
    try {
        const body = await postRadio(seed, RADIO_COUNT);
        if (seq !== radio.seq) return;   // a newer radio was asked for meanwhile
        clearError("radio");
        radio.items = body && Array.isArray(body.items) ? body.items.filter(i => i && i.id !== undefined && i.id !== null) : [];
        renderRadio();
        if (radio.items.length) playAt(0);
    } catch (e) {
        if (seq !== radio.seq) return;
        showError("radio", e, "Radio");
        el.radioInfo.textContent = `The radio could not be made: ${e instanceof ApiError ? e.title : "unexpected error"}`;
    } finally {
        if (seq === radio.seq) el.radioList.removeAttribute("aria-busy");
    }
}

function renderRadio() {
    const { items, seed } = state.radio;
    el.radioList.replaceChildren(...items.map(i => {
        const id = String(i.id);
        return trackRow(id, i.title || id, i.artist,
            h("span", { class: "track-score", title: "cosine similarity to the seed" }, formatSimilarity(i.similarity)));
    }));
    el.radioDownload.hidden = items.length === 0;
    el.radioInfo.textContent = items.length
        ? `${plural(items.length, "track", "tracks")} like “${titleOf(seed || "")}”, in the order they play.`
        : "No other track to play yet.";
    highlightRadio();
}

function highlightRadio() {
    const { items, seed } = state.radio;
    state.scatter.highlight(items.map(i => String(i.id)), seed);
}

/**
 * Plays the radio's track at index and goes on from there.
 * @param {number} index
 */
function playAt(index) {
    const radio = state.radio;
    const item = radio.items[index];
    if (!item) return;
    radio.index = index;
    const id = String(item.id);
    playTrack(id, item.title, item.audioUrl);
    for (const li of el.radioList.querySelectorAll("li[data-track-id]"))
        li.classList.toggle("now-playing", li instanceof HTMLElement && li.dataset.trackId === id);
    highlightRadio();
}

/** Whether the player still plays the radio's current track (and not one picked elsewhere). */
function radioIsPlaying() {
    const { items, index } = state.radio;
    const playing = state.selection.playing;
    return index >= 0 && index < items.length && !!playing && playing.id === String(items[index].id);
}

/** @param {string | null} url   the object URL of the M3U8 text, or null: fetched on the next click */
function setDownload(url) {
    const link = el.radioDownload;
    if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = url || "#";
}

async function download(/** @type {MouseEvent} */ event) {
    const link = el.radioDownload, { seed, seq } = state.radio;
    if (link.href.startsWith("blob:") || !seed) return;   // the browser saves the file
    event.preventDefault();
    try {
        const text = await postRadioM3u8(seed, RADIO_COUNT);
        if (seq !== state.radio.seq) return;
        clearError("radio");
        setDownload(URL.createObjectURL(new Blob([text], { type: "audio/x-mpegurl" })));
        link.click();
    } catch (e) {
        showError("radio", e, "Radio playlist");
    }
}

export function initRadio() {
    el.radioStart.addEventListener("click", () => { if (state.selection.id) startRadio(state.selection.id); });
    mapView.onRowClick(el.radioList, id => playAt(state.radio.items.findIndex(i => String(i.id) === id)));
    el.player.addEventListener("ended", () => {
        if (!radioIsPlaying()) return;
        const next = state.radio.index + 1;
        if (next < state.radio.items.length) playAt(next);
        else el.radioInfo.textContent = "The radio has played every track.";
    });
    el.radioDownload.addEventListener("click", download);
}
