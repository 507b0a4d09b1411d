// Session chart: add and remove point rows without a round trip to the server, and give a
// midline point no side. Without this script the same buttons work by re-rendering the form.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("point-rows");
    var template = document.getElementById("point-row-template");
    var options = document.getElementById("acupoints");
    if (!list || !template) return;
    var next = list.children.length;

    function isMidline(code) {
      if (!options || !code) return null;
      var found = null;
      Array.prototype.forEach.call(options.options, function (o) {
        if (o.value === code) found = o.hasAttribute("data-midline");
      });
      return found;
    }

    function renumber() {
      Array.prototype.forEach.call(list.children, function (row, index) {
        row.querySelectorAll("label").forEach(function (label) {
          label.textContent = label.textContent.replace(/^Point \S+:/, "Point " + (index + 1) + ":");
        });
        var remove = row.querySelector("[data-remove-point]");
        if (remove) remove.setAttribute("aria-label", "Remove point " + (index + 1));
      });
    }

    document.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-point]");
      if (add) {
        event.preventDefault();
        var html = template.innerHTML.replace(/__i__/g, String(next)).replace(/__n__/g, "0");
        next += 1;
        list.insertAdjacentHTML("beforeend", html);
        renumber();
        list.lastElementChild.querySelector("input").focus();
        return;
      }
      var remove = event.target.closest("[data-remove-point]");
      if (remove) {
        event.preventDefault();
        var row = remove.closest("li");
        if (list.children.length > 1) {
          row.remove();
          renumber();
          list.lastElementChild.querySelector("input").focus();
        } else {
          row.querySelector("input").value = "";
          row.querySelector("input").focus();
        }
      }
    });

    list.addEventListener("change", function (event) {
      if (!event.target.matches("input[list]")) return;
      var side = event.target.closest("li").querySelector("select");
      var midline = isMidline(event.target.value.trim().toUpperCase());
      if (midline === true) side.value = "";
      else if (midline === false && side.value === "") side.value = "bilateral";
    });
  });
})();
