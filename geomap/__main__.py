"""``python -m geomap`` runs the command line, like ``geomap``."""

from geomap.cli import main

main()
