"""edi_reports.rendering.css_prune: the rules a page cannot use are dropped, and only those."""

from __future__ import annotations

import pytest

from edi_reports.rendering.css_prune import page_names, prune_css

PAGE = '<body class="fullcontent quarto-light"><main id="main"><p class=\'lede x\'>a</p></main>'


def test_page_names():
    classes, ids = page_names(PAGE)
    assert classes == {"fullcontent", "quarto-light", "lede", "x"} and ids == {"main"}


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        ("p{margin:0}", True),  # element selectors always
        (".lede{color:red}", True),
        (".navbar{color:red}", False),  # a class the page lacks
        ("#main h2{color:red}", True),
        ("#quarto-sidebar{display:none}", False),  # an id the page lacks
        (".navbar,.lede{color:red}", True),  # one selector of the list may apply
        (".lede .dropdown-menu{color:red}", False),  # every class is needed
        ("p:not(.navbar){color:red}", True),  # classes inside :not() are not required
        (":is(.navbar,.lede) p{color:red}", True),
        ("[data-bs-theme=dark] .x{color:red}", True),  # attribute selectors are not read
        ('a[href$=".pdf"]{color:red}', True),
        (".\\31 0{color:red}", True),  # escaped: kept, not guessed
        (":root{--bs-blue:#0d6efd}", True),
        ("@font-face{font-family:x;src:url(data:font/woff;base64,AA)}", True),
        ("@keyframes spin{from{opacity:0}to{opacity:1}}", True),
        ('.lede::before{content:"}"}', True),  # a brace inside a string
    ],
)
def test_rule(css, kept):
    classes, ids = page_names(PAGE)
    assert (prune_css(css, classes, ids).strip() == css) is kept


def test_grouping_rules_are_pruned_inside_and_dropped_when_empty():
    classes, ids = page_names(PAGE)
    css = "@media (min-width: 768px){.navbar{x:1}.lede{y:2}}@media print{.btn{z:3}}"
    assert prune_css(css, classes, ids) == "@media (min-width: 768px){.lede{y:2}}"


def test_licence_comments_kept_other_comments_dropped():
    classes, ids = page_names(PAGE)
    css = "/*! Bootstrap v5 | MIT License */ /* a note */ .lede{a:b} /* x */ .navbar{c:d}"
    assert prune_css(css, classes, ids) == "/*! Bootstrap v5 | MIT License */\n.lede{a:b}"
