"""``screening serve``: a yente-compatible match API and the analysts' workbench over one store.

The match API answers from a name index built once from the store's lists and swapped whole when a
``lists import`` or ``update`` changes them (:mod:`.live`); the workbench reads and writes the store
for the length of one request only (:mod:`.access`), so batch runs can use the same file between
requests. The application is :func:`screening.serve.app.create_app`; ``serve --workers N`` runs it
in N processes on one port, each with its own index (:mod:`.workers`). Its libraries come with the
``serve`` extra, so this package imports none of them itself.
"""
