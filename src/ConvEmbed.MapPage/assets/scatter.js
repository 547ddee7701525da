/*
 * ConvEmbedScatter: a canvas scatter plot for up to 100 000+ points, without dependencies.
 * A classic script (no modules), so that it can be inlined into a standalone HTML file.
 *
 *   const s = ConvEmbedScatter.create(canvas, {
 *     points,                 // [{id, x, y, title, subtitle, ...}]: x, y in data units, any range; other fields are kept
 *     colorKey: p => "...",   // category of a point; "" / null / undefined = "unknown" (grey)
 *     tooltip: element,       // optional: the component fills it (title, subtitle) and moves it next to the cursor
 *     legend: element,        // optional: filled with one .legend-item[data-category] row per category
 *     onClick: point => {},   // a click without drag on a point
 *     onHover: point => {},   // the point under the cursor changed (null = none)
 *     pointSize: 3,           // optional: side of a point's square in CSS px (default: 3 to 6 depending on the count)
 *   });
 *
 *   s.setPoints(points, {keepView})  replaces the points; keepView: true keeps zoom and pan if the user had moved the
 *                                    view (otherwise, and by default, the new points are fitted)
 *   s.setColorKey(fn)                recolours the points and rebuilds the legend
 *   s.highlight(ids, selectedId)     draws these points (array or Set of ids) on top, larger, outlined; and one selected
 *                                    point larger still, linked to them. highlight([], null) clears
 *   s.fit()                          zooms to show every point
 *   s.focus(id, {zoom, onlyIfHidden}) centres the map on a point; zoom = at least this many times the fitted scale;
 *                                    onlyIfHidden = do nothing when the point is already well inside the view
 *   s.zoomBy(factor)                 zooms around the centre
 *   s.focusCategory(name | null)     dims every other category (the legend rows toggle this too)
 *   s.redraw()                       draws now (drawing is otherwise batched into animation frames)
 *   s.colorOf(id)                    "#rrggbb" of that point now, or null
 *   s.screenPosition(id)             {x, y} in CSS pixels relative to the viewport (what a mouse click takes),
 *                                    or null when the point is unknown or outside the canvas
 *   s.point(id)                      the point object given for that id, or null
 *   s.nearby(id, k)                  the k points nearest to it on the map: [{point, distance}] (data units), nearest first
 *   s.pointCount()                   number of points drawn (points with finite x and y; also after zooming in)
 *   s.categories()                   [{name, color, count}]: coloured categories by count (most common first),
 *                                    then "other" (the rest, with a categories field) and "unknown" when present
 *   s.view() / s.setView(v)          {cx, cy, k}: data coordinates of the centre and CSS pixels per data unit
 *   s.destroy()                      removes listeners and observers
 *
 * The canvas gets data-points = pointCount() after every draw. Keyboard (the canvas is focusable): + and - zoom,
 * arrows pan, 0 fits. Wheel zooms around the cursor, dragging pans (a press that moves less than 4 px is a click),
 * two fingers pinch. Hover and click pick the nearest point within 8 px (highlighted points first), through a uniform
 * grid over the data; the tooltip says how many more points share the exact same coordinates.
 *
 * Size the canvas with CSS (e.g. position: absolute; inset: 0 in a positioned box): its drawing buffer follows its CSS
 * size times devicePixelRatio. Colours: ConvEmbedScatter.palette (20 colours, given to the categories by count),
 * ConvEmbedScatter.unknownColor and ConvEmbedScatter.otherColor (greys).
 */
(function (global) {
    "use strict";

    // A fixed qualitative palette, most distinct colours first: the most common categories get them.
    const PALETTE = [
        "#1c5fd1", "#f76707", "#2b8a3e", "#e03131", "#7048e8",
        "#0c8599", "#d6336c", "#8d5a2b", "#f2b705", "#74b816",
        "#74c0fc", "#ffa94d", "#69db7c", "#ff8787", "#b197fc",
        "#3bc9db", "#f783ac", "#d2a679", "#1b2a6b", "#ae3ec9",
    ];
    const UNKNOWN_COLOR = "#9aa0a6";
    const OTHER_COLOR = "#c3c7cc";
    const OUTLINE = "#16181d";
    const HIT_RADIUS = 8;        // CSS px around the cursor in which a point counts as hovered
    const DRAG_THRESHOLD = 4;    // CSS px a press must move before it is a drag rather than a click
    const MIN_ZOOM = 0.25;       // relative to the fitted scale
    const MAX_ZOOM = 20000;

    function create(canvas, options) {
        if (!canvas || typeof canvas.getContext !== "function") throw new TypeError("ConvEmbedScatter.create needs a <canvas> element");
        return new Scatter(canvas, options || {});
    }

    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    // A coordinate: a number, or a numeric string; null, "" and the rest are not (unary + would make null a 0).
    const coordinate = v => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);

    class Scatter {
        constructor(canvas, opts) {
            this.canvas = canvas;
            this.ctx = canvas.getContext("2d");
            this.opts = opts;
            this._colorKey = typeof opts.colorKey === "function" ? opts.colorKey : () => "";
            this._tooltip = opts.tooltip || null;
            this._legend = opts.legend || null;
            // The points are drawn into this off-screen layer only when the view or colours change; highlights and
            // the hover ring are composed over a copy of it, so moving the mouse never redraws 100 000 squares.
            this._base = document.createElement("canvas");
            this._baseCtx = this._base.getContext("2d");
            this._baseDirty = true;
            this._frame = 0;
            this._w = 0; this._h = 0; this._dpr = 1;
            this._view = { cx: 0, cy: 0, k: 1 };
            this._fitK = 1;
            this._userMoved = false;
            this._highlightIds = [];
            this._selectedId = null;
            this._hover = -1;
            this._hoverDup = 0;
            this._focusGroup = -1;
            this._pointers = new Map();
            this._press = null;
            this._ownsLabel = !canvas.hasAttribute("aria-label");
            if (!canvas.hasAttribute("tabindex")) canvas.tabIndex = 0;
            if (!canvas.hasAttribute("role")) canvas.setAttribute("role", "img");
            canvas.style.touchAction = "none";
            this._lockIntrinsicSize();
            if (this._tooltip) { this._tooltip.hidden = true; this._tooltip.style.pointerEvents = "none"; }

            this._listen();
            this._measure();
            this.setPoints(opts.points || [], { keepView: false });
        }

        // ---- data -------------------------------------------------------------------------------------------------

        setPoints(points, options) {
            const keepView = !!(options && options.keepView);
            const valid = [];
            for (const p of points || []) {
                if (p && Number.isFinite(coordinate(p.x)) && Number.isFinite(coordinate(p.y))) valid.push(p);
            }
            const n = valid.length;
            this._points = valid;
            this._xs = new Float64Array(n);
            this._ys = new Float64Array(n);
            this._byId = null; // made on the first look-up by id: 100 000 keys cost ~50 ms the first draw need not wait for
            for (let i = 0; i < n; i++) {
                this._xs[i] = coordinate(valid[i].x);
                this._ys[i] = coordinate(valid[i].y);
            }
            this._hover = -1;
            if (this._tooltip) { this._tooltip.hidden = true; this._tipFor = null; }
            this._buildIndex();
            this._assignColors();
            if (this._ownsLabel) {
                this.canvas.setAttribute("aria-label",
                    `Map of ${n} point${n === 1 ? "" : "s"}. Drag to pan, mouse wheel or + and - to zoom, 0 to fit.`);
            }
            // Keep the view only when asked to and when the user has moved it: otherwise fit the new points.
            if (!keepView || n === 0 || !this._userMoved) this.fit();
            else { this._fitK = this._fittedView().k; this._invalidate(true); }
        }

        setColorKey(fn) {
            this._colorKey = typeof fn === "function" ? fn : () => "";
            this._assignColors();
            this._invalidate(true);
        }

        // Uniform grid over the data bounds (about two points a cell), stored compactly: the points of cell c are
        // items[start[c] .. start[c + 1]).
        _buildIndex() {
            const n = this._points.length, xs = this._xs, ys = this._ys;
            if (n === 0) { this._grid = null; this._bounds = null; return; }
            let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
            for (let i = 0; i < n; i++) {
                const x = xs[i], y = ys[i];
                if (x < minX) minX = x; if (x > maxX) maxX = x;
                if (y < minY) minY = y; if (y > maxY) maxY = y;
            }
            this._bounds = { minX, maxX, minY, maxY };
            const spanX = maxX - minX, spanY = maxY - minY;
            const cells = Math.max(1, Math.min(n / 2, 1 << 20));
            let gx = 1, gy = 1;
            if (spanX > 0 && spanY > 0) {
                const aspect = spanX / spanY;
                gx = clamp(Math.round(Math.sqrt(cells * aspect)), 1, 2048);
                gy = clamp(Math.round(cells / gx), 1, 2048);
            } else if (spanX > 0) {
                gx = clamp(Math.round(cells), 1, 4096);
            } else if (spanY > 0) {
                gy = clamp(Math.round(cells), 1, 4096);
            }
            const cw = spanX > 0 ? spanX / gx : 1, ch = spanY > 0 ? spanY / gy : 1;
            const cellOf = new Int32Array(n);
            const start = new Int32Array(gx * gy + 1);
            for (let i = 0; i < n; i++) {
                const c = Math.min(gy - 1, Math.floor((ys[i] - minY) / ch)) * gx + Math.min(gx - 1, Math.floor((xs[i] - minX) / cw));
                cellOf[i] = c;
                start[c + 1]++;
            }
            for (let c = 0; c < gx * gy; c++) start[c + 1] += start[c];
            const fill = start.slice(0, gx * gy);
            const items = new Int32Array(n);
            for (let i = 0; i < n; i++) items[fill[cellOf[i]]++] = i;
            this._grid = { minX, minY, cw, ch, gx, gy, start, items };
        }

        // Categories by count (ties by name); the first PALETTE.length get a colour, the rest share "other".
        _assignColors() {
            const n = this._points.length;
            const keys = new Array(n);
            const counts = new Map();
            let unknown = 0;
            for (let i = 0; i < n; i++) {
                let k;
                try { k = this._colorKey(this._points[i]); } catch (e) { k = null; }
                k = k === null || k === undefined ? "" : String(k);
                keys[i] = k;
                if (k === "") unknown++;
                else counts.set(k, (counts.get(k) || 0) + 1);
            }
            const named = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            const colored = named.slice(0, PALETTE.length);
            const rest = named.slice(PALETTE.length);
            // Groups in drawing order: greys first (underneath), then the colours from the most common to the rarest,
            // so that small categories stay visible on top of big ones.
            const groups = [];
            const groupOfKey = new Map();
            let unknownGroup = -1, otherGroup = -1;
            if (unknown > 0) { unknownGroup = groups.length; groups.push({ name: "unknown", color: UNKNOWN_COLOR, count: unknown, kind: "unknown" }); }
            if (rest.length > 0) {
                otherGroup = groups.length;
                groups.push({ name: "other", color: OTHER_COLOR, count: rest.reduce((s, e) => s + e[1], 0), kind: "other", categories: rest.length });
                for (const [k] of rest) groupOfKey.set(k, otherGroup);
            }
            colored.forEach(([k, c], i) => { groupOfKey.set(k, groups.length); groups.push({ name: k, color: PALETTE[i], count: c, kind: "named" }); });
            const groupOf = new Int32Array(n);
            const sizes = new Int32Array(groups.length);
            for (let i = 0; i < n; i++) {
                const g = keys[i] === "" ? unknownGroup : groupOfKey.get(keys[i]);
                groupOf[i] = g;
                sizes[g]++;
            }
            groups.forEach((g, gi) => { g.indices = new Int32Array(sizes[gi]); g.fill = 0; });
            for (let i = 0; i < n; i++) { const g = groups[groupOf[i]]; g.indices[g.fill++] = i; }
            this._groups = groups;
            this._groupOf = groupOf;
            this._focusGroup = -1;
            this._renderLegend();
        }

        // ---- public queries ---------------------------------------------------------------------------------------

        pointCount() { return this._points.length; }

        point(id) {
            const i = this._index(id);
            return i < 0 ? null : this._points[i];
        }

        colorOf(id) {
            const i = this._index(id);
            return i < 0 ? null : this._groups[this._groupOf[i]].color;
        }

        categories() {
            return this._legendOrder().map(g => {
                const c = { name: g.name, color: g.color, count: g.count };
                if (g.kind === "other") c.categories = g.categories;
                return c;
            });
        }

        screenPosition(id) {
            const i = this._index(id);
            if (i < 0) return null;
            const s = this._toScreen(i);
            if (s.x < 0 || s.y < 0 || s.x > this._w || s.y > this._h) return null;
            const r = this.canvas.getBoundingClientRect();
            return { x: r.left + s.x, y: r.top + s.y };
        }

        nearby(id, k) {
            const q = this._index(id);
            const want = Math.max(0, Math.floor(k === undefined ? 10 : k));
            if (q < 0 || want === 0) return [];
            const xs = this._xs, ys = this._ys, qx = xs[q], qy = ys[q];
            // Keep the best `want` in a small sorted array: O(n · want) with want ≈ 10 is a few ms at 100k.
            const best = [];
            for (let i = 0; i < xs.length; i++) {
                if (i === q) continue;
                const dx = xs[i] - qx, dy = ys[i] - qy, d2 = dx * dx + dy * dy;
                if (best.length === want && d2 >= best[want - 1][1]) continue;
                let at = best.length;
                while (at > 0 && best[at - 1][1] > d2) at--;
                best.splice(at, 0, [i, d2]);
                if (best.length > want) best.pop();
            }
            return best.map(([i, d2]) => ({ point: this._points[i], distance: Math.sqrt(d2) }));
        }

        view() { return { cx: this._view.cx, cy: this._view.cy, k: this._view.k }; }

        setView(v) {
            if (!v || !(v.k > 0) || !Number.isFinite(v.cx) || !Number.isFinite(v.cy)) return;
            this._view = { cx: v.cx, cy: v.cy, k: v.k };
            this._userMoved = true;
            this._invalidate(true);
        }

        // ---- view -------------------------------------------------------------------------------------------------

        fit() {
            this._view = this._fittedView();
            this._fitK = this._view.k;
            this._userMoved = false;
            this._invalidate(true);
        }

        // The view that shows every point with a margin: same scale on both axes, so distances are not distorted.
        _fittedView() {
            const b = this._bounds;
            if (!b) return { cx: 0, cy: 0, k: 1 };
            const pad = Math.min(32, Math.max(8, Math.min(this._w, this._h) * 0.06));
            const aw = Math.max(1, this._w - 2 * pad), ah = Math.max(1, this._h - 2 * pad);
            const sx = b.maxX - b.minX, sy = b.maxY - b.minY;
            let k;
            if (sx === 0 && sy === 0) k = Math.min(aw, ah) / 2;          // one spot: show ±1 data unit around it
            else k = Math.min(sx > 0 ? aw / sx : Infinity, sy > 0 ? ah / sy : Infinity);
            return { cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, k };
        }

        focus(id, options) {
            const i = this._index(id);
            if (i < 0) return false;
            const o = options || {};
            if (o.onlyIfHidden) {
                const s = this._toScreen(i), m = Math.min(40, Math.min(this._w, this._h) / 4);
                if (s.x >= m && s.y >= m && s.x <= this._w - m && s.y <= this._h - m) return false;
            }
            const v = this._view;
            if (o.zoom > 0) v.k = clamp(Math.max(v.k, this._fitK * o.zoom), this._fitK * MIN_ZOOM, this._fitK * MAX_ZOOM);
            v.cx = this._xs[i];
            v.cy = this._ys[i];
            this._userMoved = true;
            this._invalidate(true);
            return true;
        }

        zoomBy(factor) { this._zoomAt(this._w / 2, this._h / 2, factor); }

        focusCategory(name) {
            let g = -1;
            if (name !== null && name !== undefined) {
                g = this._groups.findIndex(x => x.kind === "named" && x.name === name);
                if (g < 0) g = this._groups.findIndex(x => x.name === name);
            }
            this._toggleFocus(g);
        }

        _toggleFocus(g) {
            this._focusGroup = g === this._focusGroup ? -1 : g;
            this._updateLegendState();
            this._invalidate(true);
        }

        highlight(ids, selectedId) {
            this._highlightIds = ids ? [...ids].map(String) : [];
            this._selectedId = selectedId === null || selectedId === undefined ? null : String(selectedId);
            this._invalidate(false);
        }

        redraw() {
            this._baseDirty = true;
            if (this._frame) { cancelAnimationFrame(this._frame); this._frame = 0; }
            this._render();
        }

        destroy() {
            if (this._resizeObserver) this._resizeObserver.disconnect();
            if (this._dprQuery) this._dprQuery.removeEventListener("change", this._onDpr);
            window.removeEventListener("resize", this._onWindowResize);
            for (const [type, fn, opt] of this._handlers) this.canvas.removeEventListener(type, fn, opt);
            if (this._frame) cancelAnimationFrame(this._frame);
            if (this._tooltip) this._tooltip.hidden = true;
        }

        // ---- drawing ----------------------------------------------------------------------------------------------

        _index(id) {
            if (id === null || id === undefined) return -1;
            if (!this._byId) {
                this._byId = new Map();
                for (let j = 0; j < this._points.length; j++) this._byId.set(String(this._points[j].id), j);
            }
            const i = this._byId.get(String(id));
            return i === undefined ? -1 : i;
        }

        _toScreen(i) {
            const v = this._view;
            return { x: this._w / 2 + (this._xs[i] - v.cx) * v.k, y: this._h / 2 - (this._ys[i] - v.cy) * v.k };
        }

        _pointSize() {
            if (this.opts.pointSize > 0) return this.opts.pointSize;
            const n = this._points.length;
            return n > 20000 ? 3 : n > 2000 ? 4 : n > 200 ? 5 : 6;
        }

        // Batches redraws into one animation frame; base = the points layer must be redrawn too.
        _invalidate(base) {
            if (base) this._baseDirty = true;
            if (!this._frame) this._frame = requestAnimationFrame(() => { this._frame = 0; this._render(); });
        }

        _render() {
            if (this._baseDirty) { this._drawBase(); this._baseDirty = false; }
            const ctx = this.ctx, c = this.canvas;
            ctx.setTransform(1, 0, 0, 1, 0, 0);
            ctx.clearRect(0, 0, c.width, c.height);
            ctx.drawImage(this._base, 0, 0);
            ctx.setTransform(this._dpr, 0, 0, this._dpr, 0, 0);
            this._drawOverlay(ctx);
            c.setAttribute("data-points", String(this._points.length));
        }

        // All points, one fillStyle per colour group, squares snapped to device pixels. A focused category is drawn
        // last, over the dimmed rest.
        _drawBase() {
            const ctx = this._baseCtx, W = this._base.width, H = this._base.height, dpr = this._dpr;
            ctx.setTransform(1, 0, 0, 1, 0, 0);
            ctx.globalAlpha = 1;
            ctx.clearRect(0, 0, W, H);
            const v = this._view, kd = v.k * dpr, hw = (this._w / 2) * dpr, hh = (this._h / 2) * dpr;
            const size = Math.max(1, Math.round(this._pointSize() * dpr)), half = size / 2;
            const xs = this._xs, ys = this._ys, cx = v.cx, cy = v.cy;
            const focus = this._focusGroup;
            const order = this._groups.map((_, g) => g).filter(g => g !== focus);
            if (focus >= 0) order.push(focus);
            for (const g of order) {
                const group = this._groups[g], idx = group.indices;
                ctx.fillStyle = group.color;
                ctx.globalAlpha = focus >= 0 && g !== focus ? 0.12 : 1;
                for (let j = 0; j < idx.length; j++) {
                    const i = idx[j];
                    const sx = hw + (xs[i] - cx) * kd;          // device pixels
                    if (sx < -size || sx > W + size) continue;
                    const sy = hh - (ys[i] - cy) * kd;
                    if (sy < -size || sy > H + size) continue;
                    ctx.fillRect(Math.round(sx - half), Math.round(sy - half), size, size);
                }
            }
            ctx.globalAlpha = 1;
        }

        _markerRadius(selected) {
            const s = this._pointSize();
            return selected ? Math.max(7, s * 1.9) : Math.max(4.5, s * 1.3);
        }

        // Highlights, the selected point and the hover ring, in CSS pixels.
        _drawOverlay(ctx) {
            const sel = this._index(this._selectedId);
            const marks = [];
            for (const id of this._highlightIds) {
                const i = this._index(id);
                if (i >= 0 && i !== sel) marks.push(i);
            }
            if (sel >= 0 && marks.length) {
                // Faint links from the selected point to its highlighted companions.
                const a = this._toScreen(sel);
                ctx.beginPath();
                for (const i of marks) { const b = this._toScreen(i); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); }
                ctx.strokeStyle = "rgba(22, 24, 29, 0.28)";
                ctx.lineWidth = 1;
                ctx.stroke();
            }
            const r = this._markerRadius(false);
            for (const i of marks) {
                const p = this._toScreen(i);
                ctx.beginPath();
                ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
                ctx.fillStyle = this._groups[this._groupOf[i]].color;
                ctx.fill();
                ctx.lineWidth = 1.5;
                ctx.strokeStyle = OUTLINE;
                ctx.stroke();
            }
            if (sel >= 0) {
                const p = this._toScreen(sel), rs = this._markerRadius(true);
                ctx.beginPath();
                ctx.arc(p.x, p.y, rs, 0, 2 * Math.PI);
                ctx.fillStyle = this._groups[this._groupOf[sel]].color;
                ctx.fill();
                ctx.lineWidth = 4;
                ctx.strokeStyle = "#ffffff";
                ctx.stroke();
                ctx.lineWidth = 2;
                ctx.strokeStyle = OUTLINE;
                ctx.stroke();
            }
            if (this._hover >= 0) {
                const p = this._toScreen(this._hover);
                const base = this._hover === sel ? this._markerRadius(true) : marks.includes(this._hover) ? r : this._pointSize() / 2;
                ctx.beginPath();
                ctx.arc(p.x, p.y, base + 4, 0, 2 * Math.PI);
                ctx.lineWidth = 1.5;
                ctx.strokeStyle = OUTLINE;
                ctx.stroke();
            }
        }

        // ---- size -------------------------------------------------------------------------------------------------

        _measure() {
            const dpr = window.devicePixelRatio || 1;
            const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
            const changed = w !== this._w || h !== this._h || dpr !== this._dpr;
            this._w = w; this._h = h; this._dpr = dpr;
            const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
            if (this.canvas.width !== W) this.canvas.width = W;
            if (this.canvas.height !== H) this.canvas.height = H;
            if (this._base.width !== W) this._base.width = W;
            if (this._base.height !== H) this._base.height = H;
            return changed;
        }

        // The drawing buffer is sized from the element's CSS size. A canvas that CSS does not size would grow with its
        // own buffer (and the ResizeObserver would loop): detect that once and pin its current size.
        _lockIntrinsicSize() {
            const c = this.canvas, w = c.clientWidth, h = c.clientHeight, aw = c.width, ah = c.height;
            c.width = aw + 7; c.height = ah + 7;
            if (c.clientWidth !== w) c.style.width = `${w}px`;
            if (c.clientHeight !== h) c.style.height = `${h}px`;
            c.width = aw; c.height = ah;
        }

        _onResize() {
            if (!this._measure()) return;
            if (!this._userMoved) this.fit();
            else this._fitK = this._fittedView().k;
            // Resizing a canvas clears it: draw at once rather than show an empty frame.
            this.redraw();
        }

        // ---- interaction ------------------------------------------------------------------------------------------

        _listen() {
            const c = this.canvas;
            this._handlers = [];
            const on = (type, fn, opt) => { const f = fn.bind(this); c.addEventListener(type, f, opt); this._handlers.push([type, f, opt]); };
            on("pointerdown", this._onPointerDown);
            on("pointermove", this._onPointerMove);
            on("pointerup", this._onPointerUp);
            on("pointercancel", this._onPointerCancel);
            on("pointerleave", this._onPointerLeave);
            on("wheel", this._onWheel, { passive: false });
            on("keydown", this._onKey);

            if (typeof ResizeObserver === "function") {
                this._resizeObserver = new ResizeObserver(() => this._onResize());
                this._resizeObserver.observe(c);
            }
            this._onWindowResize = () => this._onResize();
            window.addEventListener("resize", this._onWindowResize);
            // A change of devicePixelRatio (browser zoom, another monitor) does not resize the element: watch it.
            this._onDpr = () => { this._onResize(); this._watchDpr(); };
            this._watchDpr();
        }

        _watchDpr() {
            if (this._dprQuery) this._dprQuery.removeEventListener("change", this._onDpr);
            if (typeof window.matchMedia !== "function") return;
            this._dprQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
            this._dprQuery.addEventListener("change", this._onDpr);
        }

        _local(e) {
            const r = this.canvas.getBoundingClientRect();
            return { x: e.clientX - r.left, y: e.clientY - r.top };
        }

        _onPointerDown(e) {
            if (e.pointerType === "mouse" && e.button !== 0) return;
            this.canvas.setPointerCapture?.(e.pointerId);
            const p = this._local(e);
            this._pointers.set(e.pointerId, p);
            if (this._pointers.size === 1) this._press = { x: p.x, y: p.y, moved: false };
            else if (this._press) this._press.moved = true;  // a second finger: a pinch, never a click
        }

        _onPointerMove(e) {
            const p = this._local(e);
            if (this._pointers.has(e.pointerId) && this._press) {
                const prev = this._pointers.get(e.pointerId);
                if (this._pointers.size >= 2) {
                    this._pinch(e.pointerId, p);
                    return;
                }
                if (!this._press.moved && Math.hypot(p.x - this._press.x, p.y - this._press.y) > DRAG_THRESHOLD) {
                    this._press.moved = true;
                    this.canvas.style.cursor = "grabbing";
                    this._setHover(-1, 0, p);
                }
                this._pointers.set(e.pointerId, p);
                if (this._press.moved) {
                    const v = this._view;
                    v.cx -= (p.x - prev.x) / v.k;
                    v.cy += (p.y - prev.y) / v.k;
                    this._userMoved = true;
                    this._invalidate(true);
                }
                return;
            }
            if (e.pointerType === "mouse" || e.pointerType === "pen") {
                const hit = this._hitTest(p.x, p.y);
                this._setHover(hit.index, hit.dup, p);
            }
        }

        // Two fingers: pan by the move of their midpoint, zoom by the change of their distance.
        _pinch(id, p) {
            const [[ida, a0], [idb, b0]] = [...this._pointers.entries()];
            const a = ida === id ? p : a0, b = idb === id ? p : b0;
            const d0 = Math.hypot(a0.x - b0.x, a0.y - b0.y), d1 = Math.hypot(a.x - b.x, a.y - b.y);
            const m0 = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 }, m1 = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
            this._pointers.set(id, p);
            const v = this._view;
            v.cx -= (m1.x - m0.x) / v.k;
            v.cy += (m1.y - m0.y) / v.k;
            if (d0 > 0 && d1 > 0) this._zoomAt(m1.x, m1.y, d1 / d0);
            this._userMoved = true;
            this._invalidate(true);
        }

        _onPointerUp(e) {
            const press = this._press;
            const wasOnly = this._pointers.size === 1 && this._pointers.has(e.pointerId);
            this._pointers.delete(e.pointerId);
            if (this._pointers.size === 0) { this._press = null; this.canvas.style.cursor = ""; }
            if (!press || !wasOnly || press.moved) return;
            const p = this._local(e);
            const hit = this._hitTest(p.x, p.y);
            if (hit.index >= 0 && typeof this.opts.onClick === "function") this.opts.onClick(this._points[hit.index]);
        }

        _onPointerCancel(e) {
            this._pointers.delete(e.pointerId);
            if (this._pointers.size === 0) { this._press = null; this.canvas.style.cursor = ""; }
        }

        _onPointerLeave() {
            if (!this._press) this._setHover(-1, 0, null);
        }

        _onWheel(e) {
            e.preventDefault();
            // deltaMode 1 = lines, 2 = pages; normalise to pixels, then an exponential zoom feels the same at any scale.
            const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this._h || 400 : 1;
            const delta = clamp(e.deltaY * unit, -600, 600);
            const p = this._local(e);
            this._zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
            const hit = this._hitTest(p.x, p.y);
            this._setHover(hit.index, hit.dup, p);
        }

        _onKey(e) {
            const step = 60;
            const v = this._view;
            let handled = true;
            switch (e.key) {
                case "+": case "=": this.zoomBy(1.4); break;
                case "-": case "_": this.zoomBy(1 / 1.4); break;
                case "0": this.fit(); break;
                case "ArrowLeft": v.cx -= step / v.k; break;
                case "ArrowRight": v.cx += step / v.k; break;
                case "ArrowUp": v.cy += step / v.k; break;
                case "ArrowDown": v.cy -= step / v.k; break;
                default: handled = false;
            }
            if (!handled) return;
            e.preventDefault();
            if (e.key.startsWith("Arrow")) { this._userMoved = true; this._invalidate(true); }
        }

        // Zooms keeping the data point under (lx, ly) in place.
        _zoomAt(lx, ly, factor) {
            const v = this._view;
            const k2 = clamp(v.k * factor, this._fitK * MIN_ZOOM, this._fitK * MAX_ZOOM);
            if (!(k2 > 0) || k2 === v.k) return;
            const dx = v.cx + (lx - this._w / 2) / v.k, dy = v.cy - (ly - this._h / 2) / v.k;
            v.cx = dx - (lx - this._w / 2) / k2;
            v.cy = dy + (ly - this._h / 2) / k2;
            v.k = k2;
            this._userMoved = true;
            this._invalidate(true);
        }

        // The point nearest to (lx, ly) within HIT_RADIUS CSS px, preferring the highlighted ones (drawn on top);
        // dup = how many other points share its exact coordinates.
        _hitTest(lx, ly) {
            const none = { index: -1, dup: 0 };
            if (!this._grid) return none;
            const sel = this._index(this._selectedId);
            let best = -1, bestD = Infinity;
            const tryMarker = (i, radius) => {
                if (i < 0) return;
                const s = this._toScreen(i), d = Math.hypot(s.x - lx, s.y - ly);
                if (d <= Math.max(HIT_RADIUS, radius + 3) && d < bestD) { best = i; bestD = d; }
            };
            tryMarker(sel, this._markerRadius(true));
            for (const id of this._highlightIds) tryMarker(this._index(id), this._markerRadius(false));
            if (best < 0) {
                const v = this._view, g = this._grid, xs = this._xs, ys = this._ys;
                const dx = v.cx + (lx - this._w / 2) / v.k, dy = v.cy - (ly - this._h / 2) / v.k;
                const rd = HIT_RADIUS / v.k;
                const x0 = clamp(Math.floor((dx - rd - g.minX) / g.cw), 0, g.gx - 1), x1 = clamp(Math.floor((dx + rd - g.minX) / g.cw), 0, g.gx - 1);
                const y0 = clamp(Math.floor((dy - rd - g.minY) / g.ch), 0, g.gy - 1), y1 = clamp(Math.floor((dy + rd - g.minY) / g.ch), 0, g.gy - 1);
                let bestD2 = rd * rd;
                for (let cy = y0; cy <= y1; cy++) {
                    for (let cx = x0; cx <= x1; cx++) {
                        const c = cy * g.gx + cx;
                        for (let j = g.start[c]; j < g.start[c + 1]; j++) {
                            const i = g.items[j];
                            if (this._focusGroup >= 0 && this._groupOf[i] !== this._focusGroup) continue;
                            const ex = xs[i] - dx, ey = ys[i] - dy, d2 = ex * ex + ey * ey;
                            if (d2 <= bestD2 && (best < 0 || d2 < bestD2)) { best = i; bestD2 = d2; }
                        }
                    }
                }
            }
            if (best < 0) return none;
            return { index: best, dup: this._duplicates(best) };
        }

        _duplicates(i) {
            const g = this._grid, x = this._xs[i], y = this._ys[i];
            const c = Math.min(g.gy - 1, Math.floor((y - g.minY) / g.ch)) * g.gx + Math.min(g.gx - 1, Math.floor((x - g.minX) / g.cw));
            let n = 0;
            for (let j = g.start[c]; j < g.start[c + 1]; j++) {
                const o = g.items[j];
                if (o !== i && this._xs[o] === x && this._ys[o] === y) n++;
            }
            return n;
        }

        _setHover(index, dup, at) {
            const changed = index !== this._hover;
            this._hover = index;
            this._hoverDup = dup;
            if (!this._press) this.canvas.style.cursor = index >= 0 ? "pointer" : "";
            this._showTooltip(index, dup, at);
            if (changed) {
                this._invalidate(false);
                if (typeof this.opts.onHover === "function") this.opts.onHover(index >= 0 ? this._points[index] : null);
            }
        }

        _showTooltip(index, dup, at) {
            const tip = this._tooltip;
            if (!tip) return;
            if (index < 0 || !at) { tip.hidden = true; this._tipFor = null; return; }
            const key = `${index}:${dup}`;
            if (this._tipFor !== key || tip.hidden) this._fillTooltip(index, dup);
            this._tipFor = key;
            tip.hidden = false;
            // Place it below right of the cursor, flipped when it would leave the window.
            const r = this.canvas.getBoundingClientRect();
            const gap = 14, tw = tip.offsetWidth, th = tip.offsetHeight;
            let x = r.left + at.x + gap, y = r.top + at.y + gap;
            if (x + tw > window.innerWidth - 4) x = r.left + at.x - gap - tw;
            if (y + th > window.innerHeight - 4) y = r.top + at.y - gap - th;
            x = Math.max(4, x); y = Math.max(4, y);
            // The tooltip may be position: fixed (viewport coordinates) or absolute inside some positioned parent.
            if (getComputedStyle(tip).position !== "fixed") {
                const parent = tip.offsetParent || document.documentElement;
                const pr = parent.getBoundingClientRect();
                x += parent.scrollLeft - pr.left - parent.clientLeft;
                y += parent.scrollTop - pr.top - parent.clientTop;
            }
            tip.style.left = `${Math.round(x)}px`;
            tip.style.top = `${Math.round(y)}px`;
        }

        _fillTooltip(index, dup) {
            const tip = this._tooltip, p = this._points[index];
            const title = document.createElement("div");
            title.className = "tooltip-title";
            title.textContent = p.title || String(p.id);
            const parts = [title];
            if (p.subtitle) {
                const sub = document.createElement("div");
                sub.className = "tooltip-subtitle";
                sub.textContent = p.subtitle;
                parts.push(sub);
            }
            if (dup > 0) {
                const more = document.createElement("div");
                more.className = "tooltip-more";
                more.textContent = `and ${dup} more at this spot`;
                parts.push(more);
            }
            tip.replaceChildren(...parts);
        }

        // ---- legend -----------------------------------------------------------------------------------------------

        _renderLegend() {
            const box = this._legend;
            if (!box) return;
            const rowTag = box.tagName === "UL" || box.tagName === "OL" ? "li" : "div";
            const rows = this._legendOrder().map(c => {
                const row = document.createElement(rowTag);
                row.className = "legend-item";
                row.dataset.category = c.name;
                const button = document.createElement("button");
                button.type = "button";
                button.setAttribute("aria-pressed", "false");
                button.title = c.categories
                    ? `${c.categories} further categories with ${c.count} points. Click to show only them, again to show all.`
                    : `Click to show only “${c.name}”, again to show all.`;
                const swatch = document.createElement("span");
                swatch.className = "swatch";
                swatch.style.background = c.color;
                const label = document.createElement("span");
                label.className = "legend-label";
                label.textContent = c.categories ? `other (${c.categories})` : c.name;
                const count = document.createElement("span");
                count.className = "legend-count";
                count.textContent = String(c.count);
                button.append(swatch, label, count);
                button.addEventListener("click", () => this._toggleFocus(this._groups.indexOf(c)));
                row.append(button);
                return row;
            });
            box.replaceChildren(...rows);
        }

        // Coloured categories by count (most common first), then "other", then "unknown".
        _legendOrder() {
            const kind = k => this._groups.filter(g => g.kind === k);
            return [...kind("named"), ...kind("other"), ...kind("unknown")];
        }

        _updateLegendState() {
            if (!this._legend) return;
            const rows = this._legend.querySelectorAll(".legend-item");
            const order = this._legendOrder();
            const focused = this._focusGroup >= 0;
            rows.forEach((row, r) => {
                const on = focused && order[r] === this._groups[this._focusGroup];
                row.classList.toggle("active", on);
                row.classList.toggle("dimmed", focused && !on);
                const b = row.querySelector("button");
                if (b) b.setAttribute("aria-pressed", String(on));
            });
        }
    }

    /**
     * Creates an element for the pages that use this component: h("li", {class: "x", dataset: {trackId: id}}, "text", child, …).
     * null, undefined and false attributes or children are left out.
     */
    function h(tag, attrs, ...children) {
        const e = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (v === null || v === undefined || v === false) continue;
            if (k === "class") e.className = v;
            else if (k === "dataset") Object.assign(e.dataset, v);
            else if (k === "style") Object.assign(e.style, v);
            else e.setAttribute(k, v === true ? "" : String(v));
        }
        for (const c of children.flat()) {
            if (c === null || c === undefined || c === false) continue;
            e.append(typeof c === "object" ? c : String(c));
        }
        return e;
    }

    global.ConvEmbedScatter = Object.freeze({
        create,
        h,
        palette: Object.freeze(PALETTE.slice()),
        unknownColor: UNKNOWN_COLOR,
        otherColor: OTHER_COLOR,
    });
})(typeof window !== "undefined" ? window : globalThis);
