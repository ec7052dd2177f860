"""Govern's portal: the JSON API under ``/api/v1`` and server-rendered pages for people.

Layout: ``app.py`` (the factory, ``create_app(settings)``), ``deps.py`` (typed dependency
aliases), ``security.py`` (signed sessions, CSRF, login throttle), ``errors.py`` (GovernError →
``{"error": …}`` or an error page), ``i18n.py`` + ``locale/`` (zh-CN, en), ``templating.py``,
``routes/`` (one router per area, all listed in ``routes.ROUTERS``), ``services/`` (scoped read
models and caches), ``templates/`` by domain, ``static/``.  Who may see what is decided only by
:mod:`governance.access`; nothing imports this package but the CLI.
"""
