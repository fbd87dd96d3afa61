"""Event pages: the whole story behind an alert, on one page a phone can open.

``links`` makes and checks the signed addresses, ``timeline`` works out what an
event page shows, ``render`` and ``chart`` write the HTML and SVG, ``server``
serves them on the service's HTTP port. See docs/pages.md.
"""
