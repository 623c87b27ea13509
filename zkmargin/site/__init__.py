"""A static site for published reports: an overview of the proven figures, and a page that
checks a user's receipt in the browser (:mod:`zkmargin.site.build`, :mod:`zkmargin.site.data`;
the page itself is ``assets/``)."""

from zkmargin.site.build import Site, build_site

__all__ = ["Site", "build_site"]
