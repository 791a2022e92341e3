/* The organiser's meeting grid: drag a meeting card to another cell (or back to the tray).
 *
 * The move is posted to the API (POST /api/events/<slug>/meetings/<id>/move with the CSRF token from
 * the csrftoken cookie); the page reloads on success so conflicts and counts are recomputed on the
 * server, and the server's reason is shown when the move is refused. No inline script, no library.
 */
(function () {
  "use strict";

  var grid = document.getElementById("meeting-grid");
  if (!grid) {
    return;
  }
  var message = document.getElementById("grid-message");
  var moveUrl = grid.getAttribute("data-move-url");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function urlFor(meetingId) {
    return moveUrl.replace(/\/0\/move\/?$/, "/" + encodeURIComponent(meetingId) + "/move");
  }

  function showError(text) {
    message.textContent = text;
    message.hidden = false;
    message.scrollIntoView({ block: "nearest" });
  }

  function move(meetingId, slot, place) {
    document.body.classList.add("grid-busy");
    return fetch(urlFor(meetingId), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ slot: slot, place: place })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          window.location.reload();
          return;
        }
        document.body.classList.remove("grid-busy");
        showError(body.message || ("The move was refused (" + response.status + ")."));
      });
    }).catch(function (error) {
      document.body.classList.remove("grid-busy");
      showError("The move could not be sent: " + error);
    });
  }

  var dragged = null;

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".meeting-card");
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-meeting"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    dragged = null;
    document.querySelectorAll(".drop-target").forEach(function (el) {
      el.classList.remove("drop-target");
    });
  });

  function dropZone(target) {
    return target.closest ? target.closest("[data-drop]") : null;
  }

  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event.target);
    if (zone && dragged) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      zone.classList.add("drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var zone = dropZone(event.target);
    if (zone && !zone.contains(event.relatedTarget)) {
      zone.classList.remove("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var zone = dropZone(event.target);
    if (!zone || !dragged) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("drop-target");
    var meetingId = event.dataTransfer.getData("text/plain") || dragged.getAttribute("data-meeting");
    if (zone.getAttribute("data-drop") === "tray") {
      if (dragged.closest("[data-drop='tray']")) {
        return;
      }
      move(meetingId, null, null);
      return;
    }
    var slot = Number(zone.getAttribute("data-slot"));
    var place = Number(zone.getAttribute("data-place"));
    if (dragged.parentElement === zone) {
      return;
    }
    move(meetingId, slot, place);
  });
})();
