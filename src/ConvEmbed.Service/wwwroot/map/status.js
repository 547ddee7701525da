// @ts-check
/* The status line (#status): the latest news, after the errors that still hold, one per source. */

import { ApiError } from "./api.js";
import { el, h } from "./page.js";
import { state } from "./state.js";

/**
 * @param {string} text
 * @param {boolean} busy   something is under way (the line shows it)
 */
export function setStatus(text, busy) {
    state.status.text = text;
    state.status.busy = !!busy;
    renderStatus();
}

/**
 * Shows an error until clearError(source).
 * @param {string} source    e.g. "map", "similar", "audio", "training"
 * @param {unknown} error
 * @param {string} [context] what failed, in words
 */
export function showError(source, error, context) {
    const e = error instanceof ApiError ? error : new ApiError("Unexpected error", error instanceof Error ? error.message : null, 0);
    state.status.errors.set(source, { error: e, context });
    renderStatus();
}

/** @param {string} source */
export function clearError(source) {
    if (state.status.errors.delete(source)) renderStatus();
}

export function renderStatus() {
    const { errors, text, busy } = state.status;
    /** @type {(Node | string)[]} */
    const parts = [];
    for (const { error, context } of errors.values()) {
        const line = `${context ? `${context}: ` : ""}${error.title}${error.detail ? ` (${error.detail})` : ""}`;
        parts.push(h("span", { class: "error" }, line), " · ");
    }
    el.status.replaceChildren(...parts, text);
    el.status.classList.toggle("busy", busy && errors.size === 0);
}
