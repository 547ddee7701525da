// @ts-check
/* The name–value lists of the side panels (training, library): <dl class="facts">, with progress bars. */

import { h } from "./page.js";

/** Collects facts in order; element() is the list, or null when there is none. */
export function factList() {
    /** @type {HTMLElement[]} */
    const items = [];
    return {
        /**
         * @param {string} name
         * @param {...(string | Node)} value
         */
        add(name, ...value) { items.push(h("dt", {}, name), h("dd", {}, ...value)); },
        element: () => (items.length ? h("dl", { class: "facts" }, items) : null),
    };
}

/**
 * @param {number} value
 * @param {number} max
 * @param {string} label   what the bar measures, for screen readers
 */
export const progressBar = (value, max, label) => h("progress", { value: Math.min(value, max), max, "aria-label": label });
