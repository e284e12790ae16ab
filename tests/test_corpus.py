"""Every page of ../shared/corpus: no crash, no removal without a kept twin, idempotent.

Skipped, with the reason printed, when the corpus is not beside the checkout.
"""

import pytest

import dedup
from dedup.normalize import normalize
from dedup.shingles import shingle_sets
from dedup.verify import containment, jaccard

from .conftest import corpus_pages

CONFIG = dedup.Config()


def _twin_similarity(removed_text: str, kept_text: str, reason: str) -> float:
    a, b = (normalize(t).key for t in (removed_text, kept_text))
    if reason == "exact":
        return 1.0 if a == b else 0.0
    sa, sb = shingle_sets([a, b], CONFIG.shingle_size)
    return jaccard(sa, sb) if reason == "near-duplicate" else containment(sa, sb)


@pytest.mark.corpus
@pytest.mark.parametrize("page", corpus_pages() or [None], ids=lambda p: p.name if p else "absent")
def test_page(page, corpus):
    result = dedup.Cleaner(CONFIG).clean(page.read_bytes(), name=page.name)
    kept = {b.index for b in result.kept}
    for r in result.removed:
        assert r.duplicate_of in kept, f"block {r.index} removed for a twin that went too"
        twin = result.blocks[r.duplicate_of]
        threshold = {"exact": 1.0, "near-duplicate": CONFIG.jaccard, "contained": CONFIG.containment}[r.reason]
        assert _twin_similarity(r.text, twin.text, r.reason) >= threshold - 1e-9
    again = dedup.Cleaner(CONFIG).clean(result.html, name=page.name)
    assert again.removed == ()
    assert [b.text for b in again.blocks] == [b.text for b in result.kept]
