// @ts-check
/*
 * The training panel (#training): the latest job of GET /training/current, polled faster while it is open (the
 * service's `open`), with its loss curve. A job that ends may have changed the active model, and so the map.
 */

import { getTrainingStatus } from "./api.js";
import { formatDuration, formatNumber, formatTime, isFiniteNumber, plural } from "./format.js";
import { factList, progressBar as bar } from "./facts.js";
import { drawLoss } from "./losschart.js";
import { el, fill, h } from "./page.js";
import { loadPoints } from "./points.js";
import { state } from "./state.js";
import { clearError, showError } from "./status.js";

/** @typedef {import("./api.js").TrainingJob} TrainingJob */

const TRAINING_IDLE_MS = 5000;
const TRAINING_OPEN_MS = 2000;    // while a job is queued or running

export async function pollTraining() {
    const training = state.training;
    if (training.busy) return;
    clearTimeout(training.timer);
    training.busy = true;
    let open = false;
    try {
        const body = await getTrainingStatus();
        clearError("training");
        const job = body && body.job ? body.job : null;
        open = !!job && job.open === true; // the service says which states are open
        renderTraining(job, open);
        if (training.wasOpen && !open) loadPoints();
        training.wasOpen = open;
        training.seen = true;
    } catch (e) {
        showError("training", e, "Training status");
        if (!training.seen) el.trainingSummary.replaceChildren(h("p", { class: "muted" }, "The training status is unavailable."));
        open = training.wasOpen;
    } finally {
        training.busy = false;
    }
    training.timer = setTimeout(pollTraining, open ? TRAINING_OPEN_MS : TRAINING_IDLE_MS);
}

/**
 * @param {TrainingJob | null} job
 * @param {boolean} open
 */
function renderTraining(job, open) {
    const training = state.training;
    if (!job) {
        training.hasJob = false;
        training.loss = null;
        el.trainingSummary.replaceChildren(h("p", { class: "muted" }, "No training job yet"));
        redrawLoss();
        return;
    }
    const pr = job.progress || /** @type {Partial<TrainingJob["progress"]>} */ ({});
    const facts = factList(), fact = facts.add;

    if (isFiniteNumber(pr.step)) {
        if (isFiniteNumber(pr.totalSteps) && pr.totalSteps > 0) {
            const pct = Math.min(100, Math.floor((100 * pr.step) / pr.totalSteps));
            fact("Step", `${pr.step} / ${pr.totalSteps} (${pct} %)`, h("br"), bar(pr.step, pr.totalSteps, "Training steps"));
        } else {
            fact("Step", String(pr.step));
        }
    }
    if (isFiniteNumber(pr.elapsedSeconds)) fact("Elapsed", formatDuration(pr.elapsedSeconds));
    if (open && job.state !== "queued") fact("ETA", isFiniteNumber(pr.etaSeconds) ? `about ${formatDuration(pr.etaSeconds)}` : "unknown");
    if (isFiniteNumber(pr.stepsPerSecond) && pr.stepsPerSecond > 0) fact("Speed", `${pr.stepsPerSecond.toFixed(2)} steps/s`);
    /** @type {[number, number][]} */
    const loss = Array.isArray(pr.loss) ? pr.loss.filter(p => Array.isArray(p) && isFiniteNumber(p[0]) && isFiniteNumber(p[1])) : [];
    if (loss.length) fact("Loss", `${formatNumber(loss[loss.length - 1][1])} at step ${loss[loss.length - 1][0]}`);
    // Re-embedding follows training: show it once it started (or for a job that only re-embeds).
    const reembedding = job.state === "reembedding" || job.kind === "reembed" || pr.reembedded > 0;
    if (reembedding && isFiniteNumber(pr.tracks) && pr.tracks > 0 && isFiniteNumber(pr.reembedded)) {
        fact("Re-embedded", `${pr.reembedded} of ${plural(pr.tracks, "track", "tracks")}`, h("br"),
            bar(pr.reembedded, pr.tracks, "Tracks re-embedded"));
    }
    if (pr.precision) fact("Precision", String(pr.precision));
    if (job.startedAt) fact("Started", formatTime(job.startedAt));
    else if (job.createdAt) fact("Queued", formatTime(job.createdAt));
    if (job.finishedAt) fact("Finished", formatTime(job.finishedAt));

    fill(el.trainingSummary,
        h("p", { class: "job-line" },
            h("strong", {}, `Job #${job.id}`),
            h("span", { class: "muted" }, job.kind === "reembed" ? "re-embedding" : "training"),
            h("span", { class: `badge state-${job.state}` }, job.state)),
        facts.element(),
        job.error ? h("p", { class: "job-error", role: "alert" }, job.error) : null,
        job.stale ? h("p", { class: "job-error" }, job.stale) : null);
    training.hasJob = true;
    training.loss = loss;
    redrawLoss();
}

function redrawLoss() {
    drawLoss(el.loss, state.training.loss || [], state.training.hasJob);
}

export function initTraining() {
    document.addEventListener("visibilitychange", () => { if (!document.hidden) pollTraining(); });
    if (typeof ResizeObserver === "function") new ResizeObserver(() => redrawLoss()).observe(el.loss);
}
