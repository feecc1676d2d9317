// Layout probe for the browser test: once MathJax has typeset the page, record on <body>
// how wide the document is (data-scroll-width), how many formulas were typeset
// (data-mathjax-count), how many of them overflow their own box (data-math-overflow: a
// scrollbar under the formula), how many math elements MathJax left untypeset
// (data-math-untypeset), and how many characters fell back to a glyph no font has
// (data-fallback-glyphs: MathJax's unknown-character text, errors, U+FFFD). Harmless for
// readers.
(function () {
  function snippet(el) {
    var tex = el.querySelector("mjx-assistive-mml");
    return ((tex && tex.textContent) || el.textContent || "").replace(/\s+/g, " ").slice(0, 40);
  }
  function record() {
    var body = document.body, root = document.documentElement;
    body.setAttribute("data-scroll-width", String(root.scrollWidth));
    body.setAttribute("data-client-width", String(root.clientWidth));
    var math = document.querySelectorAll("mjx-container");
    body.setAttribute("data-mathjax-count", String(math.length));
    var over = [], names = [];
    math.forEach(function (el) {
      if (el.scrollWidth > el.clientWidth) {
        over.push(el);
        if (names.length < 4) {
          names.push(snippet(el) + " [" + el.scrollWidth + ">" + el.clientWidth + "]");
        }
      }
    });
    body.setAttribute("data-math-overflow", String(over.length));
    body.setAttribute("data-math-overflow-at", names.join(" | "));
    // a math element of Sphinx/MyST that holds no typeset formula
    var left = [];
    document.querySelectorAll("span.math, div.math").forEach(function (el) {
      if (!el.querySelector("mjx-container") && left.length < 1000) {
        left.push(el);
      }
    });
    body.setAttribute("data-math-untypeset", String(left.length));
    body.setAttribute("data-math-untypeset-at", left.slice(0, 3).map(function (el) {
      return (el.textContent || "").slice(0, 40);
    }).join(" | "));
    var fallback = document.querySelectorAll("mjx-merror, mjx-utext[variant='-explicitFont']");
    var bad = [];
    fallback.forEach(function (el) { if (bad.length < 3) { bad.push(el.textContent); } });
    var text = body.innerText || "";
    var replaced = (text.match(/\uFFFD/g) || []).length;
    body.setAttribute("data-fallback-glyphs", String(fallback.length + replaced));
    body.setAttribute("data-fallback-at", bad.join(" | ") + (replaced ? " | U+FFFD x" + replaced : ""));
    var limit = root.clientWidth, wide = [];
    if (root.scrollWidth > limit) {  // name what sticks out
      document.querySelectorAll("body *").forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.right > limit + 1 && el.children.length === 0 && wide.length < 3) {
          wide.push(el.tagName.toLowerCase() + "." + (el.className || "") + ": " +
                    (el.textContent || "").slice(0, 60));
        }
      });
    }
    body.setAttribute("data-too-wide", wide.join(" | "));
    body.setAttribute("data-probe", "done");
    if (window.parent !== window) {  // inside a frame (the phone-width check): tell it
      var found = {};
      Array.prototype.forEach.call(body.attributes, function (a) {
        if (a.name.indexOf("data-") === 0) { found[a.name] = a.value; }
      });
      window.parent.postMessage({ layoutProbe: found }, "*");
    }
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(record, record);
    } else {
      record();
    }
  }
  window.addEventListener("load", function () { setTimeout(whenTypeset, 0); });
})();
