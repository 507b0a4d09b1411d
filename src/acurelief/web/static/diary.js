// acurelief diary form: small conveniences only; the form works the same without them.
//
// * data-hide-when="field=value" hides an element while that radio value is chosen (the
//   counterpart of app.js's data-show-when), e.g. "Save: no headache" once "Yes" is chosen;
// * − and + buttons beside each dose count, so one tap adds a dose;
// * "No headache" clears the headache's own details first (pain, hours, what it was like),
//   so that changing one's mind about a day does not need an extra round.
(function () {
  "use strict";
  var MAX_DOSES = 24;

  function syncHidden(form) {
    form.querySelectorAll("[data-hide-when]").forEach(function (el) {
      var parts = el.getAttribute("data-hide-when").split("=");
      var checked = form.querySelector('input[name="' + parts[0] + '"]:checked');
      el.hidden = checked !== null && checked.value === parts[1];
    });
  }

  function stepButton(input, delta, text, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "step";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      var now = parseInt(input.value, 10);
      if (isNaN(now)) now = 0;
      var next = Math.min(MAX_DOSES, Math.max(0, now + delta));
      input.value = String(next);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return button;
  }

  function markDoses(form) {
    form.querySelectorAll(".stepper input.count").forEach(function (input) {
      var row = input.closest(".med-row");
      if (row) row.classList.toggle("has-dose", parseInt(input.value, 10) > 0);
    });
  }

  function addSteppers(form) {
    form.querySelectorAll(".stepper input.count").forEach(function (input) {
      var name = input.getAttribute("data-label") || "this medicine";
      input.parentNode.insertBefore(stepButton(input, -1, "−", "One dose less: " + name), input);
      input.parentNode.appendChild(stepButton(input, 1, "+", "One dose more: " + name));
    });
  }

  function clearHeadacheDetails(form) {
    form.querySelectorAll(
      'input[name="peak_pain"], input[name^="features."], input[name="headache"][type="radio"]'
    ).forEach(function (input) { input.checked = false; });
    var hours = form.querySelector('input[name="headache_hours"]');
    if (hours) hours.value = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.day-form").forEach(function (form) {
      addSteppers(form);
      syncHidden(form);
      markDoses(form);
      form.addEventListener("change", function () { syncHidden(form); markDoses(form); });
      form.addEventListener("input", function () { markDoses(form); });
      form.querySelectorAll('button[name="headache"][value="no"]').forEach(function (button) {
        button.addEventListener("click", function () { clearHeadacheDetails(form); });
      });
    });
  });
})();
