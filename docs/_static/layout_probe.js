// Layout probe for the browser test: once MathJax has typeset the page, record on <body>
// how wide the document is (data-scroll-width) and how many formulas were typeset
// (data-mathjax-count). Harmless for readers.
(function () {
  function record() {
    var body = document.body;
    body.setAttribute("data-scroll-width", String(document.documentElement.scrollWidth));
    body.setAttribute("data-client-width", String(document.documentElement.clientWidth));
    body.setAttribute("data-mathjax-count",
                      String(document.querySelectorAll("mjx-container").length));
    var limit = document.documentElement.clientWidth, wide = [];
    if (document.documentElement.scrollWidth > limit) {  // name what sticks out
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
