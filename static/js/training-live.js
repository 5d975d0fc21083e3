/*
 * Live progress of a training run or sweep, on the results pages and the admin change pages.
 *
 * Progressive enhancement: the server renders the state, the progress bar and the curves; this file
 * only keeps them current. Every element it touches is found through data- attributes, so there is
 * no inline script and the strict Content-Security-Policy stays as it is.
 *
 *   [data-live-status-url]   a status JSON to poll every 2 s while data-live-final is "false"
 *   [data-live-refresh=ID]   reload element #ID from the page when a new evaluation arrives
 *   [data-live-run=PK]       a row of the sweep table, updated from the sweep status's runs
 *   [data-live=state|steps|progress|done]   the parts updated inside either of the two above
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var MAX_INTERVAL_MS = 30000;

  function setText(root, name, text) {
    var el = root.querySelector('[data-live="' + name + '"]');
    if (el && text !== undefined && text !== null && el.textContent !== String(text)) {
      el.textContent = String(text);
    }
  }

  function setProgress(root, percent) {
    var bar = root.querySelector('progress[data-live="progress"]');
    if (bar && typeof percent === "number") {
      bar.value = percent;
      bar.textContent = percent.toFixed(1) + "%";
    }
  }

  function stepsText(format, step, total) {
    if (!format || typeof total !== "number" || !total) {
      return null;
    }
    return format.replace("%(step)s", String(step)).replace("%(total)s", String(total));
  }

  function applyStatus(panel, data) {
    setText(panel, "state", data.state_label);
    setText(panel, "steps", stepsText(panel.dataset.liveStepsFormat, data.step, data.total_steps));
    setProgress(panel, data.progress);
    (data.runs || []).forEach(function (run) {
      var row = document.querySelector('[data-live-run="' + String(Number(run.id)) + '"]');
      if (row) {
        setText(row, "state", run.state_label);
        setProgress(row, run.progress);
      }
    });
  }

  // Replace #id with the same element of a fresh copy of this page: the server draws the curves.
  function refreshRegion(id) {
    var current = document.getElementById(id);
    if (!current) {
      return Promise.resolve();
    }
    return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        if (fresh) {
          current.replaceWith(document.importNode(fresh, true));
        }
      });
  }

  function watch(panel) {
    var url = panel.dataset.liveStatusUrl;
    var seen = panel.dataset.liveEvaluations;
    var delay = INTERVAL_MS;
    var stopped = false;

    function schedule() {
      if (!stopped) {
        window.setTimeout(poll, delay);
      }
    }

    function finish(data) {
      stopped = true;
      panel.dataset.liveFinal = "true";
      var done = panel.querySelector('[data-live="done"]');
      if (done && !panel.dataset.liveRefresh) {
        done.hidden = false; // the admin: the results are further down, a reload shows them
      }
      if (panel.dataset.liveRefresh) {
        refreshRegion(panel.dataset.liveRefresh).catch(function () {
          if (done) {
            done.hidden = false;
          }
        });
      }
      return data;
    }

    function poll() {
      // A hidden tab does not poll; it catches up when it is shown again.
      if (document.hidden) {
        document.addEventListener("visibilitychange", poll, { once: true });
        return;
      }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (response.status === 404) {
            stopped = true; // unpublished meanwhile, or gone: nothing more to show
            return null;
          }
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (!data) {
            return;
          }
          delay = INTERVAL_MS;
          applyStatus(panel, data);
          var evaluations = String(data.evaluations);
          if (data.final) {
            finish(data);
            return;
          }
          if (panel.dataset.liveRefresh && evaluations !== seen) {
            seen = evaluations;
            return refreshRegion(panel.dataset.liveRefresh);
          }
        })
        .catch(function () {
          // The server or the network hiccupped: keep trying, less often.
          delay = Math.min(delay * 2, MAX_INTERVAL_MS);
        })
        .then(schedule);
    }

    schedule();
  }

  function start() {
    document.querySelectorAll("[data-live-status-url]").forEach(function (panel) {
      if (panel.dataset.liveFinal !== "true") {
        watch(panel);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
