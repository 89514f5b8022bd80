// The plan page opens its forms in place with HTMX (views/edit.py, _plan_form); without
// JavaScript every form is a page of its own, so nothing here is needed to use Rits.

// A refused form comes back with its errors (422) or with both versions after a clash
// (409). htmx drops error answers by default: show these, they replace the form.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var target = event.detail.target;
  var form = target && target.closest && target.closest(".plan-form");
  if (form && (status === 422 || status === 409)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After a save, a cancel or "show all", the element that had the focus is gone: give it
// to the heading of the section that came back, not to the top of the page. (An opened
// form takes the focus itself: its first field carries autofocus, which htmx honours.)
document.addEventListener("htmx:load", function (event) {
  var section = event.detail.elt;
  if (!section.matches || !section.matches("section.card")) return;
  var active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  var heading = section.querySelector("h2[tabindex]");
  if (heading) heading.focus();
});
