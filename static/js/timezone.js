// Tells the server the reader's time zone: stores the browser's IANA zone in the `tz` cookie, and
// when this page was rendered for another zone (its [data-reader-tz]) reloads it once so the times
// are shown in the reader's zone. A `?tz=` in the address is the reader's explicit choice: left alone.
(function () {
  "use strict";

  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  // IANA names are letters, digits and / _ + -: all safe in a cookie as they are, so the server
  // reads exactly this string (no percent-encoding it would have to undo).
  if (!zone || zone.length > 64 || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) {
    return;
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) {
        return parts[i].slice(eq + 1);
      }
    }
    return null;
  }

  if (readCookie("tz") !== zone) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  }

  function maybeReload() {
    var shown = document.querySelector("[data-reader-tz]");
    if (!shown || shown.getAttribute("data-reader-tz") === zone) {
      return;
    }
    if (new URLSearchParams(window.location.search).has("tz")) {
      return;
    }
    // Once per zone and tab: if the cookie could not be stored (or the server does not know the
    // zone) the page would otherwise reload for ever.
    var key = "deepcommons-tz-reloaded";
    try {
      if (window.sessionStorage.getItem(key) === zone) {
        return;
      }
      window.sessionStorage.setItem(key, zone);
    } catch (e) {
      return;
    }
    if (readCookie("tz") === zone) {
      window.location.reload();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", maybeReload);
  } else {
    maybeReload();
  }
})();
