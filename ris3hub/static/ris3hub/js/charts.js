/* Draws the Plotly figures of a page.
 *
 * An element <div data-figure="ID" data-topojson="URL/"> is drawn from the JSON block
 * <script type="application/json" id="ID"> (Django's json_script). Clicking a map area or a node
 * whose customdata is a URL opens that page. No inline script: the page passes data only.
 */
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var aspect = figure.layout.meta && figure.layout.meta.aspect;
    if (aspect && element.clientWidth) {
      // A map keeps its proportions: on a narrow screen it gets lower instead of being cut.
      var margin = figure.layout.margin || {};
      var fitted = element.clientWidth * aspect + (margin.t || 0) + (margin.b || 0);
      figure.layout.height = Math.max(220, Math.min(figure.layout.height, Math.round(fitted)));
    }
    var config = {
      responsive: true,
      displaylogo: false,
      scrollZoom: false,
      displayModeBar: false,
      // Maps draw GISCO polygons only: base layers are off, and the one file plotly.js still asks
      // for is an empty topology served with the page, so nothing is fetched from elsewhere.
      topojsonURL: element.getAttribute("data-topojson") || undefined
    };
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
      element.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point && point.customdata;
        if (typeof url === "string" && url.charAt(0) === "/") {
          window.location.assign(url);
        }
      });
    });
  }

  function drawAll() {
    var elements = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < elements.length; i++) {
      draw(elements[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
