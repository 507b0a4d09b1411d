"""The ``acurelief`` command line, one module per command group."""
