// Keeps a bulk run's page current by polling its JSON twin until the run is finished.
(function () {
  "use strict";
  var root = document.querySelector(".bulk-progress");
  if (!root) { return; }
  var url = root.dataset.progressUrl;
  var interval = 1500;
  var done = root.querySelector(".bulk-progress__fill");
  var failed = root.querySelector(".bulk-progress__failed");

  // Set here, not in a style attribute, which the Content-Security-Policy would refuse.
  function setWidths(donePercent, failedPercent) {
    done.style.width = donePercent + "%";
    failed.style.width = failedPercent + "%";
  }

  function text(tag, value) {
    var cell = document.createElement(tag);
    cell.textContent = value;
    return cell;
  }

  function labelCell(item) {
    var cell = document.createElement("td");
    if (item.url) {
      var link = text("a", item.label);
      link.href = item.url;
      cell.appendChild(link);
    } else {
      cell.textContent = item.label;
    }
    return cell;
  }

  function render(data) {
    var counts = data.counts;
    Object.keys(counts).forEach(function (key) {
      var el = root.querySelector('[data-count="' + key + '"]');
      if (el) { el.textContent = counts[key]; }
    });
    setWidths(counts.done_percent, counts.failed_percent);
    var bar = root.querySelector(".bulk-progress__bar");
    bar.setAttribute("aria-valuenow", counts.percent);
    bar.setAttribute("aria-label",
      counts.done + " done, " + counts.failed + " failed of " + counts.total);
    var body = root.querySelector("#bulk-items tbody");
    body.replaceChildren.apply(body, data.items.map(function (item) {
      var row = document.createElement("tr");
      row.className = "bulk-item bulk-item--" + item.status;
      var badge = text("span", item.status_label);
      badge.className = "state-badge state-badge--" + item.status;
      var statusCell = document.createElement("td");
      statusCell.appendChild(badge);
      row.append(labelCell(item), statusCell, text("td", item.message));
      return row;
    }));
    // Only those who may start runs get the retry forms.
    var retry = root.querySelector("#retry-forms");
    if (retry) { retry.hidden = counts.failed === 0; }
    if (data.finished) {
      root.dataset.finished = "true";
      root.querySelector("#bulk-summary").textContent =
        "Finished: " + counts.done + " done, " + counts.failed + " failed.";
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

  setWidths(done.dataset.percent, failed.dataset.percent);
  if (root.dataset.finished !== "true") { window.setTimeout(poll, interval); }
})();
