// MathJax 3 does not break lines: a formula wider than the column (a long
// hypothesis, a conjunct with several clauses) is set in a smaller size, down to half,
// so that it fits instead of scrolling. Runs once MathJax has typeset the page (before the
// layout probe, which is loaded after this script) and again when the window is resized.
(function () {
  function fit() {
    document.querySelectorAll('mjx-container').forEach(function (el) {
      el.style.fontSize = "";
      if (el.scrollWidth > el.clientWidth && el.clientWidth > 0) {
        var ratio = Math.max(0.5, Math.floor(97 * el.clientWidth / el.scrollWidth) / 100);
        el.style.fontSize = Math.round(ratio * 100) + "%";
        if (el.scrollWidth > el.clientWidth && ratio > 0.5) {  // rounding: one step more
          el.style.fontSize = Math.max(50, Math.round(ratio * 100) - 3) + "%";
        }
      }
    });
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(fit, function () {});
    }
  }
  window.addEventListener("load", function () { setTimeout(whenTypeset, 0); });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(fit, 150);
  });
})();
