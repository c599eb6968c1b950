// The query page's editor: YASGUI (vendored, static/vendor/yasgui) over this hub's own endpoint only.
// Without script the page keeps its plain form, which the server answers with an HTML table.
// Nothing here reaches another site: the endpoint, the prefixes and the examples come from this page, the
// LOV and prefix.cc autocompleters are left off, and the page's Content-Security-Policy (connect-src 'self')
// would refuse any other request anyway.
(function () {
  "use strict";

  function config() {
    return JSON.parse(document.getElementById("sparql-config").textContent);
  }

  function downloadLink(settings, query, format) {
    var params = new URLSearchParams({query: query, format: format});
    return settings.endpoint + "?" + params.toString();
  }

  function start() {
    var root = document.getElementById("yasgui");
    if (!root || typeof Yasgui === "undefined") return;
    var settings = config();
    document.body.classList.add("yasgui-active");
    var yasgui = new Yasgui(root, {
      requestConfig: {endpoint: settings.endpoint, method: "POST"},
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: {getData: function () { return [{endpoint: settings.endpoint}]; }},
      persistenceId: "musenor-sparql",
      yasqe: {
        autocompleters: ["prefixes", "variables"],
        prefixCcApi: settings.prefixes_url,
        // The share button makes a link whose fragment holds the query; opening it reloads and runs it.
        createShortLink: undefined
      },
      yasr: {prefixes: settings.prefixes, defaultPlugin: "table"}
    });

    if (settings.query) yasgui.getTab().setQuery(settings.query);
    var downloads = document.getElementById("sparql-downloads");
    var permalink = document.getElementById("sparql-permalink");

    function refreshLinks() {
      var tab = yasgui.getTab();
      if (!tab) return;
      var query = tab.getQuery();
      downloads.querySelectorAll("a[data-download]").forEach(function (link) {
        link.href = downloadLink(settings, query, link.getAttribute("data-download"));
      });
      permalink.href = tab.getShareableLink();
    }

    document.querySelectorAll("a[data-example]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var example = settings.examples[link.getAttribute("data-example")];
        var tab = yasgui.getTab();
        tab.setName(link.textContent.trim());
        tab.setQuery(example);
        refreshLinks();
      });
    });
    yasgui.on("tabChange", refreshLinks);
    yasgui.on("query", refreshLinks);
    yasgui.on("queryResponse", function () {
      refreshLinks();
      document.getElementById("yasgui").setAttribute("data-state", "answered");
    });
    root.addEventListener("keyup", refreshLinks);
    refreshLinks();
    downloads.hidden = false;
    window.musenorYasgui = yasgui;  // for people's consoles and the browser tests
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
