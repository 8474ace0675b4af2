// The API docs page: Redoc renders the OpenAPI document the page names.
(function () {
  "use strict";
  var el = document.getElementById("api-docs");
  if (!el || !window.Redoc) {
    return;
  }
  // Redoc's sidebar credit loads its logo from cdn.redoc.ly: the page
  // loads nothing from elsewhere (its Content-Security-Policy would refuse
  // it anyway), so that image gets an empty source, fails, and Redoc drops
  // it, keeping the text link.
  var elsewhere = function (v) { return String(v).indexOf("https://cdn.redoc.ly/") === 0; };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && elsewhere(value)) {
      value = "data:,";
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) { src.set.call(this, elsewhere(value) ? "data:," : value); }
  });
  window.Redoc.init(el.getAttribute("data-spec-url"), {
    expandResponses: "200",
    jsonSampleExpandLevel: 2,
    pathInMiddlePanel: true
  }, el);
})();
