"""Every page of ../shared/corpus: no crash, no removal without a kept twin, idempotent.

Skipped, with the reason printed, when the corpus is not beside the checkout.
"""

import pytest

import dedup
from dedup.rewrite.html import source_edits

from .conftest import corpus_pages, deletions_only, threshold, twin_similarity

CONFIG = dedup.Config()


@pytest.mark.corpus
@pytest.mark.parametrize("page", corpus_pages() or [None], ids=lambda p: p.name if p else "absent")
def test_page(page, corpus):
    result = dedup.Cleaner(CONFIG).clean(page.read_bytes(), name=page.name)
    kept = {b.index for b in result.kept}
    for r in result.removed:
        assert r.duplicate_of in kept, f"block {r.index} removed for a twin that went too"
        twin = result.blocks[r.duplicate_of]
        assert (
            twin_similarity(r.text, twin.text, r.reason, CONFIG)
            >= threshold(r.reason, CONFIG) - 1e-9
        )
    # The page's own plan: every removal has a twin the page keeps, and no more than text.
    in_page = {r.index for r in result.html_removed}
    assert in_page <= result.removed_indices
    assert all(r.duplicate_of not in in_page for r in result.html_removed)
    # Asked before the rewrite, which changes the tree when it falls back to it.
    in_source = in_page and source_edits(result.original, result.page, in_page) is not None
    cleaned = result.html
    again = dedup.Cleaner(CONFIG).clean(cleaned, name=page.name)
    assert again.html_removed == ()
    assert [b.text for b in again.blocks] == [
        b.text for b in result.blocks if b.index not in in_page
    ]

    if in_source:  # as on all but 7 of these pages: the cleaned page is the source minus cuts
        assert deletions_only(result.original, cleaned)
