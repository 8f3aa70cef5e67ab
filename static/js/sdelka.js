/* Sdelka's few behaviours that plain HTML and htmx do not cover. Event delegation only: fragments that
   htmx swaps in work without re-initialisation. */
(function () {
  "use strict";

  function rowBoxes(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
  }

  function refreshSelection(form) {
    if (!form) return;
    var all = form.querySelector("[data-select-all]");
    if (!all) return;
    var boxes = rowBoxes(form, all.getAttribute("data-select-all"));
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    form.querySelectorAll("[data-needs-selection]").forEach(function (button) { button.disabled = ticked === 0; });
    form.querySelectorAll("[data-selection-count]").forEach(function (counter) {
      counter.textContent = ticked ? "(" + ticked + ")" : "";
    });
  }

  // Country-dependent fields of a counterparty: show those of the chosen country (and any already filled in).
  function refreshCountry(container) {
    var select = container.querySelector("[data-country-select]");
    if (!select) return;
    var country = select.value === "RU" || select.value === "KZ" ? select.value : "other";
    container.querySelectorAll("[data-country]").forEach(function (input) {
      var field = input.closest(".field");
      if (!field) return;
      var keep = input.getAttribute("data-country") === country || input.value || field.classList.contains("has-error");
      field.hidden = !keep;
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-country-form]").forEach(function (container) {
      refreshCountry(container);
    });
    (root || document).querySelectorAll("[data-select-all]").forEach(function (all) {
      refreshSelection(all.closest("form"));
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      var form = target.closest("form");
      rowBoxes(form, target.getAttribute("data-select-all")).forEach(function (box) { box.checked = target.checked; });
      refreshSelection(form);
    } else if (target.matches('input[type="checkbox"]') && target.closest("form") && target.closest("form").querySelector("[data-select-all]")) {
      refreshSelection(target.closest("form"));
    } else if (target.matches("[data-country-select]")) {
      refreshCountry(target.closest("[data-country-form]"));
    }
  });

  var toastTimer = null;
  function toast(text) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var data = document.body.dataset;
    toast(status === 403 ? data.errorForbidden : status === 404 ? data.errorMissing : data.errorOther);
  });
  document.addEventListener("htmx:sendError", function () { toast(document.body.dataset.errorOther); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
