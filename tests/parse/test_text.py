from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.parse.text import LINE_BREAK, has_break, parse_text


def test_text_blocks_have_exact_spans():
    text = "First para\nline two\n\n\n  Second  \r\n\r\nThird"
    blocks = parse_text(text)
    assert [text[b.start : b.end] for b in blocks] == ["First para\nline two", "Second", "Third"]
    assert [b.line for b in blocks] == [1, 5, 7]


def test_text_without_blank_lines_is_a_block_a_line():
    text = "First line, a paragraph\r\n  Second  \nThird\rFourth\n"
    blocks = parse_text(text)
    assert [text[b.start : b.end] for b in blocks] == [
        "First line, a paragraph",
        "Second",
        "Third",
        "Fourth",
    ]
    assert [b.line for b in blocks] == [1, 2, 3, 4]
    # One blank line anywhere and the text is read as paragraphs separated by blank lines.
    assert [b.text for b in parse_text("One\nline two\n\nThree")] == ["One\nline two", "Three"]
    # A CR LF is one line break, not a blank line.
    assert [b.text for b in parse_text("One\r\nline two\r\n\r\nThree")] == [
        "One\r\nline two",
        "Three",
    ]


def test_a_paragraph_holding_a_repeated_line_is_read_a_line_a_block():
    cap = "Rescue workers search the rubble of the collapsed building"
    text = f"Opening paragraph of the story.\n\n{cap}\nImage caption, {cap}\n\nWrapped prose\nline two\n"
    assert [b.text for b in parse_text(text)] == [
        "Opening paragraph of the story.",
        cap,
        f"Image caption, {cap}",
        "Wrapped prose\nline two",
    ]
    # A line repeated as a whole paragraph elsewhere splits its paragraph too.
    text = f"{cap}\n\nBody text.\nRescue workers search the rubble of the collapsed building\n"
    assert len(parse_text(text)) == 3
    # A paragraph written again whole (here with its line broken) stays whole: its copy
    # goes whole, with no stray line of it left behind.
    text = f"{cap}?\n\nBody text.\n\n{cap}\n?\n"
    assert [b.text for b in parse_text(text)] == [f"{cap}?", "Body text.", f"{cap}\n?"]
    # Short lines ("Share") never split a paragraph.
    assert [b.text for b in parse_text("Share\nShare\n\nBody.\n")] == ["Share\nShare", "Body."]


def test_a_paragraph_of_ranked_or_bulleted_lines_is_read_an_entry_a_block():
    most_read = "Lo más leído\n\n1. Primera noticia del día\n2. Segunda noticia\n3. Tercera"
    assert [b.text for b in parse_text(most_read)] == [
        "Lo más leído",
        "1. Primera noticia del día",
        "2. Segunda noticia",
        "3. Tercera",
    ]
    bullets = "Intro\n\n• one item\n• another item"
    assert [b.text for b in parse_text(bullets)] == ["Intro", "• one item", "• another item"]
    # Wrapped prose, ranks that do not go one by one, and mixed leads stay one paragraph.
    for text in (
        "Intro\n\nThe council met on\nTuesday to vote.",
        "Intro\n\n3. A clause\n5. Another clause",
        "Intro\n\n1. A step\n- a note",
    ):
        assert len(parse_text(text)) == 2, text


def test_lines_led_by_different_bullets_stay_one_paragraph():
    assert len(parse_text("Intro\n\n• one item\n- another item\n")) == 2


def _cleaned_once_for_all(src: str, want: str) -> None:
    """As text and as Markdown, ``src`` cleans to ``want``, and that cleans to itself."""
    for fmt in ("text", "markdown"):
        r = dedup.clean(src, format=fmt)
        assert r.text == want, fmt
        assert dedup.clean(r.text, format=fmt).removed == ()


def test_a_paragraph_saying_a_line_twice_and_printed_twice_is_cleaned_once_for_all():
    # Its copy goes whole, and so does its own second line: a second clean, which no longer
    # sees the copy, would otherwise split it and remove that line then.
    line = "The mayor said the main street would stay closed until Friday at least"
    src = f"{line}\n{line}\n\nVolunteers filled sandbags outside the library.\n\n{line}\n{line}\n"
    _cleaned_once_for_all(src, f"{line}\n\nVolunteers filled sandbags outside the library.\n")


def test_a_stanza_saying_a_line_right_after_itself_and_printed_twice_is_cleaned_once_for_all():
    # Three short lines are a stanza, but a line said right after itself is a copy, not a
    # refrain: the stanza splits now, as it would alone once its copy (a caption with its
    # credit) is gone, and a second clean finds nothing.
    line = "The river rose above the old stone bridge before dawn on Monday"
    src = f"{line}\n{line}\n{line}\nPhoto: {line}\n\n{line}\n{line}\n{line}\n"
    _cleaned_once_for_all(src, f"{line}\n")


def test_a_chorus_that_ends_on_its_first_line_stays_whole_alone_and_beside_its_copy():
    # A chorus printed twice loses its copy and keeps its own last line; alone, it is
    # read whole again (a line said again later in a stanza is its refrain).
    a = "The river rose above the old stone bridge before dawn on Monday"
    b = "Crews worked through the night to clear the flooded road north"
    chorus = f"{a}\n{b}\n{a}"
    intro = "Volunteers filled sandbags outside the library all afternoon."
    src = f"{intro}\n\n{chorus}\n\n{chorus}\n"
    _cleaned_once_for_all(src, f"{intro}\n\n{chorus}\n")


_BREAKS_ALPHABET = ["a", " ", "\n", "\r", "\r\n", "\u2028", "\x0b", "\x85", "é"]


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(_BREAKS_ALPHABET), max_size=20).map("".join),
    st.integers(0, 25),
    st.integers(0, 25),
)
def test_a_span_holds_a_line_break_where_the_line_break_pattern_finds_one(text, start, end):
    # ``has_break`` is a shortcut for ``LINE_BREAK.search``: never a change.
    assert has_break(text, start, end) == bool(LINE_BREAK.search(text, start, end))
