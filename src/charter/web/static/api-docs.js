// Starts Swagger UI on /docs (api_docs.py): the schema's address is the page's data, so the
// page needs no inline script.
"use strict";
(function () {
  var box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: box.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
})();
