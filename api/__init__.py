"""The HTTP layer of lmis-registry (FastAPI): thin routers over ``registry``; no SQL, no SDMX logic.

``api.app.create_app(settings)`` builds the application; nothing happens at import time.
"""
