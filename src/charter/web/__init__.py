"""The web application and the HTTP API (`charter serve`; `charter.web.app.create_app`).

pydantic's plugins are switched off here, when the package is imported, before its modules
build their first validators (the API's models build theirs as they are defined): a server
started by uvicorn alone (`uvicorn --factory charter.web.app:app_from_env`) loads none
either (`charter.plugins`)."""

from charter.plugins import no_pydantic_plugins

no_pydantic_plugins()
