// The blueprint's dependency graph (drawn by docs/_blueprint_graph.py): zoom (wheel,
// buttons), pan (drag), hover or keyboard focus on a statement highlights what its proof
// uses (blue, transitively) and what uses it (red), the status checkboxes filter the nodes.
// A click on a box opens its section (a plain link). No network, no library.
// The URL can ask for a state: ?highlight=LABEL, ?hide=STATUS,STATUS, ?zoom=FACTOR (the
// browser test opens the page so and reads the classes this script set).
(function () {
  function init() {
    var box = document.getElementById("blueprint-graph");
    if (!box) { return; }
    var svg = box.querySelector("svg");
    var W = +svg.getAttribute("data-width"), H = +svg.getAttribute("data-height");
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".bp-node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".bp-edge"));
    var uses = {}, users = {}, byLabel = {};
    nodes.forEach(function (n) {
      var label = n.getAttribute("data-label");
      byLabel[label] = n;
      uses[label] = (n.getAttribute("data-uses") || "").split(" ").filter(Boolean);
      users[label] = users[label] || [];
    });
    Object.keys(uses).forEach(function (s) {
      uses[s].forEach(function (u) { (users[u] = users[u] || []).push(s); });
    });
    var scale = 1, ox = 0, oy = 0, minScale = 0.15, maxScale = 4;
    function fitScale() { return Math.min(box.clientWidth / W, 1.2); }
    function view() {
      var cw = box.clientWidth, ch = svg.clientHeight || H;
      svg.setAttribute("viewBox", [ox, oy, cw / scale, ch / scale].map(function (v) {
        return v.toFixed(1);
      }).join(" "));
      box.setAttribute("data-scale", scale.toFixed(3));
    }
    // the whole graph when its labels stay readable (scale ≥ 0.6), else readable and panned
    function startScale() { return fitScale() >= 0.6 ? fitScale() : 0.8; }
    function size() {
      var s = startScale();
      svg.style.height = Math.round(Math.min(H * s, Math.max(320, 0.8 * window.innerHeight))) + "px";
    }
    function zoomAt(factor, mx, my) {
      var next = Math.min(maxScale, Math.max(minScale, scale * factor));
      ox += mx / scale - mx / next;
      oy += my / scale - my / next;
      scale = next;
      view();
    }
    function reset() {
      scale = startScale();
      ox = 0; oy = 0;
      if (scale === fitScale()) {  // centre vertically when the whole graph shows
        oy = -Math.max(0, (svg.clientHeight / scale - H) / 2);
      }
      view();
    }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect();
      zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    var drag = null, dragged = false;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) { return; }
      drag = { x: ev.clientX, y: ev.clientY, ox: ox, oy: oy, id: ev.pointerId };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) > 4) {
        dragged = true;
        svg.classList.add("bp-dragging");
        svg.setPointerCapture(drag.id);
      }
      if (dragged) { ox = drag.ox - dx / scale; oy = drag.oy - dy / scale; view(); }
    });
    function endDrag() { drag = null; svg.classList.remove("bp-dragging"); }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
    svg.addEventListener("click", function (ev) {  // a drag is not a click on a box
      if (dragged) { ev.preventDefault(); ev.stopPropagation(); dragged = false; }
    }, true);
    box.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var how = b.getAttribute("data-zoom"), cw = box.clientWidth, ch = svg.clientHeight;
        if (how === "fit") {
          scale = Math.min(box.clientWidth / W, svg.clientHeight / H);
          ox = 0; oy = 0; view();
        } else {
          zoomAt(how === "in" ? 1.25 : 0.8, cw / 2, ch / 2);
        }
      });
    });
    function closure(start, next) {
      var seen = {}, todo = (next[start] || []).slice();
      while (todo.length) {
        var l = todo.pop();
        if (!seen[l]) { seen[l] = true; todo.push.apply(todo, next[l] || []); }
      }
      return seen;
    }
    function highlight(label) {
      clear();
      if (!byLabel[label]) { return; }
      var up = closure(label, uses), down = closure(label, users);
      box.classList.add("bp-focused");
      box.setAttribute("data-highlight", label);
      nodes.forEach(function (n) {
        var l = n.getAttribute("data-label");
        if (l === label) { n.classList.add("bp-on", "bp-self"); }
        if (up[l]) { n.classList.add("bp-on", "bp-uses"); }
        if (down[l]) { n.classList.add("bp-on", "bp-user"); }
      });
      edges.forEach(function (e) {
        var u = e.getAttribute("data-from"), s = e.getAttribute("data-to");
        if (up[u] && (s === label || up[s])) { e.classList.add("bp-on", "bp-up"); }
        if (down[s] && (u === label || down[u])) { e.classList.add("bp-on", "bp-down"); }
      });
    }
    function clear() {
      box.classList.remove("bp-focused");
      box.removeAttribute("data-highlight");
      nodes.concat(edges).forEach(function (el) {
        el.classList.remove("bp-on", "bp-self", "bp-uses", "bp-user", "bp-up", "bp-down");
      });
    }
    nodes.forEach(function (n) {
      var l = n.getAttribute("data-label");
      n.addEventListener("mouseenter", function () { highlight(l); });
      n.addEventListener("focus", function () { highlight(l); });
      n.addEventListener("mouseleave", clear);
      n.addEventListener("blur", clear);
    });
    var boxes = Array.prototype.slice.call(box.querySelectorAll("input[data-status]"));
    function filter() {
      var shown = {};
      boxes.forEach(function (c) { shown[c.getAttribute("data-status")] = c.checked; });
      var hidden = {};
      nodes.forEach(function (n) {
        var off = shown[n.getAttribute("data-status")] === false;
        n.classList.toggle("bp-hidden", off);
        if (off) { hidden[n.getAttribute("data-label")] = true; }
      });
      edges.forEach(function (e) {
        e.classList.toggle("bp-hidden", !!(hidden[e.getAttribute("data-from")] ||
                                          hidden[e.getAttribute("data-to")]));
      });
      box.setAttribute("data-hidden", String(Object.keys(hidden).length));
    }
    boxes.forEach(function (c) { c.addEventListener("change", filter); });
    window.addEventListener("resize", function () { size(); view(); });
    size();
    reset();
    var q = new URLSearchParams(window.location.search);
    if (q.get("hide")) {
      var off = q.get("hide").split(",");
      boxes.forEach(function (c) {
        if (off.indexOf(c.getAttribute("data-status")) >= 0) { c.checked = false; }
      });
    }
    filter();
    if (q.get("zoom")) {
      zoomAt(+q.get("zoom") || 1, box.clientWidth / 2, svg.clientHeight / 2);
    }
    if (q.get("highlight")) { highlight(q.get("highlight")); }
    box.setAttribute("data-interactive", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
