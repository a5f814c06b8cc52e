// Starts Swagger UI on /docs. A file of its own because the page's Content-Security-Policy refuses inline scripts.

const root = document.getElementById('swagger-ui');
window.ui = window.SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  layout: 'BaseLayout',
  deepLinking: true,
  docExpansion: 'list',
  displayOperationId: false,
  tryItOutEnabled: false,
  persistAuthorization: false,
  // Otherwise the page would send the document to validator.swagger.io for its badge.
  validatorUrl: null,
});
