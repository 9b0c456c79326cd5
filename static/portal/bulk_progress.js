// Keeps the bulk progress page current by polling its JSON twin until the run is finished.
(function () {
  "use strict";
  var root = document.querySelector(".bulk-progress");
  if (!root) { return; }
  var url = root.dataset.progressUrl;
  var interval = 1500;
  var fill = root.querySelector(".bulk-progress__fill");

  // Set here, not in a style attribute, which the Content-Security-Policy would refuse.
  function setWidth(percent) {
    fill.style.width = percent + "%";
  }

  function text(tag, value) {
    var cell = document.createElement(tag);
    cell.textContent = value;
    return cell;
  }

  function render(data) {
    var counts = data.counts;
    Object.keys(counts).forEach(function (key) {
      var el = root.querySelector('[data-count="' + key + '"]');
      if (el) { el.textContent = counts[key]; }
    });
    root.querySelector('[data-count="pending"]').textContent = counts.pending + counts.running;
    setWidth(counts.percent);
    root.querySelector(".bulk-progress__bar").setAttribute("aria-valuenow", counts.percent);
    var body = root.querySelector("#bulk-items tbody");
    body.replaceChildren.apply(body, data.items.map(function (item) {
      var row = document.createElement("tr");
      row.className = "bulk-item bulk-item--" + item.status;
      var badge = text("span", item.status_label);
      badge.className = "state-badge state-badge--" + item.status;
      var statusCell = document.createElement("td");
      statusCell.appendChild(badge);
      row.append(text("td", item.company), text("td", item.bid), statusCell, text("td", item.message));
      return row;
    }));
    // Viewers get no retry form.
    var retry = root.querySelector("#retry-form");
    if (retry) retry.hidden = counts.failed === 0;
    if (data.finished) {
      root.dataset.finished = "true";
      root.querySelector("#bulk-summary").textContent =
        "Finished: " + counts.done + " registered, " + counts.failed + " failed.";
    }
    return data.finished;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { if (!render(data)) { window.setTimeout(poll, interval); } })
      .catch(function () { window.setTimeout(poll, interval * 4); });
  }

  setWidth(fill.dataset.percent);
  if (root.dataset.finished !== "true") { window.setTimeout(poll, interval); }
})();
