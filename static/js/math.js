/* Typesets LaTeX with the KaTeX shipped in static/vendor/katex (no CDN, no inline script).
 *
 * community/rendering.py has already decided what is math: it wraps each formula, still with its
 * delimiters, in a <span class="math"> (its text escaped). So renderMathInElement runs on those spans
 * inside elements marked data-math, never on the prose around them, where "$5 and $6" must stay text.
 * KaTeX builds its output with DOM calls, which the strict Content-Security-Policy allows. Without
 * JavaScript the formulas stay readable as their LaTeX source.
 */
(function () {
  "use strict";

  var OPTIONS = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false }
    ],
    throwOnError: false, // a typo shows the source in red, not a broken page
    strict: "ignore",
    trust: false // no \href, \url or \includegraphics from contributors
  };

  function typeset() {
    if (typeof window.renderMathInElement !== "function") {
      return;
    }
    document.querySelectorAll("[data-math]").forEach(function (container) {
      container.querySelectorAll(".math").forEach(function (span) {
        window.renderMathInElement(span, OPTIONS);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
