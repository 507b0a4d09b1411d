// acurelief: the "Copy" button beside a one-time link. Without this script the link is still
// plain, selectable text in a read-only field; the button only appears when it can work.
(function () {
  "use strict";
  function copied(button, words) {
    var status = button.closest(".field").querySelector(".copy-done");
    if (status) status.textContent = words;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) return;
      button.hidden = false;
      field.addEventListener("focus", function () { field.select(); });
      button.addEventListener("click", function () {
        field.select();
        var done = function () { copied(button, "Copied. Paste it where the patient will find it."); };
        var fallback = function () {
          try {
            if (document.execCommand("copy")) { done(); return; }
          } catch (e) { /* fall through */ }
          copied(button, "Select the link and copy it yourself.");
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  });
})();
