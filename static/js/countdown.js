// Live countdown beside each deadline: reads the UTC instant from [data-due] and fills the
// neighbouring [data-countdown]. Without JavaScript the page already shows the date and time.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var daysText = document.documentElement.getAttribute("data-days-text") || "%(days)s d";
  var relative = null;
  try {
    relative = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  } catch (e) {
    relative = null;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function describe(ms) {
    var total = Math.floor(ms / 1000);
    var days = Math.floor(total / 86400);
    var rest = total % 86400;
    var clock = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
    if (days >= 1) {
      // Without Intl.RelativeTimeFormat: the page's own words ("%(days)s d", translated on <html>).
      var dayText = relative ? relative.format(days, "day") : daysText.replace("%(days)s", String(days));
      return dayText + " " + clock;
    }
    return clock;
  }

  function entries() {
    var found = [];
    var times = document.querySelectorAll("[data-due]");
    for (var i = 0; i < times.length; i++) {
      var due = Date.parse(times[i].getAttribute("data-due"));
      var holder = times[i].closest(".deadline");
      var target = holder ? holder.querySelector("[data-countdown]") : null;
      if (!isNaN(due) && target) {
        found.push({ due: due, target: target });
      }
    }
    return found;
  }

  function start() {
    var list = entries();
    if (!list.length) {
      return;
    }
    var closedText = document.documentElement.getAttribute("data-closed-text") || "—";
    function tick() {
      var now = Date.now();
      for (var i = 0; i < list.length; i++) {
        var left = list[i].due - now;
        var el = list[i].target;
        if (left <= 0) {
          el.textContent = closedText;
          el.classList.add("is-closed");
        } else {
          el.textContent = describe(left);
        }
        el.hidden = false;
      }
    }
    tick();
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
