"""Session kinds, one package each: ``consultation`` and ``counseling``.

Import a kind through :func:`clinisim.engine.kind_named`; importing its package
registers it.
"""
