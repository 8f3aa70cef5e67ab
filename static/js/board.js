/* The funnel board: drag a card to another stage column, or onto "won" / "lost", with plain HTML5 drag events.
   The server decides: on success it answers the refreshed board, otherwise the card goes back to its column and
   the reason is shown. Event delegation only, so the board fragment can be replaced freely. */
(function () {
  "use strict";

  var dragged = null;
  var origin = null;
  var pendingLoss = null;

  function root() { return document.getElementById("board-root"); }
  function canDrag() { var r = root(); return r && r.dataset.canDrag === "1"; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function showMessage(text) {
    var box = document.getElementById("board-message");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }

  function hideMessage() {
    var box = document.getElementById("board-message");
    if (box) { box.hidden = true; box.textContent = ""; }
  }

  function snapBack(card, from) {
    if (card && from && from.parentNode) {
      from.parentNode.insertBefore(card, from.nextSibling);
    }
    if (card) card.classList.remove("dragging");
  }

  // Where the card was: the node after it (or a marker at the end of its column) so it can return there.
  function placeholder(card) {
    var marker = document.createComment("board-card-origin");
    card.parentNode.insertBefore(marker, card);
    return marker;
  }

  // After a conflict the cards carry stale versions: fetch the board as it is now (the message stays).
  function reloadBoard() {
    fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) return;
      return response.text().then(function (html) {
        var board = document.getElementById("board");
        if (board) board.outerHTML = html;
      });
    }).catch(function () { /* the message already asks to reload */ });
  }

  function post(url, data, card, from) {
    var body = new URLSearchParams(data);
    return fetch(url + window.location.search, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) {
        return response.text().then(function (html) {
          if (from && from.parentNode) from.parentNode.removeChild(from);
          var board = document.getElementById("board");
          if (board) board.outerHTML = html;
          hideMessage();
        });
      }
      var type = response.headers.get("Content-Type") || "";
      var reply = type.indexOf("json") >= 0 ? response.json() : Promise.resolve({});
      return reply.then(function (payload) {
        var data = document.body.dataset;
        var text = payload && payload.error ? payload.error
          : response.status === 404 ? data.errorMissing
          : response.status === 403 ? data.errorForbidden : data.errorOther;
        var error = new Error(text);
        error.status = response.status;
        throw error;
      });
    }).catch(function (error) {
      snapBack(card, from);
      if (from && from.parentNode) from.parentNode.removeChild(from);
      showMessage(error && error.message ? error.message : document.body.dataset.errorOther);
      if (error && error.status === 409) reloadBoard();
    });
  }

  function dropTarget(element) {
    return element && element.closest ? element.closest(".board-column, .board-drop") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".board-card[draggable=true]") : null;
    if (!card || !canDrag()) return;
    dragged = card;
    origin = card.closest(".board-column");
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-over").forEach(function (el) { el.classList.remove("drop-over"); });
  });

  document.addEventListener("dragover", function (event) {
    var target = dropTarget(event.target);
    if (!dragged || !target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("drop-over");
  });

  document.addEventListener("dragleave", function (event) {
    var target = dropTarget(event.target);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("drop-over");
  });

  document.addEventListener("drop", function (event) {
    var target = dropTarget(event.target);
    if (!dragged || !target) return;
    event.preventDefault();
    target.classList.remove("drop-over");
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    var r = root();
    var data = { deal: card.dataset.deal, version: card.dataset.version };
    if (target.classList.contains("board-column")) {
      if (target === origin) return;
      var from = placeholder(card);
      target.querySelector(".board-cards").appendChild(card);
      data.stage = target.dataset.stage;
      post(r.dataset.moveUrl, data, card, from);
    } else if (target.dataset.drop === "won") {
      post(r.dataset.winUrl, data, card, placeholder(card));
    } else if (target.dataset.drop === "lost") {
      var dialog = document.getElementById("board-lost-dialog");
      if (!dialog) return;
      pendingLoss = { card: card, data: data };
      dialog.querySelector("form").reset();
      dialog.returnValue = "";
      dialog.showModal();
    }
  });

  document.addEventListener("close", function (event) {
    if (!event.target || event.target.id !== "board-lost-dialog") return;
    var dialog = event.target;
    var loss = pendingLoss;
    pendingLoss = null;
    if (!loss || dialog.returnValue !== "lose") return;
    var form = dialog.querySelector("form");
    loss.data.lost_reason = form.elements.lost_reason.value;
    loss.data.competitor = form.elements.competitor.value;
    post(root().dataset.loseUrl, loss.data, loss.card, placeholder(loss.card));
  }, true);
})();
