// The admin's archive import page (community/admin_imports.py): polls the job's status JSON every two
// seconds while it is queued or running, shows the progress, and reloads the page once the job is over
// so that its counts and report appear. Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  const box = document.getElementById("import-job");
  if (!box) return;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  async function poll() {
    let status;
    try {
      const answer = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!answer.ok) throw new Error(answer.status);
      status = await answer.json();
    } catch (error) {
      window.setTimeout(poll, 5000);
      return;
    }
    if (status.finished) {
      window.location.reload();
      return;
    }
    field("status_label").textContent = status.status_label;
    if (status.percent !== null) {
      field("progress").value = status.percent;
      field("percent").textContent = `${status.percent} %`;
    }
    window.setTimeout(poll, 2000);
  }
  window.setTimeout(poll, 2000);
})();
