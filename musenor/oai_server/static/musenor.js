// Museums' image links rot: an image that fails to load gives way to the "no image" placeholder beside it.
// Loaded in <head>, before any image, so that the capturing listener sees every error event.
(function () {
  function fallBack(img) {
    var placeholder = img.nextElementSibling;
    if (!placeholder || !placeholder.classList.contains("no-image")) return;
    img.hidden = true;
    placeholder.hidden = false;
    var link = img.closest("a.image-link");
    if (link) link.replaceWith.apply(link, Array.prototype.slice.call(link.childNodes));
  }
  document.addEventListener("error", function (event) {
    if (event.target instanceof HTMLImageElement) fallBack(event.target);
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("img").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) fallBack(img);
    });
  });
})();

// On a phone the filters are a closed panel below the first results' heading: readers see works first and
// open the panel when they want it. Wide screens keep it open beside the results.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("details.facet-panel");
    if (panel && window.matchMedia("(max-width: 760px)").matches) panel.open = false;
  });
})();
