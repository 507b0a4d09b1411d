"""Reference knowledge kept as data files in this package, with typed loaders.

The facts live in ``data/`` (one file per catalogue, each with a companion ``.md`` naming its
sources and the decisions taken where sources disagree). Loaders read only these files of the
package itself, through :mod:`importlib.resources`; nothing here touches the network, the
database or any other file.
"""
