// The zoom viewer of a record page: OpenSeadragon (vendored, static/vendor/openseadragon) showing the
// images of the record's IIIF Presentation 3 manifest, one page per Canvas. The manifest is the single
// source of what to show, as for any other IIIF viewer.
(function () {
  function imagesOf(manifest) {
    var sources = [];
    (manifest.items || []).forEach(function (canvas) {
      (canvas.items || []).forEach(function (page) {
        (page.items || []).forEach(function (annotation) {
          var body = annotation.body || {};
          if (annotation.motivation === "painting" && body.type === "Image" && body.id) {
            sources.push({ type: "image", url: body.id, buildPyramid: false });
          }
        });
      });
    });
    return sources;
  }

  function open(button, element) {
    if (element.dataset.state) return;
    element.dataset.state = "loading";
    fetch(button.dataset.manifest, { headers: { Accept: "application/ld+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("manifest: HTTP " + response.status);
        return response.json();
      })
      .then(function (manifest) {
        var sources = imagesOf(manifest);
        var viewer = OpenSeadragon({
          element: element, prefixUrl: element.dataset.prefix, tileSources: sources,
          sequenceMode: sources.length > 1, showNavigator: true, crossOriginPolicy: false
        });
        viewer.addHandler("open", function () { element.dataset.state = "open"; });
        viewer.addHandler("open-failed", function () { element.dataset.state = "failed"; });
      })
      .catch(function () { element.dataset.state = "failed"; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("button.zoom[data-manifest]");
    var element = document.getElementById("viewer");
    if (!button || !element || typeof OpenSeadragon === "undefined") return;
    button.addEventListener("click", function () {
      var showing = element.hidden;
      element.hidden = !showing;
      // the viewer takes the still image's place while it is open
      element.closest(".record-image").classList.toggle("zooming", showing);
      button.setAttribute("aria-expanded", String(showing));
      button.textContent = showing ? button.dataset.close : button.dataset.open;
      if (showing) open(button, element);
    });
  });
})();
