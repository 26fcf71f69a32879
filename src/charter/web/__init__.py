"""The web application and the HTTP API (`charter serve`; `charter.web.app.create_app`)."""
