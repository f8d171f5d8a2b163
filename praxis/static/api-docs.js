// Starts Swagger UI on /docs. A file of the site's, not an inline script, so that the page keeps
// the site's content policy (scripts from the site only). The options are FastAPI's defaults.
(function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: document.currentScript.dataset.url,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
