// acurelief: small enhancements only; every page works without this script.
//
// data-show-when="field=value" on an element hides it until the radio button or check box
// named "field" has that value checked (e.g. the headache details until "Yes" is chosen).
(function () {
  "use strict";
  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var parts = el.getAttribute("data-show-when").split("=");
      var checked = form.querySelector('input[name="' + parts[0] + '"]:checked');
      var show = checked !== null && checked.value === parts[1];
      el.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      sync(form);
      form.addEventListener("change", function () { sync(form); });
    });
  });
})();
