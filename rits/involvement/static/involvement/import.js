// Upload progress for the bulk import: htmx reports it, the <progress> element shows it.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("import-progress");
  if (bar && event.detail.lengthComputable) {
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.textContent = bar.value + "%";
  }
});
document.addEventListener("htmx:afterRequest", function () {
  var bar = document.getElementById("import-progress");
  if (bar) { bar.value = 100; bar.textContent = "100%"; }
});
