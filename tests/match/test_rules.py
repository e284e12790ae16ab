"""Which blocks go and which stay: verification rules, keeper policy, repeats that are content."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

import dedup
from dedup import Kind
from dedup.match.normalize import normalize
from dedup.match.rules import edited_quote_inside

from ..conftest import SAMPLES

CAPTION = "Rescue workers search the rubble of the collapsed building in the old town"
PARA = "The regional government said on Tuesday that it would rebuild the bridge within two years."


def removed(source, **options):
    r = dedup.clean(source, **options)
    return [(x.index, x.duplicate_of, x.reason) for x in r.removed], r


def in_html(r):
    return [(x.index, x.duplicate_of, x.reason) for x in r.html_removed]


def page(body):
    return f"<html><body>{body}</body></html>"


def test_body_text_beats_caption():
    got, r = removed(
        page(f"<figure><img src=a><figcaption>{PARA}</figcaption></figure><p>{PARA}</p>")
    )
    assert got == [(0, 1, "exact")]
    assert r.kept[0].kind is Kind.PARAGRAPH


def test_caption_beats_alt_and_alt_needs_asking():
    html = page(f'<figure><img src=a alt="{CAPTION}"><figcaption>{CAPTION}</figcaption></figure>')
    assert removed(html)[0] == []
    got, r = removed(html, include_alt=True)
    assert got == [(0, 1, "exact")] and r.blocks[0].kind is Kind.ALT
    assert 'alt=""' in r.html and CAPTION in r.html


def test_complete_copy_beats_truncated_one():
    got, _ = removed(f"{CAPTION[:60]}...\n\n{CAPTION}\n")
    assert got == [(0, 1, "contained")]


def test_a_truncated_copy_never_keeps_over_a_complete_one():
    # A teaser paragraph cut short is the caption's echo, though a paragraph outranks a
    # caption; and a body paragraph never goes for a longer teaser of it.
    got, r = removed(
        page(
            f"<figure><img src=a><figcaption>{CAPTION}</figcaption></figure>"
            f"<p>{PARA}</p><p>{CAPTION[:60]}...</p>"
        )
    )
    assert got == [(2, 0, "contained")]
    teaser = f"{PARA} The council will meet again on Friday..."
    got, r = removed(
        page(
            f"<p>{PARA}</p><p>Other words of the story.</p><ul><li>{teaser}</li></ul>"
            f"<p>{teaser}</p>"
        )
    )
    assert 0 not in [g[0] for g in got]


def test_a_teaser_cut_short_with_a_list_s_counters_after_it_goes():
    # A most-read list cuts each headline and prints its views and comments after it: the
    # numbers are the list's, so the cut copy is still the headline's teaser.
    titles = [
        "Пореден ръст: 819 души заразени с коронавирус за денонощие в България",
        "Затягат контрола върху мерките, свързани с COVID-19",
    ]
    cut = [
        ("Пореден ръст: 819 души заразени с коронавирус", 5461),
        ("Затягат контрола върху мерките, свързани", 2667),
    ]
    most_read = "".join(f"<li><a href=x>{t}... {views} 0</a></li>" for t, views in cut)
    body = "".join(
        f"<h3>{t}</h3><p>{PARA}</p>" if n == 0 else f"<h3>{t}</h3>" for n, t in enumerate(titles)
    )
    got, r = removed(page(f"{body}<ul class=most-read>{most_read}</ul>"))
    assert [g[0] for g in got] == [3, 4]
    assert "5461" not in r.text
    # Without the ellipsis, a number after a line is its own (a new figure): it stays.
    got, _ = removed(page(f"{body}<ul><li>Затягат контрола върху мерките, свързани 2667</li></ul>"))
    assert got == []


def test_a_breadcrumb_ending_in_the_headline_goes_and_the_headline_stays():
    title = "Musik und Sport: So steigern Songs deine Leistung"
    for crumbs in ("Home » Entertainment » ", "Mac & i > News > 2015 > KW 15 > "):
        got, r = removed(page(f"<p class=crumbs>{crumbs}{title}</p><h1>{title}</h1><p>{PARA}</p>"))
        assert got == [(0, 1, "headline")], crumbs
        assert r.text.count(title) == 1 and r.kept[0].kind is Kind.HEADING
    # A path of many words before it is a sentence, not a path of names: it stays.
    got, _ = removed(
        page(
            f"<p>What the coach told the team before the final match began: {title}</p><h1>{title}</h1>"
        )
    )
    assert got == []


def test_a_heading_inside_a_fuller_line_goes_for_it():
    # A related story's heading, then the same title with its standfirst in another list:
    # the heading is visited first and kept, but the list item says it and more.
    title = "Nunes keeps referring to the impeachment hearing as a drug deal"
    dek = "It is not that clever."
    got, r = removed(
        page(
            f"<p>{PARA}</p><aside><ul><li><a href=x>{title} {dek}</a></li></ul>"
            f"<section><h3>{title}</h3></section></aside>"
        )
    )
    assert got == [(2, 1, "contained")]
    assert r.text.count(title) == 1 and dek in r.text


def test_a_fuller_line_never_takes_a_heading_s_or_a_paragraph_s_place_wrongly():
    # A table of contents numbers the article's section headings: "3 Title" is the
    # entry's place, and the section heading stays.
    sections = [
        "Warum braucht meine Katze elektrisches Spielzeug?",
        "Auf diese Eigenschaften solltest du beim Kauf achten",
    ]
    toc = "".join(f"<li>{n} {t}</li>" for n, t in enumerate(sections, 3))
    body = "".join(f"<h2>{t}</h2><p>{PARA[:-1]} in part {n}.</p>" for n, t in enumerate(sections))
    got, _ = removed(page(f"<ol>{toc}</ol>{body}"))
    assert got == []
    # The article's paragraph stays beside a share box that holds it and the next
    # sentence cut short; and the article's heading stays beside page furniture.
    got, r = removed(
        page(
            f"<h1>{CAPTION}</h1><p>{PARA}</p><ul class=share><li>{PARA} The council met"
            f" again</li></ul><nav><ul><li>{CAPTION} and more in the news</li></ul></nav>"
        )
    )
    assert got == [] and r.kept[1].text == PARA


def test_a_named_snippet_of_a_comment_cut_at_a_word_goes():
    comment = (
        "A stagnant real estate market is having an instrumental impact on the retirement"
        " crisis, since most families hold their savings in the house they live in."
    )
    snippet = "wdokken: A stagnant real estate market is having an instrumental impact"
    got, r = removed(
        page(f"<p>{PARA}</p><div class=comment><p>{comment}</p><p>{snippet}</p></div>")
    )
    assert got == [(2, 1, "contained")] and comment in r.text
    # A named line whose words open no other block stays; so does one that differs.
    for line in (
        "Moderator: A stagnant housing market hurts the young most of all",
        "wdokken: A stagnant real estate market is having no impact",
    ):
        got, _ = removed(page(f"<p>{PARA}</p><p>{comment}</p><p>{line}</p>"))
        assert got == [], line


def test_a_short_chinese_or_japanese_headline_with_the_site_joined_on_goes_not_the_h1():
    for title, line in (
        ("滨江市地铁3号线北延段今日开通运营", "滨江市地铁3号线北延段今日开通运营 | 滨江日报网"),
        (
            "滨江市地铁3号线北延段今日开通运营",
            "滨江市地铁3号线北延段今日开通运营_滨江新闻_滨江日报网",
        ),
        (
            "東京都、来年4月から第1子の保育料を無償化へ",
            "東京都、来年4月から第1子の保育料を無償化へ｜東都タイムズ",
        ),
    ):
        got, r = removed(page(f"<div>{line}</div><article><h1>{title}</h1><p>{PARA}</p></article>"))
        assert got == [(0, 1, "headline")], line
        assert r.kept[0].kind is Kind.HEADING


def test_a_caption_copy_led_in_by_any_label_or_counter_goes_and_the_caption_stays():
    words = "Mountain rescue volunteers carry the injured walker down the north face"
    for copy in (
        f"<div class=lightbox><img src=b.jpg><div>Pictured: {words}</div></div>",
        f"<div class=note><p>Foto oben: {words}</p></div>",
        f"<ul class=grid><li><img src=t.jpg><span>2/5 {words}</span></li></ul>",
        f"<ul class=grid><li><img src=t.jpg><span>Bild 3 von 4: {words}</span></li></ul>",
    ):
        html = page(
            f"<figure><img src=a.jpg><figcaption>{words}</figcaption></figure><p>{PARA}</p>{copy}"
        )
        got, r = removed(html)
        assert [g[:2] for g in got] == [(2, 0)], copy
        assert r.kept[0].kind is Kind.CAPTION
    # A counter leads in a slide's text wherever the slide's text stands.
    html = page(
        f"<div class=slide><img src=a.jpg><div>{words}</div></div><p>{PARA}</p>"
        f"<ul><li><img src=t.jpg><span>Bild 3 von 4: {words}</span></li></ul>"
    )
    assert [g[:2] for g in removed(html)[0]] == [(2, 0)]


def test_a_speaker_s_sentence_beside_its_pull_quote_stays_and_the_quote_goes():
    quote = "We will rebuild every school that was damaged by the floods before the winter"
    for said, attribution in (("Mayor Doe said:", "— Jane Doe"), ("Doe said:", "— Jo Doe")):
        html = page(
            f"<article><p>{said} \u201c{quote}.\u201d</p><p>{PARA}</p><aside><blockquote>"
            f"\u201c{quote}.\u201d {attribution}</blockquote></aside></article>"
        )
        got, r = removed(html)
        assert [g[:2] for g in got] == [(2, 0)], said
    # An attribution in a script of its own is set aside as one in Latin letters is.
    kept = normalize(f"Мер сказала: {quote}.").key
    quoted = f"\u201c{quote}.\u201d — Олена Ковальчук"
    assert edited_quote_inside(quoted, kept, dedup.Config()) == 1.0
    # A breadcrumb with "›" is a path of names too.
    title = "Flood defences to be rebuilt before the winter storms"
    got, _ = removed(page(f"<p>Home › News › {title}</p><h1>{title}</h1><p>{PARA}</p>"))
    assert got == [(0, 1, "headline")]


def test_label_prefixed_copy_goes():
    got, _ = removed(
        page(f"<p class='caption'>Image caption, {CAPTION}</p><p class='caption'>{CAPTION}</p>")
    )
    assert got == [(0, 1, "exact")]


def test_first_in_reading_order_otherwise():
    got, _ = removed(f"{PARA}\n\nSomething else entirely that stays put here.\n\n{PARA}\n")
    assert got == [(2, 0, "exact")]


def test_headline_in_a_link_list_loses_to_the_article_headline():
    html = page(
        f"<nav><ul><li><a href=/x>{PARA}</a></li></ul></nav><article><h1>{PARA}</h1><p>Body text.</p></article>"
    )
    got, r = removed(html)
    assert got == [(0, 1, "exact")]
    assert r.kept[0].kind is Kind.HEADING


def test_a_headline_with_the_site_name_joined_on_goes_and_the_headline_stays():
    # "Title | Site" (a scraped page title) holds all of "Title" and is longer: a longer
    # copy wins among body text, but it only adds the site's name to the headline.
    title = "Rescue workers search the rubble of the collapsed building after the storm"
    for body, echo, rule in (
        (
            f"<h1>{title}</h1><p>Body text of the story.</p><p>{title} | The Daily News</p>",
            2,
            "headline",
        ),
        (
            f"<p>{title} - The Daily News</p><h1>{title}</h1><p>Body text of the story.</p>",
            0,
            "headline",
        ),
        (f"<p>Opinion: {title}</p><h1>{title}</h1><p>Body text of the story.</p>", 0, "headline"),
        (f"<h1>{title}</h1><p>Body.</p><h3>The Daily News » {title}</h3>", 2, "headline"),
    ):
        got, r = removed(page(body))
        assert [(g[0], g[2]) for g in got] == [(echo, rule)]
        assert [b.text for b in r.kept if b.kind is Kind.HEADING] == [title]
    # Plain text has no headings: the first line is the headline.
    got, r = removed(f"{title} | The Daily News\n{title}\nBody text of the story.\n")
    assert got == [(0, 1, "headline")]
    assert r.text.startswith(title + "\n")


def test_a_labelled_headline_is_not_its_own_titled_copy():
    # "Photo: X" folds to X's key once its label goes: it is no headline with a name on.
    html = page(
        "<p>police</p><h2>Photo: police police zero\u200bwidth police</h2><p>police</p>"
        "<p>Photo: Photo: police police zero\u200bwidth police</p>"
    )
    got, r = removed(html)
    assert got == [(3, 1, "exact")]  # both labels peeled off: the same caption
    assert [b.kind for b in r.kept].count(Kind.HEADING) == 1
    assert dedup.clean(r.html).removed == ()


def test_the_page_headline_is_never_furniture():
    # A class such as "sticky-nav-trigger" on the <h1>, or an <h1> in a <header> outside
    # the article, made the headline lose to its own copy in the article.
    title = "Rescue workers search the rubble of the collapsed building after the storm"
    for h1 in (
        f"<h1 class='headline sticky-nav-trigger'>{title}</h1>",
        f"<header class='site-header'><h1>{title}</h1></header>",
    ):
        got, r = removed(page(f"{h1}<div><p>Opinion|{title}</p><p>{PARA}</p></div>"))
        assert got == [(1, 0, "headline")]
        assert r.kept[0].kind is Kind.HEADING


def test_a_headline_inside_a_longer_line_stays():
    title = "Rescue workers search the rubble of the collapsed building after the storm"
    for line in (
        f"{title}: what we know so far about the damage and the dead",  # over six words
        f"{title} after the council met in the town hall",
    ):  # no separator
        for source in (
            page(f"<h1>{title}</h1><p>Body.</p><p>{line}</p>"),
            f"{title}\n\nBody.\n\n{line}\n",
        ):
            got, _ = removed(source)
            assert "headline" not in [g[2] for g in got], (source, got)
    # In HTML only a heading is a headline: a first block is as often a date.
    day = "Wednesday, 11 May 2022"
    got, _ = removed(page(f"<p>{day}</p><h1>{title}</h1><p>{PARA}</p><p>{day} - 3:40 a.m.</p>"))
    assert got == []
    # In plain text, a line is a headline only when it comes first.
    got, _ = removed(f"First line.\n\n{title}\n\nBody.\n\nOpinion: {title}\n")
    assert "headline" not in [g[2] for g in got]


def test_a_headline_echoed_as_the_first_line_goes_and_the_headline_stays():
    title = "Rescue workers search the rubble of the collapsed building after the storm"
    got, r = removed(page(f"<p>{title}</p><h1>{title}</h1><p>Body text of the story.</p>"))
    assert got == [(0, 1, "exact")]
    assert r.kept[0].kind is Kind.HEADING


def test_pull_quote_inside_a_paragraph_goes():
    quote = "We will not stop until every family has a safe home to return to, whatever it costs"
    body = f"The minister spoke for an hour in the rain. {quote}. Then she left without questions."
    got, _ = removed(
        page(f"<p>{body}</p><blockquote class='pullquote'>{quote}</blockquote><p>Next.</p>")
    )
    assert got == [(1, 0, "contained")]


def test_a_short_pull_quote_goes_but_a_short_blockquote_stays():
    # Marked as pulled from the text, a quote under 60 characters is still its echo; an
    # unmarked blockquote that short inside a paragraph may be a mention.
    quote = "We will rebuild every home that was lost"
    body = f"The mayor spoke for an hour in the rain. {quote}, she said. Then she left."
    got, _ = removed(page(f"<p>{body}</p><aside class='pullquote'>“{quote}”</aside><p>Next.</p>"))
    assert got == [(1, 0, "contained")]
    got, _ = removed(page(f"<p>{body}</p><blockquote>{quote}</blockquote><p>Next.</p>"))
    assert got == []


def test_short_mentions_are_not_echoes():
    got, _ = removed(
        page(
            "<p>Michael Shadlen, Ph.D.</p><p>The scientists were led by Michael Shadlen, "
            "Ph.D., of Columbia University, who studies decisions.</p>"
        )
    )
    assert got == []


def test_headings_are_never_removed_for_being_inside_a_paragraph():
    title = "Flint flake tool adds to evidence of Neanderthal complex thinking skills"
    got, _ = removed(
        page(f"<h1>{title}</h1><p>Citation: {title} (2019, October 2) retrieved from the web</p>")
    )
    assert got == []


def test_very_short_repeats_stay():
    got, _ = removed("Advertisement\n\nFirst story text here.\n\nAdvertisement\n\nShare\n\nShare\n")
    assert got == []
    got, _ = removed("Advertisement\n\nAdvertisement\n", min_chars=5)
    assert got == [(1, 0, "exact")]


def test_changed_numbers_are_different_statements():
    got, _ = removed(
        "Common problems in student newsrooms (2013)\n\nCommon problems in student newsrooms (2011)\n"
    )
    assert got == []


def test_changed_word_in_a_short_line_is_not_a_copy():
    got, _ = removed(
        page(
            "<ul><li>Follow patrickallan for Lifehacker</li><li>Unfollow patrickallan for Lifehacker</li></ul>"
        )
    )
    assert got == []
    got, _ = removed(
        page(
            "<ul><li>Follow winfredarmandelafuentelati</li><li>Unfollow winfredarmandelafuentelati</li></ul>"
        )
    )
    assert got == []


def test_near_copy_that_adds_nothing_goes():
    a = "Opinion | The regional government said on Tuesday it would rebuild the old bridge"
    b = "The regional government said on Tuesday it would rebuild the old bridge."
    got, r = removed(f"Body text first.\n\n{a}\n\n{b}\n")
    assert got == [(2, 1, "near-duplicate")]
    assert r.removed[0].similarity >= 0.8


def test_near_copy_that_says_something_else_stays():
    a = "Hey James, we just confirmed with Line that it was a mistake. They meant to write it."
    b = "Hey Taylor, we just confirmed with Line that it was a mistake. They meant to write it."
    assert removed(f"{a}\n\n{b}\n")[0] == []
    assert removed("Deutsche Meisterschaft wA\n\nDeutsche Meisterschaft mA\n")[0] == []


def test_the_same_caption_under_two_photos_stays_under_each_in_html_and_once_in_text():
    html = page(
        f"<figure><img src=a><figcaption>{CAPTION}</figcaption></figure><p>Text between the photos.</p>"
        f"<figure><img src=b><figcaption>{CAPTION}</figcaption></figure>"
    )
    got, r = removed(html)
    assert in_html(r) == []
    assert got == [(2, 0, "text-only")]
    assert r.text.count(CAPTION) == 1 and r.html.count(CAPTION) == 2


def test_two_figures_of_one_photo_file_are_one_picture_and_the_copy_goes_in_html_too():
    # A desktop and a mobile figure, each with its own <img>, of one photo in two sizes.
    desktop = f"<figure class=desktop><img src='/img/storm-1024x683.jpg'><figcaption>{CAPTION}</figcaption></figure>"
    mobile = f"<figure class=mobile><img src='/img/storm-300x200.jpg?w=300'><figcaption>{CAPTION}</figcaption></figure>"
    got, r = removed(page(f"{desktop}<p>{PARA}</p>{mobile}"))
    assert in_html(r) == [(2, 0, "exact")] and got == [(2, 0, "exact")]


def test_a_placeholder_file_shown_by_many_images_is_no_picture_identity():
    lazy = "<img src='/static/blank.gif' data-src='/photos/{}.jpg'>"
    figures = "".join(
        f"<figure>{lazy.format(name)}<figcaption>{CAPTION}</figcaption></figure>"
        for name in ("one", "two", "three", "four", "five")
    )
    _, r = removed(page(figures))
    assert in_html(r) == []  # five photos: one caption under each stays in the page
    assert r.text.count(CAPTION) == 1


def test_a_mobile_twin_goes_though_the_same_caption_is_under_another_photo_too():
    twin = f"<p class='caption mobile-only'>{CAPTION}</p>"
    a = f"<figure><img src=a><figcaption>{CAPTION}</figcaption>{twin}</figure>"
    b = f"<figure><img src=b><figcaption>{CAPTION}</figcaption></figure>"
    got, r = removed(page(f"{a}<p>{PARA}</p>{b}"))
    assert in_html(r) == [(1, 0, "exact")]
    assert got == [(1, 0, "exact"), (3, 0, "text-only")]
    # The twin's photo second: it goes for its own photo's caption, not the first one.
    a = f"<figure><img src=a><figcaption>{CAPTION}</figcaption></figure>"
    b = f"<figure><img src=b><figcaption>{CAPTION}</figcaption>{twin}</figure>"
    got, r = removed(page(f"{a}<p>{PARA}</p>{b}"))
    assert in_html(r) == [(3, 2, "exact")]
    assert r.html.count(CAPTION) == 2 and r.text.count(CAPTION) == 1


def test_mobile_twin_of_a_caption_goes():
    html = page(
        f"<div class=photo><figure><img src=a><figcaption>{CAPTION}</figcaption></figure>"
        f"<p class='caption mobile-only'>{CAPTION}</p></div>"
    )
    assert removed(html)[0] == [(1, 0, "exact")]


def test_mobile_twin_of_a_caption_with_a_credit_span_goes():
    html = page(
        f"<figure><img src=a><figcaption><span class='caption-text'>{CAPTION}</span>"
        f"<span class='credit'>Jane Doe/AP</span></figcaption></figure><p>{PARA}</p>"
        f"<div class='caption mobile'>{CAPTION} Jane Doe/AP</div>"
    )
    assert removed(html)[0] == [(2, 0, "exact")]


def test_caption_with_a_photo_viewers_words_is_the_same_caption():
    # NPR's viewer writes "hide caption" into the caption and "toggle caption" beside it.
    html = page(
        f"<figure><img src=a><figcaption>{CAPTION} <b>hide caption</b></figcaption>"
        f"<p>toggle caption</p></figure><p>{PARA}</p><p>{CAPTION}</p>"
    )
    got, r = removed(html)
    assert got == [(0, 3, "exact")]


def test_table_cells_stay_unless_asked():
    row = "<tr><td>Northern district council results</td><td>12</td></tr>"
    html = page(f"<table>{row}{row}</table>")
    assert removed(html)[0] == []
    assert removed(html, remove_table_cells=True)[0] == [(2, 0, "exact")]


def test_a_quiz_repeating_its_questions_stays():
    q = "Which planet in the solar system has the most moons?"
    html = page(
        f"<div class='quiz'><p>{q}</p><ol><li>Saturn</li></ol><p>{q}</p><p>Answer: Saturn</p></div>"
    )
    assert removed(html)[0] == []


def test_quiz_words_inside_other_words_or_page_flags_protect_nothing():
    # "tag-eric-pollard" is no poll; a body's feature flag "f_survey_popup_on" is no survey.
    echo = f"<figure><img src=a><figcaption>{CAPTION}</figcaption></figure><p class='caption'>{CAPTION}</p>"
    for wrapper in (
        "<html><body><article class='post tag-eric-pollard'>{}</article></body></html>",
        "<html><body class='f_survey_popup_on'><div>{}</div></body></html>",
    ):
        assert removed(wrapper.format(echo))[0] == [(1, 0, "exact")]
    assert removed(page(f"<div class='pollWidget'>{echo}</div>"))[0] == []


def test_a_page_wrapped_whole_in_a_form_still_loses_its_echoes():
    # ASP.NET pages put everything in one <form>; a real form's repeats stay.
    article = (
        f"<article><h1>Storm</h1><figure><img src=a><figcaption>{CAPTION}</figcaption></figure>"
        f"<p class='caption mobile'>{CAPTION}</p><p>{PARA}</p></article>"
    )
    assert removed(page(f"<form id=aspnetForm>{article}</form>"))[0] == [(2, 1, "exact")]
    form = f"<form><label>{PARA}</label><p>{PARA}</p><input name=a></form>"
    assert removed(page(form))[0] == []


def test_two_posts_from_one_account_keep_their_attribution():
    sig = "— Stansted Airport (@STN_Airport) December 22, 2014"
    html = page(
        f"<blockquote class=twitter-tweet><p>Power is back on at the terminal now, thanks all</p><p>{sig}</p></blockquote>"
        f"<blockquote class=twitter-tweet><p>Flights are delayed this morning, please check</p><p>{sig}</p></blockquote>"
    )
    assert removed(html)[0] == []


def test_a_pull_quote_shown_twice_is_said_once_whatever_its_attribution():
    # A pull quote is the article's own sentence, not an embedded post: its mobile copy
    # without the attribution line goes like any other copy.
    quote = "“We have waited twenty years for a harbour that works for the fishermen.”"
    html = page(
        f"<h1>Harbour plan approved</h1><p>{PARA}</p>"
        f"<blockquote class=pullquote><p>{quote}</p><p>— Mayor Ana Ruiz</p></blockquote>"
        f"<p>Work on the breakwater begins in spring.</p>"
        f"<blockquote class='pullquote mobile-only'><p>{quote}</p></blockquote>"
    )
    assert removed(html)[0] == [(5, 2, "exact")]


def test_a_reader_comment_quoting_the_article_keeps_its_words():
    said = "De acuerdo con la cuenta del Partido, se abordó la vida interna y su influencia en la sociedad."
    comments = (
        "<ol class=commentlist><li class='comment even depth-1' id=comment-10353767>"
        f"<div class=commenttext><p>“{said}”</p><p>¿Y qué se decidió sobre los salarios?</p></div>"
        "</li><li class='comment odd depth-1' id=comment-10353768>"
        f"<div class=commenttext><p>{PARA}</p></div></li></ol>"
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{said}</p><p>{PARA}</p>{comments}"))
    assert got == [] and r.text.count("se abordó la vida interna") == 2
    # A heading the reader quotes at the top of a reply (Kinja's "reply" articles).
    heading = "Make a List of Everything You Own and Do Some Decluttering"
    reply = (
        "<article class='js_reply reply' id=reply_1690287621><blockquote class=reply-text-annotation>"
        f"<h3>{heading}</h3></blockquote><p>I did this last spring and it took two weekends.</p></article>"
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><h3>{heading}</h3><p>{PARA}</p>{reply}"))
    assert got == [] and r.text.count(heading) == 2
    # A comment counter's or a reply button's class names no comment: the copy goes.
    count = f"<div class=comment-count><p>{PARA}</p></div>"
    assert removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{count}"))[0] == [(2, 1, "exact")]


def test_a_comment_a_reply_quotes_in_plain_text_stays():
    said = "Sahil yolundaki bisiklet şeridi kışın da açık kalmalı, sabahları işe gidenler var."
    thread = [
        "Yorumlar (2)",
        "ahmet_k · 3 saat önce",
        said,
        "deniz.yilmaz · 2 saat önce",
        "ahmet_k yazdı:",
        said,
        "Katılıyorum, ama Alsancak tarafındaki şerit neredeyse otoparka dönmüş durumda.",
    ]
    r = dedup.clean("\n\n".join([PARA, *thread]) + "\n", format="text")
    assert r.removed == () and r.text.count(said) == 2
    # ... and so do the quoted comment's next lines, line after line as the first copy's.
    lines = ["The car park has flooded every spring tide since, and", "nobody has ever said why."]
    thread = [
        "harbourwatcher · 2 days ago",
        *lines,
        "K_Osei · 1 day ago",
        "Replying to harbourwatcher:",
    ]
    thread += [*lines, "They were blocked with tarmac during the works, I reported it twice."]
    r = dedup.clean("\n".join([PARA, *thread]) + "\n", format="text")
    assert r.removed == () and r.text.count(lines[1]) == 2
    # A form's label printed again before its copy is no reply: the copy goes.
    form = [
        "Nombre:",
        "Correo (no será publicado):",
        "Este sitio se reserva el derecho de publicar.",
    ]
    r = dedup.clean("\n\n".join([PARA, *form, CAPTION, *form]) + "\n", format="text")
    assert r.text.count("Este sitio se reserva") == 1


def test_the_same_answers_under_different_questions_stay():
    options = "① Very helpful\n② Somewhat helpful\n③ Not very helpful\n④ Not at all helpful"
    text = "\n\n".join(
        [
            PARA,
            "Q1. Will the fare rise ease crowding on the metro?",
            options,
            "Q2. Will the fare rise improve night buses?",
            options,
            PARA[::-1],
        ]
    )
    r = dedup.clean(text + "\n", format="text")
    assert r.removed == () and r.text.count("Somewhat helpful") == 2
    # ... and so do options listed a line each under each question.
    poll = [
        "Will you pay for parking in the new zone?",
        "Yes, several times a week",
        "Only now and then, mostly at weekends",
        "Will you use the new park and ride sites?",
        "Yes, I will leave the car there",
        "Only now and then, mostly at weekends",
    ]
    r = dedup.clean("\n".join([PARA, *poll, PARA[::-1]]) + "\n", format="text")
    assert r.removed == () and r.text.count("mostly at weekends") == 2
    # Teasers that ask, in two lists of links, are titles: their copies go.
    title = "Will the fare rise ease crowding on the metro this winter?"
    lists = "".join(
        f"<ul><li><a href=/a>Why are fares rising again?</a></li><li><a href=/b>{title}</a></li></ul>"
        for _ in range(2)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{lists}"))
    assert r.text.count(title) == 1


def test_every_removal_has_a_direct_kept_twin():
    # A chain a~b~c where a and c are not similar enough: c may not go as a copy of a.
    a = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    b = "alpha beta gamma delta epsilon zeta eta theta iota kappa nu xi"
    c = "alpha beta gamma delta epsilon zeta eta theta omicron pi nu xi"
    r = dedup.clean(f"{a}\n\n{b}\n\n{c}\n", jaccard=0.6)
    kept = {k.index for k in r.kept}
    for x in r.removed:
        assert x.duplicate_of in kept
        assert x.similarity >= 0.6


def test_results_do_not_depend_on_input_order_of_options():
    text = f"{PARA}\n\n{CAPTION}\n\n{PARA}\n"
    assert dedup.clean(text).removed == dedup.Cleaner(dedup.Config()).clean(text).removed


def test_the_same_credit_line_under_two_photos_stays_in_other_languages():
    for credit in (
        "مصدر الصورة، Getty Images",
        "Автор фото, Getty Images",
        "Fuente de la imagen, EPA",
    ):
        html = page(
            f"<figure><img src=a.jpg><p>{credit}</p><figcaption>First photo caption, words"
            "</figcaption></figure><p>Body text of the article between the two pictures.</p>"
            f"<figure><img src=b.jpg><p>{credit}</p><figcaption>Second photo, another caption"
            "</figcaption></figure>"
        )
        got, r = removed(html)
        assert in_html(r) == [], credit
        assert got == [(3, 0, "text-only")], credit  # in text, the pictures are gone


def test_the_same_line_in_two_figures_stays_whatever_its_language():
    credit = "Φωτογραφία αρχείου: Reuters / Alkis Konstantinidis"  # no known label
    html = page(
        f"<figure><img src=a.jpg><p>{credit}</p><figcaption>First photo caption, words"
        "</figcaption></figure><p>Body text of the article between the two pictures.</p>"
        f"<figure><img src=b.jpg><p>{credit}</p><figcaption>Second photo, another caption"
        "</figcaption></figure>"
    )
    got, r = removed(html)
    assert in_html(r) == []
    assert got == [(3, 0, "text-only")]
    # One figure: its line repeated in the body is still an echo.
    html = page(
        f"<figure><img src=a.jpg><figcaption>{credit}</figcaption></figure>"
        f"<p>Body text of the article.</p><p>{credit}</p>"
    )
    got, _ = removed(html)
    assert len(got) == 1


def test_pairs_whose_numbers_differ_alike_are_never_compared():
    # Same count of numbers, not the same numbers: no direction can match (a removed block's
    # numbers must all be in its keeper). A subset may still match: it stays a candidate.
    import numpy as np

    from dedup.match.rules import numbers_allow

    keys = [
        "line 1041 of the log",
        "line 1042 of the log",
        "results of 2019 and 2020",
        "results of 2019",
        "results of 2020 and 2019",
    ]
    a, b = numbers_allow(keys, (np.array([0, 2, 2, 0]), np.array([1, 3, 4, 3])))
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(2, 3), (2, 4)]


def test_the_rules_read_plain_data_blocks_from_another_process_give_the_same_plan():
    # Blocks cross a process boundary as plain data (pickled); matching them there, with
    # no tree, must give the same removals as cleaning the page here.
    import pickle

    from dedup.match.echoes import find_echoes

    html = (SAMPLES / "dailymail-imagecaption-alt.html").read_bytes()
    config = dedup.Config(include_alt=True)
    result = dedup.Cleaner(config).clean(html, name="page.html")
    assert result.removed
    blocks = pickle.loads(pickle.dumps(result.blocks))
    echoes = find_echoes(blocks, config)
    assert (echoes.text, echoes.html) == (result.removed, result.html_removed)


def test_blocks_come_back_from_a_pickle_with_every_field(corpus):
    # A block is pickled as its arguments up to the last that is not a default: each
    # field must come back, defaults and all, on every corpus page and at either end.
    import dataclasses
    import pickle

    from dedup.model import Block, Kind

    blocks = [b for page in corpus for b in dedup.clean(page.read_bytes()).blocks]
    blocks += [
        Block(0, Kind.PARAGRAPH, "x"),
        Block(1, Kind.CAPTION, "y", comment=True),
        Block(2, Kind.QUOTE, "z", line=0, start=0, furniture=True),
        Block(3, Kind.PARAGRAPH, "w", lines=True),  # (equal to the default 1, not the same)
    ]
    back = pickle.loads(pickle.dumps(blocks))
    assert back == blocks
    for old, new in zip(blocks, back, strict=True):
        for f in dataclasses.fields(Block):
            assert type(getattr(new, f.name)) is type(getattr(old, f.name)), f.name


def test_a_block_is_made_and_stays_as_its_dataclass_says():
    # Blocks are made with an ``__init__`` of their own (the dataclass's costs twice as
    # much): each field must still take its declared default, or the value given by
    # place or by name; assigning a field must still fail; ``replace`` must still work.
    import dataclasses

    import pytest

    from dedup.model import Block, Kind

    fields = dataclasses.fields(Block)
    bare = Block(7, Kind.CAPTION, "words")
    assert (bare.index, bare.kind, bare.text) == (7, Kind.CAPTION, "words")
    for f in fields[3:]:
        assert getattr(bare, f.name) == f.default, f.name
    # A distinct value for every field, given by place and by name.
    made = {
        "index": 3, "kind": Kind.QUOTE, "text": "t", "line": 4, "start": 5, "end": 9,
        "attr": "alt", "tag": "p", "furniture": True, "protected": True, "form": "f",
        "pull_quote": True, "picture": "p/1", "picture_files": ("a.jpg",), "post": "q",
        "post_text": "pt", "around": "ar", "link": True, "anchor": True, "target": "/x",
        "lines": 2, "comment": True,
    }  # fmt: skip
    assert [f.name for f in fields] == list(made)
    for block in (Block(*made.values()), Block(**made)):
        assert {f.name: getattr(block, f.name) for f in fields} == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        bare.text = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Block(1, Kind.PARAGRAPH)  # type: ignore[call-arg]
    changed = dataclasses.replace(bare, text="new", line=2)
    assert (changed.text, changed.line, changed.kind, bare.text) == (
        "new",
        2,
        Kind.CAPTION,
        "words",
    )
    assert hash(Block(**made)) == hash(Block(*made.values()))


def test_a_result_comes_back_from_a_pickle_as_it_was_made(corpus):
    # A result travels from a worker without its parsed page, and without the text of
    # each block that is the very span of the source it stands for: the receiver must get
    # every block, removal and output back, on pages and on text and Markdown whose
    # blocks are and are not their spans ("- " and "> " are not a list item's text).
    import dataclasses
    import pickle

    markdown = "# Title\n\n- one item of a list\n- one item of a list\n\n> said once\n"
    text = (SAMPLES / "arabic-musk-repeated-captions.txt").read_text(encoding="utf-8")
    results = [dedup.clean(page.read_bytes(), name=page.name) for page in corpus[:60]]
    results += [dedup.clean(text, name="a.txt"), dedup.clean(markdown, format="markdown")]
    results += [dedup.clean(text.replace("\n\n", "\r\n\r\n"), name="crlf.txt")]
    spans = sum(
        b.start is not None and r.original[b.start : b.end] == b.text
        for r in results
        for b in r.blocks
    )
    others = sum(
        b.start is not None and r.original[b.start : b.end] != b.text
        for r in results
        for b in r.blocks
    )
    assert spans and others  # (both ways are tried)
    # Blocks of text travel as five numbers when every other field is its default: a
    # field equal to its default and not the same (True for 1, 0 for False) must not.
    plain = next(r for r in results if r.name == "a.txt")
    odd = list(plain.blocks)
    odd[0] = dataclasses.replace(odd[0], lines=True)
    odd[1] = dataclasses.replace(odd[1], furniture=0)
    odd[2] = dataclasses.replace(odd[2], line=0, start=None, end=None)
    results.append(dataclasses.replace(plain, blocks=tuple(odd)))
    for result in results:
        back = pickle.loads(pickle.dumps(result))
        for old, new in zip(result.blocks, back.blocks, strict=True):
            for f in dataclasses.fields(old):
                assert type(getattr(new, f.name)) is type(getattr(old, f.name)), f.name
        assert back.page is None
        assert (back.name, back.format, back.original) == (
            result.name,
            result.format,
            result.original,
        )
        assert back.blocks == result.blocks
        assert (back.removed, back.html_removed) == (result.removed, result.html_removed)
        assert (back.config, back.encoding, back.bom) == (
            result.config,
            result.encoding,
            result.bom,
        )
        assert back.text == result.text


def test_the_same_byline_under_two_articles_of_a_list_stays():
    # A byline names who wrote the item above it: under two items it names two authors.
    items = "".join(
        f"<li><h3>{title}</h3><p>By Margaret Hartmann</p></li>"
        for title in ("Trump takes the fifth in the deposition", "Photos of notes in a toilet")
    )
    got, r = removed(page(f"<ul>{items}</ul><p>{PARA}</p>"))
    assert got == [] and r.text.count("By Margaret Hartmann") == 2


def test_a_caption_led_in_by_a_label_no_list_knows_is_its_labelled_copy():
    for label in ("Main image: ", "2of4", "3 of 10 ", "3 з 12", "WATCH | ", "የምስሉ መግለጫ, "):
        html = page(
            f"<figure><img src=a.jpg><figcaption>{CAPTION}</figcaption></figure>"
            f"<p>{PARA}</p><div class=caption>{label}{CAPTION}</div>"
        )
        got, r = removed(html)
        assert got == [(2, 0, "exact")], label
        assert r.text.count(CAPTION) == 1
    # A lead-in whose rest is no other block of the page changes nothing.
    got, _ = removed(page(f"<p>Update: {CAPTION}</p><p>{PARA}</p>"))
    assert got == []


def test_a_teaser_heading_cut_with_an_ellipsis_goes_for_the_text_it_cuts():
    title = "Rescue workers search the rubble of the collapsed building after the storm"
    for cut in ("...", "…", " (...)", " [...]"):
        teaser = title[:48] + cut
        got, r = removed(
            page(f"<h1>{title}</h1><p>{PARA}</p><aside><h3><a href=x>{teaser}</a></h3></aside>")
        )
        assert got == [(2, 0, "contained")], cut
    # A whole heading inside a longer text is a mention, not a teaser: it stays.
    got, _ = removed(page(f"<h2>The collapsed building after the storm</h2><p>{title}.</p>"))
    assert got == []


def test_help_lines_repeated_across_two_forms_go_but_one_forms_own_repeats_stay():
    help_line = "Enter a valid email address to continue with your account"
    forms = (
        f"<form id=signin><p>{help_line}</p><input name=e></form><p>{PARA}</p>"
        f"<form id=newsletter><p>{help_line}</p><input name=n></form>"
    )
    got, _ = removed(page(forms))
    assert got == [(2, 0, "exact")]
    one_form = f"<form><p>{help_line}</p><input name=a><p>{help_line}</p><input name=b></form>"
    got, _ = removed(page(f"{one_form}<p>{PARA}</p>"))
    assert got == []


def test_a_near_copy_that_adds_or_drops_a_negation_says_the_opposite_and_stays():
    for have, have_not in (
        (
            "I have a profile on the website of this paper",
            "I do not have a profile on the website of this paper",
        ),
        ("يوجد لدي ملف شخصي على موقع الصحيفة", "لا يوجد لدي ملف شخصي على موقع الصحيفة"),
    ):
        got, _ = removed(
            page(f"<form id=a><p>{have_not}</p></form><p>{PARA}</p><form id=b><p>{have}</p></form>")
        )
        assert got == [], have


def test_a_section_heading_ending_in_an_ellipsis_is_no_teaser_of_a_paragraph_quoting_it():
    got, _ = removed(
        page(
            "<article><h2>Reckless and generous in the mountains...</h2>"
            "<p>She wrote 'reckless and generous in the mountains' under every photo of the trip, "
            "and the whole village read it.</p></article>"
        )
    )
    assert got == []


def test_a_pull_quote_edited_with_an_elision_or_an_attribution_goes():
    body = (
        "The mayor said the bridge would be rebuilt within two years, and that the city "
        "would pay for it out of its own budget without new taxes on residents."
    )
    for pulled in (
        "“The bridge would be rebuilt within two years … without new taxes on residents.”",
        "The bridge would be rebuilt within two years, and the city would pay for it — Mayor Jane Doe",
    ):
        html = page(
            f"<article><p>{body}</p><aside class=pullquote><blockquote>{pulled}</blockquote></aside></article>"
        )
        got, _ = removed(html)
        assert got == [(1, 0, "contained")], pulled
    # Words after a hyphen go on with the quote: what they say is not in the paragraph.
    pulled = "The bridge would be rebuilt within two years - and the mayor will resign"
    got, _ = removed(
        page(
            f"<article><p>{body}</p><aside class=pullquote><blockquote>{pulled}</blockquote></aside></article>"
        )
    )
    assert got == []


def test_a_pull_quote_signed_after_its_closing_mark_or_put_in_the_third_person_goes():
    body = (
        "“We have cut everything we can cut, we have merged routes that should never have "
        "been merged, and the next thing to go is the bus that takes people to hospital,” "
        "said Helen Marsh, who chairs the committee."
    )
    for pulled in (
        # the name a <cite> sets after the quote; the clause the elision leaves out says
        # "never", which is no negation of what the quote says
        '"We have cut everything we can cut ... the next thing to go is the bus that takes '
        'people to hospital" <cite>Helen Marsh</cite>',
        # the editor's words in brackets for the speaker's
        "“[They] have cut everything [they] can cut, [they] have merged routes that should "
        "never have been merged.”",
    ):
        html = page(f"<article><p>{body}</p><blockquote><p>{pulled}</p></blockquote></article>")
        got, _ = removed(html)
        assert got == [(1, 0, "contained")], pulled
    # A quote that leaves out the negation it says is no copy.
    pulled = "“We have merged routes that should have been merged”"
    html = page(f"<article><p>{body}</p><blockquote><p>{pulled}</p></blockquote></article>")
    assert removed(html)[0] == []


def test_a_pull_quote_signed_after_its_last_ellipsis_goes():
    body = (
        '"What we are against is a building that would block the light from forty gardens '
        "and add three hundred cars to a road that already floods,\" the group's chairman "
        "said on Monday."
    )
    pulled = (
        "…a building that would block the light from forty gardens and add three hundred "
        "cars to a road… Séamus Ó Flaitheartaigh, Headford Road Residents’ Association"
    )
    html = page(f"<article><p>{body}</p><blockquote><p>{pulled}</p></blockquote></article>")
    assert removed(html)[0] == [(1, 0, "contained")]
    # Words after the last elision that end a sentence are the quote's own.
    pulled = "…a building that would block the light from forty gardens… And we will win."
    html = page(f"<article><p>{body}</p><blockquote><p>{pulled}</p></blockquote></article>")
    assert removed(html)[0] == []


def test_a_sticky_title_with_a_logo_s_letters_before_it_goes_for_the_headline():
    title = "Evacuation orders lifted for Paradise Ridge as crews gain on Sawmill Fire"
    bar = f"<div class=sticky>SC {title} | The Sacramento Courier</div>"
    got, r = removed(page(f"{bar}<h1>{title}</h1><p>{PARA}</p>"))
    assert [g[:2] for g in got] == [(0, 1)] and r.text.count(title) == 1


def test_a_sticky_title_with_an_agency_s_name_goes_for_the_headline():
    title = "Irrigation district halves water deliveries as Rio Grande runs low"
    got, r = removed(
        page(f"<div class=sticky-title>{title} | AP News</div><h1>{title}</h1><p>{PARA}</p>")
    )
    assert got == [(0, 1, "exact")] and r.text.count(title) == 1


def test_a_copy_with_a_space_dropped_is_a_copy():
    # A zero-width space set in place of a space: the words run together once it is gone.
    got, r = removed(
        page(
            f"<p>{PARA}</p><div class=modal><p>{PARA.replace(' two', chr(0x200B) + 'two')}</p></div>"
        )
    )
    assert got == [(1, 0, "near-duplicate")]


def test_the_containment_floor_weighs_a_chinese_character_as_a_word():
    title = "国务院常务会议部署进一步扩大内需促进经济稳定增长的政策措施并研究推进城市更新工作"
    body = f"新华社北京电 {title}。会议指出，要坚持稳中求进工作总基调，加大宏观政策调控力度。"
    got, _ = removed(page(f"<p>{body}</p><ul class=related><li><a href=x>{title}</a></li></ul>"))
    assert got == [(1, 0, "contained")]  # 41 characters, each about a word: over the floor
    # The same length in an alphabetic script is a mention: under the floor, it stays.
    phrase = "the rubble of the collapsed building in town"
    got, _ = removed(
        page(
            f"<p>{PARA} They searched {phrase} all night.</p><ul class=related><li>{phrase}</li></ul>"
        )
    )
    assert got == []


def test_the_length_floor_weighs_a_chinese_character_as_a_word():
    # Nineteen characters of Chinese are a headline (an English one of some sixty letters):
    # printed as the page header, the h1 and a list item, it is said once.
    title = "外国专家：中美合作共赢符合国际社会利益"
    got, r = removed(
        page(
            f"<h2>{title}</h2><h1>{title}</h1><p>{PARA}</p><ul><li><a href=x>{title}</a></li></ul>"
        )
    )
    assert [g[0] for g in got] == [1, 3] and r.text.count(title) == 1
    # A menu label of a few characters ("International news") stays where it is printed.
    label = "国际新闻"
    got, r = removed(page(f"<nav><a href=x>{label}</a></nav><p>{PARA}</p><p>{label}</p>"))
    assert got == [] and r.text.count(label) == 2


def test_a_japanese_headline_with_a_number_is_no_stamp():
    # One token of \\w characters holds the whole headline: a digit in it does not make it
    # a line about numbers (a stamp, which stays under each item), so a ranking printed
    # again after other stories is said once.
    titles = [
        "「大量離職」の原因! チームに悪影響を与える「ダメ社員」4タイプ",
        "屋久島で5カ月間「ワーケーション」してみたら悪習慣をやめられた",
    ]
    ranking = "".join(f"<li><a href=x>{t}</a></li>" for t in titles)
    got, r = removed(
        page(f"<p>{PARA}</p><ol>{ranking}</ol><p>{CAPTION}, said the report.</p><ol>{ranking}</ol>")
    )
    assert [g[0] for g in got] == [4, 5]
    assert all(r.text.count(t) == 1 for t in titles)


def test_a_gallery_caption_that_repeats_the_headline_keeps_its_credit_once():
    headline = "Central committee opens its fourth plenary session"
    figures = "".join(
        f"<figure><img src=p{n}.jpg><figcaption>{headline}. Photo: State Studio</figcaption></figure>"
        for n in range(4)
    )
    got, r = removed(page(f"<h2>{headline}</h2><p>{PARA}</p>{figures}"))
    # The headline stays; the credit is said once, by the first caption; the rest go.
    assert [g[0] for g in got] == [3, 4, 5]
    assert r.text.count("State Studio") == 1 and r.text.count(headline) == 2
    assert dedup.clean(r.text).removed == ()


def test_a_caption_telling_a_sentence_of_the_story_goes_in_text_with_its_credit():
    body = f"The mayor opened the bridge on Monday. {CAPTION}. Work resumes in spring."
    for credit in (
        "Photo: Jane Doe/Reuters",
        "(צילום: רמי שלוש)",
        "(ඡායාරූපය: සමන් ජයසිංහ)",
        "ছবি: দীপু মালাকার",
    ):
        html = page(
            f"<p>{body}</p><figure><img src=a><figcaption>{CAPTION} {credit}</figcaption></figure>"
        )
        got, r = removed(html)
        assert got == [(1, 0, "text-only")], credit
        # The page keeps the caption under its picture, with the credit it alone says.
        assert in_html(r) == [] and credit in r.html


def test_a_caption_telling_a_sentence_with_where_the_photo_was_taken_goes():
    sentence = "東側区間の利用者は開業から２年で累計１０００万人を超えた"
    body = f"２０２３年８月に開業した東側区間は、通勤客の利用が想定を上回っている。{sentence}。"
    html = page(
        f"<p>{body}</p><figure><img src=a.jpg><figcaption>{sentence}（宇都宮市で）</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == [(1, 0, "contained")] and r.text.count(sentence) == 1
    # An aside that is the caption's whole text is no aside.
    got, _ = removed(
        page(
            f"<p>{body}</p><figure><img src=a.jpg><figcaption>（宇都宮市で）</figcaption></figure>"
        )
    )
    assert got == []


def test_a_caption_of_a_clause_of_a_long_paragraph_goes_but_not_a_few_words():
    clause = "the old market hall will reopen in the spring"
    body = (
        "The council voted on Tuesday to fund the repairs after years of delay, and "
        f"officials said {clause}, once the roof and the cellars are safe again for traders."
    )
    got, _ = removed(
        page(
            f"<p>{body}</p><figure><img src=a><figcaption>{clause.capitalize()}</figcaption></figure>"
        )
    )
    assert got == [(1, 0, "contained")]
    # Five words a paragraph happens to hold name what the photo shows: they stay.
    got, _ = removed(
        page(
            f"<p>{body}</p><figure><img src=a><figcaption>The old market hall</figcaption></figure>"
        )
    )
    assert got == []


def test_of_two_copies_of_a_caption_the_one_with_the_credit_stays():
    html = page(
        f"<div class='caption mobile'>{CAPTION}</div><p>{PARA}</p>"
        f"<figure><img src=a><figcaption>{CAPTION}. Photo: Jane Doe</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == [(0, 2, "exact")]
    assert "Jane Doe" in r.text


def test_a_caption_copy_with_its_credit_glued_on_holds_the_labelled_credit():
    # An overlay on the photo repeats the caption with the credit run on, no label; the
    # figcaption labels it. One of them goes: the credit is said by the other.
    html = page(
        f"<figure><div class=media><img src=a.jpg><span class=overlay-caption>{CAPTION} "
        "Reprodução/Instagram</span></div>"
        f"<figcaption>{CAPTION} — Foto: Reprodução/Instagram</figcaption></figure><p>{PARA}</p>"
    )
    got, r = removed(html)
    assert len(got) == 1 and r.text.count(CAPTION) == 1 and "Reprodução/Instagram" in r.text


def test_two_captions_of_one_photo_with_other_ends_are_one_caption():
    # The figure's caption ends with "- file photo", the gallery's with the paper's name
    # in brackets: shapes no credit rule reads, under one photo file.
    cap = "मानसरोवर स्टेशन पर खड़ी जयपुर मेट्रो की ट्रेन"
    html = page(
        f"<figure><img src=/img/metro_1744.jpg><figcaption>{cap}। - फाइल फोटो</figcaption></figure>"
        f"<p>{PARA}</p><div class=gallery><figure><img src=/img/metro_1744.jpg?w=320>"
        f"<figcaption>फोटो: {cap} (अमर उजाला)</figcaption></figure></div>"
    )
    got, r = removed(html)
    assert r.text.count(cap) == 1 and len(in_html(r)) == 1
    # Under two photos, the same words with other ends stay in HTML.
    other = html.replace("metro_1744.jpg?w=320", "depot_2211.jpg")
    got, r = removed(other)
    assert in_html(r) == []


def test_a_slide_whose_image_a_carousel_loads_later_is_the_same_photo():
    # Slick's lazy loading names the file in data-lazy: the slide's caption is the
    # figure's, under the same photo, and goes in HTML too.
    html = page(
        f"<figure><img src=/i/choir-main.jpg><figcaption>{CAPTION}</figcaption></figure>"
        f"<p>{PARA}</p><div class=slider><div class=slide><img data-lazy=/i/choir-main.jpg>"
        f"<p class=slide-caption>3 of 8. {CAPTION}</p></div></div>"
    )
    got, r = removed(html)
    assert r.text.count(CAPTION) == 1 and len(in_html(r)) == 1


def test_a_caption_an_editor_wrote_from_the_story_s_sentence_goes_in_text():
    story = (
        "The MV Corrin Star ran aground on a sandbank off Portavogie at around 6.40am on "
        "Thursday, with 212 passengers and 31 crew on board."
    )
    caption = (
        "The MV Corrin Star, which ran aground on a sandbank off Portavogie on Thursday "
        "morning. Photograph: Liam McBride/PA"
    )
    html = page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{story}</p>")
    got, r = removed(html)
    assert got == [(0, 1, "text-only")] and "Liam McBride" not in r.text
    # A caption about another person, in the story's words, stays.
    other = caption.replace("The MV Corrin Star, which", "The trawler Ocean Pearl, which")
    got, _ = removed(html.replace(caption, other))
    assert got == []
    # So does a short caption whose words the story says far apart.
    short = "Cristina Gil Lladanosa, at the Barcelona testing lab | photo by Joan Bardeletti"
    said = "Cristina Gil Lladanosa says to me before I leave the Barcelona lab, smiling."
    got, _ = removed(
        page(f"<figure><img src=a.jpg><figcaption>{short}</figcaption></figure><p>{said}</p>")
    )
    assert got == []


def test_a_caption_in_another_tense_goes_but_one_naming_another_person_stays():
    story = (
        "Lifeguards raised the green flag at uShaka and South Beach on Friday morning after "
        "three weeks of water tests came back within safe limits."
    )
    caption = "Lifeguards raise the green flag at uShaka and South Beach."
    html = page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{story}</p>")
    got, _ = removed(html)
    assert [g[:2] for g in got] == [(0, 1)]
    story = (
        "Mayor John Roe opened the new footbridge over the river on Saturday in front of a "
        "crowd of residents who had waited four years for it."
    )
    caption = (
        "Mayor Jane Doe opened the new footbridge over the river on Saturday in front of a crowd."
    )
    html = page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{story}</p>")
    got, _ = removed(html)
    assert got == []
    # The story's caption with a name put in (the river's), no word of the story's
    # left out for it, goes.
    caption = "Mayor John Roe opened the new footbridge over the Dee river on Saturday in front of a crowd."
    got, _ = removed(
        html.replace(
            "Mayor Jane Doe opened the new footbridge over the river on Saturday in front of a crowd.",
            caption,
        )
    )
    assert [g[:2] for g in got] == [(0, 1)]


def test_a_caption_that_puts_an_aside_between_commas_in_the_story_s_sentence_goes():
    story = (
        "Stallholder Aisha Patel, whose family has sold fabric at the market since 1974, was "
        "among the first traders to lift her shutters on Saturday morning."
    )
    caption = (
        "Stallholder Aisha Patel, pictured with her daughter Reena, whose family has sold "
        "fabric at the market since 1974. Picture: Simon Hulme"
    )
    html = page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{story}</p>")
    got, _ = removed(html)
    assert [g[:2] for g in got] == [(0, 1)]
    # An aside with a number of its own says something the story does not.
    other = caption.replace("her daughter Reena", "her 3 daughters")
    assert removed(html.replace(caption, other))[0] == []


def test_a_caption_with_words_of_its_own_goes_only_for_the_story_s_paragraph():
    # A product photo's caption that says a heading's words with some of its own
    # ("A ... that only costs" of "The ... that cost only") is no retelling of the story.
    heading = "Raspberry Pi 3 - The credit card sized PC that cost only $35 - All-time bestselling computer in UK"
    caption = "Raspberry Pi 3 - A credit card sized PC that only costs $35 - Image: Raspberry Pi Foundation"
    html = page(
        f"<h2>{heading}</h2><figure><img src=a.jpg><figcaption>{caption}</figcaption></figure>"
        f"<p>{PARA}</p>"
    )
    assert removed(html)[0] == []


def test_a_japanese_caption_without_the_story_s_comma_is_its_sentence():
    story = "最大の目玉は最上階の展望フロアだ。地上180メートルの高さにある展望フロアからは、石狩湾や手稲山まで一望できる。夜間は午後11時まで営業する。"
    caption = "地上180メートルの高さにある展望フロアからは石狩湾や手稲山まで一望できる＝3日午前、札幌市中央区"
    html = page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{story}</p>")
    got, r = removed(html)
    assert [g[:2] for g in got] == [(0, 1)] and r.text.count("石狩湾") == 1


def test_an_entry_written_as_a_paragraph_in_a_list_item_is_an_entry():
    # Substack wraps each entry of a list in a <p>: the same ingredient in two lists
    # under their own labels stays in each.
    def items(rows):
        return "<ul>" + "".join(f"<li><p>{x}</p></li>" for x in rows) + "</ul>"

    butter = "1 tablespoon of unsalted butter"
    html = page(
        f"<h1>{CAPTION}</h1><p>{PARA}</p><p><strong>For the filling</strong></p>"
        + items(["500 g of dried beef, shredded", butter, "1 large onion, chopped"])
        + "<p><strong>For the mash</strong></p>"
        + items(["1 kg of cassava, peeled", butter, "200 ml of warm whole milk"])
    )
    got, r = removed(html)
    assert r.text.count(butter) == 2
    assert [b.kind for b in r.blocks if b.text == butter] == [Kind.LIST_ITEM] * 2


def test_a_labelled_credit_line_a_caption_ends_with_is_said_once_in_text():
    caption = (
        "The mountain hut at Storulvan is one of those closed until Wednesday. "
        "Foto: Elin Hagglund / NLN"
    )
    html = page(
        f"<figure><img src=/i/hut.jpg><figcaption>{caption}</figcaption></figure><p>{PARA}</p>"
        "<figure><img src=/i/hut.jpg?w=480><figcaption>Foto: Elin Hagglund / NLN</figcaption>"
        "</figure>"
    )
    got, r = removed(html)
    assert r.text.count("Elin Hagglund") == 1 and [g[:2] for g in got] == [(2, 0)]


def test_a_caption_saying_what_its_photo_shows_goes_for_the_paragraph_it_repeats():
    html = page(
        f"<p>{PARA}</p><figure><img src=a><figcaption>{PARA[:-1]} (pictured, the old bridge)"
        "</figcaption></figure>"
    )
    assert removed(html)[0] == [(1, 0, "exact")]


def test_an_interview_asking_several_people_the_same_questions_keeps_every_question():
    questions = [
        "What made you start cooking for other people at home?",
        "Which dish do you make when there is no time at all?",
        "Who taught you the first recipe you still use today?",
    ]
    answers = {
        "Anna": [
            "My grandmother fed the whole street every Sunday, and I took that over.",
            "Buckwheat with mushrooms: ten minutes, one pan, no thinking.",
            "An old neighbour who baked bread in a wood oven behind her house.",
        ],
        "Boris": [
            "Friends kept asking for the recipes I posted, so I started writing them up.",
            "Fried eggs over leftover rice with a spoon of chili oil.",
            "My father, who cooked fish soup on every fishing trip we made.",
        ],
        "Clara": [
            "I cooked for a student house of nine people for three years.",
            "A tomato salad with good salt and bread, nothing more.",
            "A cookbook from a flea market, with notes in its margins.",
        ],
        "Dmitri": [
            "After moving abroad I missed home food and learned to make it.",
            "Dumplings from the freezer that I fold on weekends.",
            "A chef I washed dishes for when I was sixteen years old.",
        ],
    }
    people = list(answers)
    body = "".join(
        f"<h3>{name}</h3>"
        + "".join(
            f"<p><b>{q}</b></p><p>{answer}</p>"
            for q, answer in zip(questions, answers[name], strict=True)
        )
        for name in people
    )
    got, r = removed(page(body))
    assert got == []
    assert all(r.text.count(q) == len(people) for q in questions)
    # A line each section closes with says something of its own person, even when two
    # people share a name: once in each section, it stays; once more after the
    # interview, well past its last section, it goes.
    vote = "<p>Vote for {} on the last page of this contest!</p>"
    names = ["Anna", "Boris", "Anna", "Dmitri"]
    body = "".join(
        f"<h3>{name} {n}</h3>"
        + "".join(
            f"<p><b>{q}</b></p><p>{answer}</p>"
            for q, answer in zip(questions, answers[people[n]], strict=True)
        )
        + vote.format(name)
        for n, name in enumerate(names)
    )
    got, r = removed(page(body))
    assert got == [] and r.text.count("Vote for Anna") == 2
    after = "".join(f"<p>{PARA} ({k})</p>" for k in range(12))
    got, r = removed(page(body + after + vote.format("Anna")))
    assert r.text.count("Vote for Anna") == 2 and len(got) == 1


def test_one_question_put_to_three_people_stays_each_time():
    question = "What is your fondest memory of this street?"
    answers = [
        "The street parties of the sixties, on long tables out in the open air.",
        "The first tavern I opened with my brother, back in the spring of 2003.",
        "Skating down the hill to school every morning before the cars came.",
    ]
    body = "".join(f"<h3>Person {n}</h3><p>{question}</p><p>{a}</p>" for n, a in enumerate(answers))
    got, r = removed(page(f"<p>{PARA}</p>{body}"))
    assert got == [] and r.text.count(question) == 3
    # An ad widget's question before its options, under each advertisement, goes.
    widget = (
        "<p>Please tell us why you hid this ad?</p><ul><li>Misleading</li><li>Repetitive</li></ul>"
    )
    ads = "".join(f"<div>{widget}<p>{a}</p></div>" for a in answers)
    got, r = removed(page(f"<p>{PARA}</p>{ads}"))
    assert r.text.count("Please tell us why you hid this ad?") == 1


def test_a_poll_s_options_in_fieldsets_and_a_greek_question_stay():
    options = "<label><input type=radio name=q{n}> Yes, I agree with this proposal</label><label><input type=radio name=q{n}> No, I disagree with this proposal</label>"
    polls = "".join(
        f"<fieldset><legend>{q}</legend>{options.format(n=n)}</fieldset>"
        for n, q in enumerate(
            ("Should drivers pay to enter the centre?", "Should the metro run later?")
        )
    )
    got, r = removed(page(f"<h1>Poll</h1><p>{PARA}</p>{polls}"))
    assert got == [] and r.text.count("Yes, I agree with this proposal") == 2
    question = "Θα αλλάζατε το πρωινό σας δρομολόγιο αν το μετρό έφτανε ως τη γειτονιά σας;"
    answers = [
        "Ναι, θα κέρδιζα τουλάχιστον μισή ώρα κάθε πρωί και θα άφηνα το αυτοκίνητο.",
        "Όχι, δουλεύω από το σπίτι τις περισσότερες μέρες της εβδομάδας.",
        "Ίσως, αν τα δρομολόγια ήταν συχνά και αξιόπιστα από νωρίς το πρωί.",
    ]
    body = "".join(f"<p><strong>{question}</strong></p><p>{a}</p>" for a in answers)
    got, r = removed(page(f"<p>{PARA}</p>{body}"))
    assert got == [] and r.text.count(question) == 3


def test_a_box_pasted_three_times_is_no_interview_and_goes():
    box = "<div><p>Sign up for our morning newsletter today</p><p>Get the best stories in your inbox every morning</p></div>"
    paras = [f"<p>{PARA[:-1]} and paragraph number {n} says more.</p>" for n in range(4)]
    got, r = removed(page(paras[0] + box + paras[1] + box + paras[2] + box + paras[3]))
    assert len(got) == 4 and r.text.count("Sign up for our morning newsletter") == 1


def test_a_time_stamp_under_different_items_stays_and_one_repeated_with_its_item_goes():
    items = "".join(
        f"<li><h3>{title}</h3><p>28 February 2019 at 20:36</p></li>"
        for title in ("Quand le genre divise le milieu", "Un autre titre sur la crise du logement")
    )
    got, r = removed(page(f"<ul>{items}</ul><p>{PARA}</p>"))
    assert got == [] and r.text.count("20:36") == 2
    again = f"<ul>{items}</ul><p>{PARA}</p><ul>{items}</ul>"
    got, r = removed(page(again))
    assert r.text.count("20:36") == 2  # the second list goes whole, its stamps with it


def test_a_stamp_goes_with_its_teaser_listed_again_but_stays_before_other_stories():
    # A second tab lists one teaser of the first again, among others: its date goes with
    # it, though the line before it in the second tab is another teaser.
    def teaser(title, when):
        return f"<li><a>{title}</a><p>{when}</p></li>"

    first = teaser("TouchPad buyers say the shop reneged on orders", "August 22, 2011 7:00 PM PDT")
    tab1 = first + teaser("So the search company now wants to be a phone maker", "August 23")
    tab2 = teaser("A survey says it is the tablet or nothing at all", "August 17, 2011 6:52 AM PDT")
    got, r = removed(page(f"<p>{PARA}</p><ul>{tab1}</ul><ul>{tab2}{first}</ul>"))
    assert r.text.count("TouchPad buyers") == 1 and r.text.count("August 22, 2011") == 1
    assert r.text.count("August 17, 2011") == 1
    assert dedup.clean(r.text).text == r.text
    # A stamp printed before its story, each story twice (its link and its heading): the
    # same "2 hours ago" before two different stories is said of each.
    stories = [
        "Une militante arrêtée à la pointe d'un fusil dimanche",
        "Possible meurtre à Stoneham : le jeune homme étudiait à Montréal",
    ]
    rail = "".join(
        f"<div><p>Il y a 2 heures · 14:35</p><p><a>{t}</a></p><h3>{t}</h3></div>" for t in stories
    )
    got, r = removed(page(f"<p>{PARA}</p>{rail}"))
    assert r.text.count("Il y a 2 heures") == 2 and len(got) == 2
    assert dedup.clean(r.text).text == r.text


def test_a_count_printed_again_with_the_label_after_it_is_one_widget_said_twice():
    # "75 with 51 posters participating / reader comments" over the story and under it: a
    # widget printed twice, not a count of two items.
    widget = "<p>75 with 51 posters participating</p><h2>reader comments</h2>"
    story = f"<h1>{CAPTION}</h1>{widget}<p>{PARA}</p><p>{PARA[::-1]}</p>{widget}"
    got, r = removed(page(story))
    assert r.text.count("75 with 51 posters") == 1 and got[0][:2] == (5, 1)
    assert dedup.clean(r.text).text == r.text
    # The same time under two comments, each with its own words after it, is each one's.
    comments = "".join(
        f"<div class=comment><p>Jane Roe</p><p>03:24 AM on 9/19/2010</p><p>{t}</p></div>"
        for t in (PARA, PARA[::-1])
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA[5:]}</p>{comments}"))
    assert r.text.count("03:24 AM") == 2


def test_a_question_two_readers_ask_stays_with_each_answer_but_a_teaser_that_asks_goes():
    q = "Can I claim the rent credit without registering my address?"
    answers = [
        "As a rule, no: the address on the lease and the registered address must be the same.",
        "Studios and boarding rooms count too, once the tenant has registered the address there.",
    ]
    qa = "".join(
        f"<p>Reader {n} asks ({t}):</p><p>{q}</p><p>{a}</p>"
        for n, t, a in (("Kim", "2:12 pm", answers[0]), ("Park", "3:34 pm", answers[1]))
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1>{qa}"))
    assert r.text.count(q) == 2
    # A teaser that asks, in two lists of links, is the same teaser twice.
    teasers = f"<ul><li><a href=/a>{q}</a></li><li><a href=/b>{CAPTION}</a></li></ul>"
    got, r = removed(page(f"<h1>{PARA}</h1><p>{PARA[::-1]}</p>{teasers}{teasers}"))
    assert r.text.count(q) == 1


def test_a_speaker_s_label_before_each_turn_stays():
    label = "Dr Sami Haddad (health minister):"
    turns = [
        "We expect temperatures above forty-five degrees for most of next week in the south.",
        "Since May we have sent a reserve of medicines to every clinic that asked for one.",
        "Yes: outdoor work in direct sun is banned between noon and four until September.",
    ]
    asked = ["What will next week bring?", "Will the clinics run short?", "Is there a work ban?"]
    talk = "".join(
        f"<p>{label}</p><p>{t}</p><p>Reporter {n} (Channel {n}):</p><p>{q}</p>"
        for n, (t, q) in enumerate(zip(turns, asked, strict=True))
    )
    got, r = removed(page(f"<h1>Press conference on the heat wave</h1>{talk}"))
    assert r.text.count(label) == 3


def test_a_venue_line_under_each_event_s_date_or_each_year_of_a_timeline_stays():
    venue = "Chiostro di San Domenico, piazza Garibaldi 4"
    events = ["Big Band del Conservatorio", "Trio Lucio Rava", "Sara Colantoni Quartet"]
    program = "".join(
        f"<h3>{e}</h3><p>Sabato {12 + n} luglio, ore 21.30</p><p>{venue}</p>"
        for n, e in enumerate(events)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{program}"))
    assert r.text.count(venue) == 3
    place = "Lapangan Benteng Vredeburg, Yogyakarta"
    years = "".join(
        f"<ul><li>{y}</li></ul><p>{place}</p><p>{PARA[: 40 + y % 50]} ({y}).</p>"
        for y in (2016, 2018, 2022)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1>{years}"))
    assert r.text.count(place) == 3
    # A line under counts or labels that are no dates is said once.
    counted = "".join(
        f"<p>{n} comments</p><p>{place}</p><p>{PARA[::-1][: 60 + n]}</p>" for n in (4, 9)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1>{counted}"))
    assert r.text.count(place) == 1


def test_a_venue_line_under_each_screening_stays():
    venue = "Summer cinema in the castle gardens, Olomouc"
    films = ["Monday 1 July: The Garden", "Wednesday 3 July: Perfect Days", "Friday: Home"]
    program = "".join(f"<h3>{f}</h3><p>{venue}</p><p>{PARA} ({f})</p>" for f in films)
    got, r = removed(page(f"<h1>{CAPTION}</h1>{program}"))
    assert r.text.count(venue) == 3
    # So does the source under each teaser's linked title in a list of other stories
    # ("umair haque in Eudaimonia and Co" under two of his stories): each story's own.
    source = "umair haque in Eudaimonia and Co"
    linked = "".join(f"<h3><a href=/{n}>{f}</a></h3><p>{source}</p>" for n, f in enumerate(films))
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{linked}"))
    assert r.text.count(source) == 3
    # A photo credit under each gallery's title is a credit line: said once.
    credit = "Yahoo News Photo Staff"
    galleries = "".join(
        f"<h3><a href=/{n}>{f}</a></h3><p>{credit}</p>" for n, f in enumerate(films)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{galleries}"))
    assert r.text.count(credit) == 1
    # A list printed twice says its titles and their sources once.
    titles = [
        "The Garden of Forking Paths",
        "Perfect Days in Tokyo",
        "Coming Home After Ten Years Away",
    ]
    linked = "".join(f"<h3><a href=/{n}>{f}</a></h3><p>{source}</p>" for n, f in enumerate(titles))
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{linked}<p>{PARA[::-1]}</p>{linked}"))
    assert r.text.count(source) == 3 and r.text.count("Perfect Days") == 1


def test_a_title_with_a_year_is_no_stamp():
    # "Best tech gadgets of 2019" under two different items is a title said twice, not
    # the date each item carries.
    title = "Best tech gadgets of 2019"
    got, r = removed(
        page(f"<h2>{title}</h2><p>{PARA}</p><ul><li><p>{CAPTION}</p><p>{title}</p></li></ul>")
    )
    assert [g[0] for g in got] == [3] and r.text.count(title) == 1


def test_a_menu_line_of_four_words_repeated_goes_but_a_three_word_label_stays():
    menu = "<nav><ul><li>Back to Main Menu</li><li>Today's Paper</li><li>Sports</li></ul></nav>"
    got, r = removed(page(f"{menu}<p>{PARA}</p>{menu}"))
    assert [g[0] for g in got] == [4]
    assert r.text.count("Back to Main Menu") == 1 and r.text.count("Today's Paper") == 2


def test_a_copyright_line_printed_twice_is_said_once():
    line = "Copyright © 2022, Chicago Tribune"
    got, r = removed(page(f"<p>{PARA}</p><footer><p>{line}</p><p>{line}</p></footer>"))
    assert got == [(2, 1, "exact")]


def test_a_line_inside_the_same_line_with_a_button_more_goes_but_not_a_negated_one():
    got, _ = removed(
        page(
            f"<p>{PARA}</p><div class=share><p>Continue reading the main story Share This Page</p>"
            "</div><footer><p>Continue reading the main story</p></footer>"
        )
    )
    assert got == [(2, 1, "contained")]
    got, _ = removed(
        page(
            "<form><p>I do not have a profile on this website yet</p></form><p>"
            f"{PARA}</p><form><p>I have a profile on this website yet</p></form>"
        )
    )
    assert got == []


def test_a_sentence_inside_its_negation_stays_in_any_length():
    said = "The county council has approved plans for 1,200 homes on green belt land north of Ashby"
    for language, (yes, no) in {
        "en": (said, said.replace("has approved", "has not approved")),
        "es": (
            "El ayuntamiento ha confirmado la venta del antiguo mercado municipal a la empresa",
            "El ayuntamiento no ha confirmado la venta del antiguo mercado municipal a la empresa",
        ),
    }.items():
        got, _ = removed(
            page(f"<p>{yes}.</p><p>{PARA}</p><p>{no}, the developer said on Monday.</p>")
        )
        assert got == [], language
    # A negation no list knows has its shape: a short word slipped in between two words
    # (Vietnamese "không"; Tagalog "hindi"), in a quotation too, however long the text.
    quoted = (
        "“Từ học kỳ II năm học 2025-2026, học sinh tiểu học trên địa bàn thành phố sẽ {}nghỉ"
        " học vào thứ Bảy hằng tuần theo kế hoạch của Sở Giáo dục và Đào tạo Hà Nội.”"
    )
    tagalog = "Ang konseho ay {}pumayag sa pagtatayo ng bagong tulay sa ilog ngayong taon sa bayan"
    for said in (quoted, tagalog):
        yes, no = said.format(""), said.format("không " if said is quoted else "hindi ")
        got, _ = removed(page(f"<p>{yes}</p><p>{PARA}</p><p>{no} Ông Trần nói.</p>"))
        assert got == [], said
    # A "not" in another sentence of the kept paragraph says nothing of the copy.
    got, _ = removed(
        page(
            f"<figure><img src=a.jpg><figcaption>{CAPTION}</figcaption></figure>"
            f"<p>{CAPTION}. It is not known how many people were inside.</p>"
        )
    )
    assert got == [(0, 1, "contained")]


def test_a_reply_quoting_an_earlier_comment_keeps_its_quote():
    comment = (
        "The problem is not the ticket price but the number of buses, we sometimes wait"
        " more than half an hour in the morning."
    )
    html = page(
        f"<article><h1>Bus fares to rise</h1><p>{PARA}</p></article><section class=comments>"
        f"<div class=c><p>{comment}</p></div><div class=c><blockquote><p>{comment}</p>"
        "</blockquote><p>Exactly, and in the evening it is even worse than that, believe me.</p>"
        "</div></section>"
    )
    got, r = removed(html)
    assert got == [] and r.text.count(comment) == 2
    # A sentence pulled from the article's own text is its echo, and goes.
    html = page(
        f"<article><p>{PARA} The mayor promised to open it before the next winter.</p>"
        f"<blockquote>{PARA}</blockquote><p>{CAPTION}, the report said on Monday.</p></article>"
    )
    assert [g[0] for g in removed(html)[0]] == [1]


def test_a_sentence_of_the_story_that_a_later_paragraph_extends_stays():
    first = "The council met on Monday evening to vote on the budget."
    more = ", which raises taxes for every household in the county from next spring."
    got, _ = removed(page(f"<p>{first}</p><p>{PARA}</p><p>{first[:-1]}{more}</p>"))
    assert got == []


def test_a_short_caption_said_twice_in_one_figure_goes():
    html = page(
        "<figure><img src=a.jpg><figcaption>Storm damage</figcaption><div class=m>Storm damage</div>"
        f"</figure><p>{PARA}</p><figure><img src=b.jpg><figcaption>Storm damage</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == [(1, 0, "exact"), (3, 0, "text-only")]
    assert in_html(r) == [(1, 0, "exact")]


def test_cells_of_a_table_inside_a_quote_are_table_cells():
    table = "<table><tr><td>Oliver-Rainer Wittmann</td><td>41</td></tr></table>"
    r = dedup.clean(page(f"<blockquote>{table}</blockquote><blockquote>{table}</blockquote>"))
    assert {b.kind for b in r.blocks} == {Kind.TABLE_CELL} and r.removed == ()


def test_a_heading_with_a_time_or_a_label_in_front_is_the_same_title_but_a_section_heading_stays():
    title = "Six departments remain on orange alert for the storm"
    got, _ = removed(page(f"<h3>{title}</h3><p>{PARA}</p><h2>Breaking news now {title}</h2>"))
    assert got == [(0, 2, "contained")]
    heading = "How the bridge will be rebuilt"
    got, _ = removed(
        page(
            f"<h2>{heading}</h2><p>{heading} is the question the council answered on Monday"
            " evening, after a long debate about the budget.</p>"
        )
    )
    assert got == []


def test_a_lightbox_caption_written_as_markup_is_read_as_its_text():
    title = "Why Chilling Your Beer Glass Is Not a Waste of Time"
    html = page(
        f"<div data-caption='&lt;a href=\"/why-chilling\"&gt;{title}&lt;/a&gt;'></div>"
        f"<p>{PARA}</p><ul><li>{title}</li></ul>"
    )
    r = dedup.clean(html)
    assert r.blocks[0].text == title
    assert [(x.index, x.duplicate_of) for x in r.removed] == [(0, 2)]


def test_a_form_that_shows_the_story_again_loses_the_copy_but_a_quiz_keeps_its_lines():
    headline = "Minister plans partial privatisations of state companies"
    html = page(
        f"<h1>{headline}</h1><p>{PARA}</p>"
        f"<form action=/mail><p>{headline}</p><input name=to></form>"
    )
    assert removed(html)[0] == [(2, 0, "exact")]


def test_a_lightbox_caption_and_its_figcaption_said_twice_under_one_photo_go_once():
    html = page(
        "<figure><a data-caption='Jonathan P. Blair Submitted photo'><img src=blair.jpg></a>"
        f"<figcaption>Jonathan P. Blair Submitted photo</figcaption></figure><p>{PARA}</p>"
    )
    got, r = removed(html)
    assert len(got) == 1 and r.text.count("Jonathan P. Blair") == 1


def test_a_credit_in_parentheses_or_naming_a_source_under_several_photos_is_said_once():
    for credit in ("(Credit: Marguerite Reardon/CNET)", "By The New York Times | Source: Reuters"):
        figures = "".join(
            f"<figure><img src=p{n}.jpg><figcaption>{credit}</figcaption></figure><p>{PARA[:-1]} {n}.</p>"
            for n in range(3)
        )
        r = dedup.clean(page(figures))
        assert r.text.count(credit) == 1, credit
        assert r.html.count(credit) == 3  # one under each photo in HTML
    # A byline is content: the same author under two articles of a list.
    byline = "By Jane Doe"
    r = dedup.clean(
        page(
            f"<ul><li><p>{PARA}</p><p>{byline}</p></li><li><p>{CAPTION}</p><p>{byline}</p></li></ul>"
        )
    )
    assert r.text.count(byline) == 2


def test_two_slides_led_in_by_their_counters_are_one_caption():
    words = "A shopper looks at extension cords at a hardware store in Chicago"
    slides = "".join(
        f"<figure><img src=s{n}.jpg><figcaption>{n}of4{words}</figcaption></figure>" for n in (2, 3)
    )
    got, r = removed(page(f"<p>{PARA}</p>{slides}"))
    assert [g[0] for g in got] == [2]


def test_a_caption_repeating_a_paragraph_with_an_external_source_credit_goes():
    sentence = "Rodrigo Castaneda, the FAO's representative in the Dominican Republic"
    html = page(
        f"<figure><img src=r.jpg><figcaption>{sentence}. (FUENTE EXTERNA)</figcaption></figure>"
        f"<p>{sentence}, says the crisis is a chance to grow more of the food the country eats.</p>"
    )
    got, _ = removed(html)
    assert got == [(0, 1, "contained")]


def test_a_credit_line_whose_credit_a_caption_carries_goes_in_text():
    html = page(
        f"<figure><img src=a.jpg><figcaption>{CAPTION}. Image credit: REUTERS/Brendan McDermid"
        f"</figcaption></figure><p>{PARA}</p>"
        "<figure><img src=b.jpg><figcaption>REUTERS/Brendan McDermid</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == [(2, 0, "text-only")] and in_html(r) == []
    assert r.text.count("Brendan McDermid") == 1


def test_a_photographer_and_outlet_credit_is_said_once_in_text():
    # "(Name Name/Outlet)" at a caption's end is its credit; the same name and outlet as a
    # line of its own under the lead photo says it again.
    html = page(
        "<figure><img src=a.jpg><figcaption>Scott Heins/Gothamist</figcaption></figure>"
        f"<p>{PARA}</p><p>The basement at 80 New York. (Scott Heins/Gothamist)</p>"
    )
    got, r = removed(html)
    assert got == [(0, 2, "text-only")] and r.text.count("Scott Heins") == 1
    # A line of credits says each of its credits: a lone one under another photo goes.
    html = page(
        "<figure><img src=a.jpg><figcaption>Photo illustration by Slate. Photo by David "
        f"Dyer-Bennet.</figcaption></figure><p>{PARA}</p><figure><img src=b.jpg><figcaption>"
        "Photo by David Dyer-Bennet</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == [(2, 0, "text-only")]
    # A name inside another credit's list of names is not that credit said again.
    html = page(
        "<figure><img src=a.jpg><figcaption>(Image credit: Future/SpaceX/Blue Origin, Sierra "
        f"Nevada)</figcaption></figure><p>{PARA}</p><figure><img src=b.jpg><figcaption>(Image"
        " credit: Blue Origin)</figcaption></figure>"
    )
    got, r = removed(html)
    assert got == []
    # Words with a slash in parentheses are no credit: "(Rock/Pop)", "(rock/pop)".
    assert not normalize("Her new album (Rock/Pop)").credited
    assert not normalize("Her new album (Indie rock/pop)").credited
    assert normalize("Her new album (Jane Doe/Reuters)").credited


def test_a_picture_library_run_into_the_caption_is_its_credit():
    # Scraped with no separator: "... as they should be Getty Images".
    sentence = "Even luxury hotels are not always cleaned as often as they should be"
    html = page(
        f"<figure><img src=a.jpg><figcaption>{sentence} Getty Images</figcaption></figure>"
        f"<p>But {sentence[0].lower()}{sentence[1:]}.</p><p>Credits: Getty Images</p>"
    )
    got, _ = removed(html)
    assert [g[:2] for g in got] == [(0, 1)]
    # In a sentence of the story, the name is words ("sold to Getty Images.").
    assert not normalize("He sold his photos of the storm to Getty Images.").credited
    assert normalize("A cat asleep in the sun Pixabay").key == "a cat asleep in the sun"


def test_chinese_and_japanese_credits_and_labels_are_read():
    for caption, credit in (
        ("5月1日，游客在杭州西湖断桥附近游览。", "（记者 王磊 摄）"),
        ("駅前で開かれた朝市の様子", "（田中撮影）"),
        ("市場の様子を伝える写真です", "（写真提供：東都市）"),
        ("除雪車が出動した札幌市中央区の大通＝5日午前", "（撮影・山田健太）"),
        (
            "26일 서울 성동구 군자차량사업소에 신형 전동차가 줄지어 서 있다.",
            " 사진=서울교통공사 제공",
        ),
    ):
        html = page(
            f"<figure><img src=a.jpg><figcaption>{caption}{credit}</figcaption></figure>"
            f"<p>{PARA}</p><p>{caption}</p>"
        )
        got, r = removed(html)
        assert [g[:2] for g in got] == [(2, 0)], caption
        assert credit in r.text
    words = "一艘满载电动汽车的运输船停靠在深圳港。"
    html = page(
        f"<figure><img src=a.jpg><figcaption>{words}</figcaption></figure><p>{PARA}</p><p>图像加注文字，{words}</p>"
    )
    got, r = removed(html)
    assert [g[:2] for g in got] == [(2, 0)]
    # A label with a full-width colon, or in brackets: "写真：", "【写真】".
    for label in ("写真：", "【写真】"):
        got, r = removed(
            page(
                f"<figure><img src=a.jpg><figcaption>{words}</figcaption></figure><p>{PARA}</p><p>{label}{words}</p>"
            )
        )
        assert [g[:2] for g in got] == [(2, 0)], label
    # Where and when after "＝" is set aside with the credit.
    key = normalize("観光特急バスに乗り込む外国人観光客ら＝1日午前、京都駅前（撮影・佐藤真一）").key
    assert key == "観光特急バスに乗り込む外国人観光客ら"
    # Words in brackets that credit no one stay words.
    assert not normalize("他说（这是真的）").credited


def test_in_html_a_slideshow_copy_of_a_credited_caption_goes_and_the_credit_stays():
    words = "Des voyageurs consultent les panneaux en gare de Lyon Part-Dieu, mercredi 5 juin."
    html = page(
        f"<figure><img src=/i/gare.jpg><figcaption>{words} © Jeanne Roussel / AFP</figcaption>"
        f"</figure><p>{PARA}</p><div class=slide><img src=/i/gare.jpg><p>{words}</p></div>"
    )
    got, r = removed(html)
    assert [g[:2] for g in got] == [(2, 0)] and in_html(r) == [(2, 0, "exact")]
    assert "Jeanne Roussel" in r.html and r.html.count(words) == 1
    # The same words under another photo stay under it in HTML.
    other = html.replace(
        "<div class=slide><img src=/i/gare.jpg><p>", "<figure><img src=/i/quai.jpg><figcaption>"
    )
    other = other.replace(f"{words}</p></div>", f"{words}</figcaption></figure>")
    assert in_html(removed(other)[1]) == []


def test_in_text_the_copy_with_the_credit_stays_and_its_bare_twin_goes():
    text = f"{PARA}\n\n{CAPTION}\n\nMore words of the story follow here.\n\n{CAPTION}. Photograph: Jane Doe/Reuters\n"
    r = dedup.clean(text, format="text")
    assert [(x.index, x.duplicate_of) for x in r.removed] == [(1, 3)]
    assert "Jane Doe" in r.text and r.text.count(CAPTION) == 1
    assert dedup.clean(r.text, format="text").removed == ()


def test_a_teaser_with_a_time_or_date_in_front_is_the_headline_copy_but_a_ranked_entry_stays():
    title = "Six departments remain on orange alert for the storm"
    for teaser, goes in (
        (f"17:27 GMT {title}", True),
        (f"12 May 2022 {title}", True),
        (f"2024/05/15 12:30 {title}", True),
        (f"8 {title}", False),  # a most-read list's rank
        (f"13.- {title}", False),
    ):
        got, _ = removed(page(f"<h1>{title}</h1><p>{PARA}</p><ul><li>{teaser}</li></ul>"))
        assert got == ([(2, 0, "headline")] if goes else []), teaser


def test_a_song_s_refrain_after_each_verse_stays_in_plain_text():
    refrain = "Canta, río de mi infancia, canta despacio por nosotros,\nque la noche no se lleve nuestra voz."
    verses = [
        "Bajaban los pescadores con las redes al amanecer,\ny en la plaza sonaban las campanas.",
        "Las mujeres en la orilla remendaban el ayer,\nmientras el viento del norte soplaba.",
    ]
    text = f"{PARA}\n\n" + "\n\n".join(f"{v}\n{refrain}" for v in verses) + f"\n\n{CAPTION}.\n"
    got, r = removed(text, name="song.txt")
    assert got == [] and r.text.count("canta despacio por nosotros") == 2
    # A caption said again under it in the same paragraph still goes: only lines said in
    # other stanzas are a refrain.
    twice = f"{PARA}\n\n{CAPTION}\n{CAPTION}\nPhoto: Jane Doe\n"
    got, r = removed(twice, name="page.txt")
    assert len(got) == 1 and r.text.count(CAPTION) == 1


def test_a_markdown_reply_quoting_a_comment_keeps_its_quote_but_a_pull_quote_goes():
    comment = (
        "Finally the city dares something. In Copenhagen you have seen for years that shops "
        "gain from fewer cars."
    )
    reply = "That may hold for Copenhagen, but its network of cycle lanes is something else again."
    source = (
        f"# Car-free centre\n\n{PARA}\n\n## Comments (2)\n\n**cyclist** · 3 hours ago\n\n"
        f"{comment}\n\n**Marianne K.** · 2 hours ago\n\n> {comment}\n\n{reply}\n"
    )
    got, r = removed(source, name="page.md")
    assert got == [] and r.text.count("Finally the city dares") == 2
    pulled = f"{PARA}\n\n> {PARA}\n\nThe council votes in the autumn on the plan for the centre.\n"
    got, r = removed(pulled, name="page.md")
    assert len(got) == 1 and r.text.count(PARA) == 1
    # A short sentence pulled from a long paragraph beside it goes too.
    short = "the centre must belong to people, not to cars"
    said = f"The mayor defended the plan on Monday, saying that {short}, and that shops would gain."
    got, r = removed(f"{said}\n\n> {short.capitalize()}\n\n{PARA}\n", name="page.md")
    assert [g[:2] for g in got] == [(1, 0)]


def test_a_quotation_standing_whole_with_its_attribution_is_a_pull_quote_in_plain_text():
    said = (
        'The councillor explained how the money would be spent. "We do not want to close '
        'the city, we only want to manage the crowds on the busiest days," Marcon said.'
    )
    quote = (
        "“We do not want to close the city, we only want to manage the crowds on the busiest "
        "days.” — Giorgio Marcon"
    )
    got, r = removed(f"{PARA}\n\n{said}\n\n{quote}\n\n{CAPTION}.\n", name="page.txt")
    assert [g[:2] for g in got] == [(2, 1)] and "Marcon said" in r.text
    # Two dashes before the name, as Chinese pages write it; a name with its initials.
    for dashes, name in (("——", "王建平"), ("—", "S. Rajasekhar")):
        got, r = removed(
            f"{PARA}\n\n{said}\n\n{quote.split(' — ')[0]} {dashes}{name}\n", name="p.txt"
        )
        assert [g[:2] for g in got] == [(2, 1)], name
    # A paragraph that quotes without standing whole in quotation marks is no pull quote.
    own = "He added: “We do not want to close the city, we only want to manage the crowds.”"
    got, r = removed(f"{PARA}\n\n{said}\n\n{own}\n", name="page.txt")
    assert got == []


def test_a_title_said_again_with_words_left_out_goes_but_not_a_label_or_a_negation():
    full = "How Can an Aircraft Disappear Over the Ocean Without a Trace?"
    short = "How Can an Aircraft Disappear Without a Trace?"
    body = f"<h1>{CAPTION}</h1><p>{PARA}</p>"
    got, r = removed(page(f"{body}<aside><ul><li>{short}</li></ul><h3>{full}</h3></aside>"))
    assert [(g[0], g[1], str(g[2])) for g in got] == [(2, 3, "shortened")]
    assert r.text.count("Aircraft") == 1 and dedup.clean(r.html).html_removed == ()
    # In a label of a few words every word tells.
    labels = "<li>See all West Virginia True rulings</li><li>See all West Virginia Mostly True rulings</li>"
    got, r = removed(page(f"{body}<ul>{labels}</ul>"))
    assert got == []
    # A title that leaves a negation out says the opposite.
    said = "Council will not approve the new bridge over the river this year"
    got, r = removed(page(f"{body}<h2>{said}</h2><ul><li>{said.replace(' not', '')}</li></ul>"))
    assert got == []
    # The page's headline is never the copy, however short.
    got, r = removed(page(f"<h1>{short}</h1><p>{PARA}</p><ul><li>{full}</li></ul>"))
    assert r.text.count(short) == 1
    # Short titles too: three words left out of ten cost a third of the shingles.
    full = "Donald Trump is running victory laps and settling old scores"
    short = "Trump running victory laps, settling old scores"
    got, r = removed(page(f"{body}<aside><h3>{short}</h3></aside><aside><h3>{full}</h3></aside>"))
    assert [(g[0], g[1], str(g[2])) for g in got] == [(2, 3, "shortened")]


def test_one_picture_is_known_by_its_renditions_its_sources_its_video_and_its_link():
    def twins(first, second):
        one = f"<figure>{first}<figcaption>{CAPTION}</figcaption></figure>"
        two = f"<figure>{second}<figcaption>{CAPTION}</figcaption></figure>"
        return removed(page(f"{one}<p>{PARA}</p>{two}"))[1]

    # A srcset's renditions differ in their last word: a lightbox's other one is the photo.
    nyt = "/images/2023/11/02/00panama-canal-01-hfmq-{}.jpg"
    srcset = ", ".join(f"{nyt.format(s)} {w}w" for s, w in (("articleLarge", 600), ("jumbo", 1024)))
    r = twins(
        f"<img src='{nyt.format('articleLarge')}' srcset='{srcset}'>",
        f"<img src='{nyt.format('superJumbo')}'>",
    )
    assert r.html.count(CAPTION) == 1
    # A picture's many sources are one image, not a placeholder shown by many.
    sources = "".join(
        f"<source media='(min-width:{w}px)' srcset='/{w}/a1b2_vignerons.jpg'>"
        for w in (400, 800, 1200, 1600)
    )
    r = twins(
        f"<picture>{sources}<img src='/664/a1b2_vignerons.jpg'></picture>",
        "<img src='/384/a1b2_vignerons.jpg'>",
    )
    assert r.html.count(CAPTION) == 1
    # Two players of one video; a size written "-w960"; two images opening one photo page.
    r = twins(
        "<iframe src='https://www.youtube.com/embed/Qm3xT9pLwE4'></iframe>",
        "<iframe data-src='https://www.youtube-nocookie.com/embed/Qm3xT9pLwE4?mute=1'></iframe>",
    )
    assert r.html.count(CAPTION) == 1
    r = twins("<img src='/u/palatinus-strand-w960.jpg'>", "<img src='/u/palatinus-strand.jpg'>")
    assert r.html.count(CAPTION) == 1
    r = twins(
        "<a href='/photo/20240316-001/'><img src='/i/001_l.jpg'></a>",
        "<a href='/photo/20240316-001/'><img src='/i/001_s.jpg'></a>",
    )
    assert r.html.count(CAPTION) == 1
    # A photo and its enlargement in a box of the page that its link opens.
    modal = (
        f"<figure><a href='#enlarge-1'><img src='/i/50121-T.jpg'></a><figcaption>{CAPTION}"
        f"</figcaption></figure><p>{PARA}</p><div id=enlarge-1 class=modal><div>"
        f"<img src='/i/50121-L.jpg'><p class=caption>{CAPTION}</p></div></div>"
    )
    assert removed(page(modal))[1].html.count(CAPTION) == 1
    lightbox = (
        f"<figure><button data-lightbox-trigger=lb-1><img src='/i/0001_w948_r1.778_fpx44.jpg'>"
        f"</button><figcaption>{CAPTION}</figcaption></figure><p>{PARA}</p>"
        f"<div class=lightbox id=lb-1 hidden><img src='/i/other.jpg'><div>{CAPTION}</div></div>"
    )
    assert removed(page(lightbox))[1].html.count(CAPTION) == 1
    r = twins(
        "<img src='/i/8b1c_w948_r1.778_fpx44_fpy52.jpg'>", "<img src='/i/8b1c_w1600_r1.778.jpg'>"
    )
    assert r.html.count(CAPTION) == 1
    # Different photos stay different, whatever their names share.
    for a, b in (("mill-fire-tue", "mill-fire-wed"), ("debris-a", "debris-b")):
        r = twins(f"<img src='/2024/{a}.jpg'>", f"<img src='/2024/{b}.jpg'>")
        assert r.html.count(CAPTION) == 2 and r.text.count(CAPTION) == 1
    r = twins(
        "<a href='/photo/1/'><img src='/i/001_l.jpg'></a>",
        "<a href='/photo/2/'><img src='/i/002_l.jpg'></a>",
    )
    assert r.html.count(CAPTION) == 2


def test_a_short_line_goes_with_the_block_beside_it_printed_again_but_stays_beside_others():
    bio = "Business reporter. Since 2015 she has written about housing, mortgages and rent."
    box = f"<div class=author><p>Anna Kowalska</p><p>{bio}</p></div>"
    got, r = removed(page(f"<h1>{CAPTION}</h1>{box}<p>{PARA}</p><h3>About the author</h3>{box}"))
    assert [g[0] for g in got] == [5, 6] and r.text.count("Anna Kowalska") == 1
    assert dedup.clean(r.html).html_removed == ()
    # The same short line beside two different blocks is said of each.
    other = "<div class=author><p>Anna Kowalska</p><p>Writes about city politics and transport.</p></div>"
    got, r = removed(page(f"<h1>{CAPTION}</h1>{box}<p>{PARA}</p>{other}"))
    assert got == [] and r.text.count("Anna Kowalska") == 2
    # Beside a short line printed again (a button) it is no item printed again: a reply's
    # author stays under each reply.
    replies = "".join(
        f"<div class=reply><p>Follow this author now</p><p>Patrick Allan</p><p>{t}</p></div>"
        for t in (PARA, CAPTION)
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{replies}"))
    assert r.text.count("Patrick Allan") == 2
    # A menu's labels stay, though the menu's longer entry goes.
    menu = "<ul class=menu><li>Top news</li><li>Subscribe to the morning newsletter</li></ul>"
    got, r = removed(page(f"{menu}<h1>{CAPTION}</h1><p>{PARA}</p>{menu}"))
    assert r.text.count("Top news") == 2 and r.text.count("morning newsletter") == 1
    # In any script: a newsletter box's two-word title goes with its box printed again.
    news = "<div class=nl><h3>النشرة البريدية</h3><p>اشترك في نشرتنا لتصلك أبرز الأخبار والتحليلات يوميا على بريدك</p></div>"
    got, r = removed(page(f"<h1>{CAPTION}</h1>{news}<p>{PARA}</p>{news}"))
    assert [g[0] for g in got] == [4, 5] and r.text.count("النشرة البريدية") == 1


def test_a_headline_with_how_long_it_takes_joined_on_is_the_headline_again():
    title = "Warum Tausende Anträge seit Wochen liegen bleiben"
    got, r = removed(
        page(f"<h1>{title}</h1><p>{PARA}</p><div class=audio><p>{title} 5 Min</p></div>")
    )
    assert [(g[0], str(g[2])) for g in got] == [(2, "headline")]
    # A number alone after a title goes on with it.
    got, r = removed(page(f"<h1>{title}</h1><p>{PARA}</p><p>{title} 2</p>"))
    assert got == []


def test_a_caption_or_pull_quote_retelling_a_sentence_with_edits_goes():
    story = (
        "This is not common, but can happen, Forrest Jones said. He advised stuffing the peep "
        "hole with a strip of rolled up notepaper when not in use. When someone knocks, the "
        "paper can be removed to check who is there."
    )
    caption = "Forrest Jones advised stuffing the peep hole with a strip of rolled up notepaper when not in use."
    fig = f"<figure><img src=/door.jpg><figcaption>{caption}</figcaption></figure>"
    got, r = removed(page(f"<p>{PARA}</p>{fig}<p>{story}</p>"))
    assert [g[:2] for g in got] == [(1, 2)] and "Forrest Jones said" in r.text
    # A pulled quote that leaves a parenthesis out.
    said = (
        "Besides, the 11 health agencies of the world (Efsa in Europe, Anses in France, EPA in "
        "the United States) agree: used correctly, it presents no risk. The review goes on."
    )
    quote = "« The 11 health agencies of the world agree: used correctly, it presents no risk »"
    got, r = removed(
        page(f"<p>{PARA}</p><p>{said}</p><blockquote class=pullquote>{quote}</blockquote>")
    )
    assert [g[:2] for g in got] == [(2, 1)]
    # Not when it leaves out a negation, names another place, or picks words from all over.
    negated = "Forrest Jones advised stuffing the peep hole with a strip of rolled up notepaper when in use."
    other = "A visualization of sea level rise in Boston."
    scattered = "Forrest Jones said the paper can be removed when someone knocks on the hole."
    for text, kept in (
        (negated, story),
        (other, "A visualization of sea level rise in New York."),
        (scattered, story),
    ):
        fig = f"<figure><img src=/a.jpg><figcaption>{text}</figcaption></figure>"
        got, r = removed(page(f"<p>{PARA}</p>{fig}<p>{kept}</p>"))
        assert got == [], text


def test_a_wire_caption_retelling_a_sentence_goes_whatever_day_its_picture_was_taken():
    story = (
        "Container ships waited to enter the Panama Canal near the Gatun Locks in August 2023, "
        "as drought forced authorities to cap daily crossings. At the worst point, more than "
        "150 vessels were anchored at both ends of the waterway."
    )
    for caption in (
        "FILE - Container ships wait to enter the Panama Canal near the Gatun Locks, Aug. 21, "
        "2023, as drought forced authorities to cap daily crossings. (MP Photo/Rosa Iturralde, File)",
        "Container ships wait to enter the Panama Canal near the Gatun Locks, as drought forced "
        "authorities to cap daily crossings, on Friday, 21 August 2023.",
        "Container ships wait to enter the Panama Canal near the Gatun Locks, as drought forced "
        "authorities to cap daily crossings, 21.08.2023",
    ):
        fig = f"<figure><img src=/locks.jpg><figcaption>{caption}</figcaption></figure>"
        got, r = removed(page(f"<p>{PARA}</p>{fig}<p>{story}</p>"))
        assert [g[:2] for g in got] == [(1, 2)], caption
    # A day without a year, after "on" and ending the caption's sentence, is a date too;
    # a road's number is none.
    story2 = (
        "Workers were laying the final stretch of the 1.8-metre pipeline near Dhabeji pumping "
        "station when a team from this newspaper visited the site last week."
    )
    for caption, goes in (
        ("Workers lay the final stretch of the 1.8-metre pipeline near Dhabeji pumping station "
         "on March 14. — Photo by Imran Ali", True),
        ("Workers lay the final stretch of the 1.8-metre pipeline near Dhabeji pumping station, "
         "Thursday 18 April", True),
        ("Workers lay the final stretch of the 1.8-metre pipeline near Dhabeji pumping station "
         "on Route 66.", False),
    ):  # fmt: skip
        fig = f"<figure><img src=/pipe.jpg><figcaption>{caption}</figcaption></figure>"
        got, r = removed(page(f"<p>{PARA}</p>{fig}<p>{story2}</p>"))
        assert ([g[:2] for g in got] == [(1, 2)]) is goes, caption
    # A number of its own that is no date stays: the caption says something the story does not.
    counted = (
        "Container ships wait to enter the Panama Canal near the Gatun Locks, as drought forced "
        "authorities to cap daily crossings at 24."
    )
    fig = f"<figure><img src=/locks.jpg><figcaption>{counted}</figcaption></figure>"
    assert removed(page(f"<p>{PARA}</p>{fig}<p>{story}</p>"))[0] == []


def test_a_credit_line_under_two_photos_is_said_once_in_text_in_any_language():
    for credit in ("Photo: Jane Doe", "Ảnh: Lê Ngọc Trâm", "사진: 김민수", "Фото: Иван Петров"):
        text = "\n\n".join(
            [
                CAPTION,
                PARA,
                "A caption of the first photo.",
                credit,
                PARA[::-1],
                "A second caption.",
                credit,
            ]
        )
        r = dedup.clean(text + "\n", format="text")
        assert r.text.count(credit) == 1, credit


def test_a_pull_quote_that_leaves_a_phrase_out_without_an_ellipsis_goes():
    said = (
        "A guidare la protesta è il sindaco Marco Ferrante. «Non chiediamo fondi nuovi, "
        "chiediamo che quelli già stanziati dopo l’alluvione del 2023 arrivino prima "
        "dell’inverno», ha detto all’uscita dall’incontro."
    )
    quote = (
        "<blockquote class=pullquote>“Non chiediamo fondi nuovi, chiediamo che quelli già "
        "stanziati arrivino prima dell'inverno” – Marco Ferrante</blockquote>"
    )
    got, r = removed(page(f"<p>{PARA}</p><p>{said}</p>{quote}"))
    assert [g[:2] for g in got] == [(2, 1)]


def test_a_line_broken_inside_chinese_text_breaks_no_word():
    caption = "6月18日，工作人员在成都天府国际机场T1航站楼调试新投用的自助行李托运设备。新华社记者 王曦 摄"
    viewer = "<div hidden><p>6月18日，工作人员在成都天府国际机场T1航站楼<br>调试新投用的自助行李托运设备。</p></div>"
    fig = f"<figure><img src=/a.jpg><figcaption>{caption}</figcaption></figure>"
    got, r = removed(page(f"<p>{PARA}</p>{fig}{viewer}"))
    assert [g[:2] for g in got] == [(2, 1)]
    # ... as plain text wraps it; a space between two Japanese labels stays a boundary.
    assert normalize("航站楼\n调试新投用").key == "航站楼调试新投用"
    assert dedup.clean("<p>IT・デジタル ガジェット・ツール</p>", format="html").blocks[0].text == (
        "IT・デジタル ガジェット・ツール"
    )


def test_a_quotation_opened_with_a_closing_mark_is_a_pulled_quote_in_plain_text():
    said = (
        "Amira Haddad har bott i området sedan 2003. ”Vi har väntat i tjugo år på att "
        "spårvagnen ska komma hit, och nu händer det äntligen”, säger hon och skrattar."
    )
    quote = "”Vi har väntat i tjugo år på att spårvagnen ska komma hit …”\n– Amira Haddad"
    r = dedup.clean(f"Spårvagnen är här\n\n{said}\n\n{quote}\n\n{PARA}\n", format="text")
    assert [x.index for x in r.removed] == [2] and r.text.count("tjugo år") == 1


def test_a_caption_that_retells_a_sentence_in_another_order_goes():
    story = (
        "In tank trials at the university's marine station in Port Lonsdale, the "
        "10-centimetre sponges removed 83 percent of polyethylene fragments from two litres "
        "of seawater in under an hour. Performance was lower for nylon fibres."
    )
    caption = (
        "A 10-centimetre sponge removed 83 percent of polyethylene fragments from two "
        "litres of seawater during tank trials in Port Lonsdale. (Photo courtesy of the university)"
    )
    fig = f"<figure><img src=/sponge.jpg><figcaption>{caption}</figcaption></figure>"
    got, r = removed(page(f"<p>{PARA}</p>{fig}<p>{story}</p>"))
    assert [g[:2] for g in got] == [(1, 2)]
    # Not words picked from all over a long sentence, nor with a negation the caption lacks.
    scattered = "A flooded cassava farm in Ifo Local Government Area of Ogun State on Sunday."
    farmers = (
        "Farmers in Ifo and Ewekoro local government areas of Ogun State have appealed to the "
        "state government for urgent relief after a heavy downpour on Saturday night "
        "submerged more than 300 hectares of cassava, maize and vegetable farms."
    )
    negated = story.replace(
        "the 10-centimetre sponges removed", "the 10-centimetre sponges never removed"
    )
    for text, kept in ((scattered, farmers), (caption, negated)):
        fig = f"<figure><img src=/a.jpg><figcaption>{text}</figcaption></figure>"
        assert removed(page(f"<p>{PARA}</p>{fig}<p>{kept}</p>"))[0] == [], text


def test_a_pull_quote_s_attribution_goes_with_it_when_the_story_names_the_speaker():
    said = (
        "“We have spent forty years building homes for cars, and it is time we built homes "
        "for people instead,” said Mayor Linda Ortiz after the vote."
    )
    quote = (
        "<blockquote class=pullquote><p>“We have spent forty years building homes for cars … "
        "it is time we built homes for people instead.”</p><cite>— Mayor Linda Ortiz</cite></blockquote>"
    )
    got, r = removed(page(f"<p>{PARA}</p><p>{said}</p>{quote}"))
    assert len(got) == 2 and r.text.count("Linda Ortiz") == 1
    # Not when the story does not name the speaker so.
    got, r = removed(
        page(f"<p>{PARA}</p><p>{said.replace('Mayor Linda Ortiz', 'the mayor')}</p>{quote}")
    )
    assert len(got) == 1 and r.text.count("Linda Ortiz") == 1


def test_a_paragraph_printed_again_with_a_typo_fixed_is_a_copy_but_not_a_changed_name():
    fixed = (
        "Opóźnienie wynika głównie z kolizji z siecią ciepłowniczą, której przebieg okazał się "
        "inny niż w dokumentacji, oraz z konieczności przeprojektowania dwóch przystanków."
    )
    typo = fixed.replace("przebieg", "pzrebieg")
    got, r = removed(page(f"<p>{typo}</p><p>{PARA}</p><div class=ad>Reklama</div><p>{fixed}</p>"))
    assert len(got) == 1 and r.text.count("ciepłowniczą") == 1
    # A short word changed is another word: a changed name says another thing.
    names = "Proszę głosować na Olgę w konkursie na najlepszy blog roku, zostało tylko kilka dni do końca."
    got, r = removed(page(f"<p>{names}</p><p>{PARA}</p><p>{names.replace('Olgę', 'Olię')}</p>"))
    assert got == []


def test_a_credit_labelled_photo_in_another_script_is_a_credit():
    caption = "Спасатели эвакуировали более двухсот жителей прибрежных сёл"
    one = f"<figure><img src=/evakuaciya.jpg><figcaption>{caption}. Фото: Илья Смирнов / ТАСС</figcaption></figure>"
    two = f"<figure><img src=/evakuaciya-mobile.jpg><figcaption>{caption}.</figcaption></figure>"
    got, r = removed(page(f"{one}<p>{PARA}</p>{two}"))
    assert [g[:2] for g in got] == [(2, 0)] and "Илья Смирнов" in r.text
    # A file named as another with a word more is the same photo; a number more is not.
    assert in_html(r) == [(2, 0, "exact")]
    three = two.replace("evakuaciya-mobile", "evakuaciya-2")
    got, r = removed(page(f"{one}<p>{PARA}</p>{three}"))
    assert in_html(r) == [] and r.text.count(caption) == 1


def test_a_credit_line_apart_from_any_picture_is_said_once_in_text_and_kept_in_html():
    fig = "<figure><img src=/{}.jpg><figcaption>Image: Amazon.co.jp</figcaption></figure>"
    box = "<div class=product><p>Image: Amazon.co.jp</p><p>A desk lamp with three modes.</p></div>"
    got, r = removed(page(f"{fig.format('lamp-desk')}<p>{PARA}</p>{box}"))
    assert r.text.count("Amazon.co.jp") == 1 and in_html(r) == []
    # A byline is no picture's credit: the same byline under two articles stays.
    byline = "<div><p>By Jane Doe</p><p>{}</p></div>"
    got, r = removed(page(byline.format(PARA) + byline.format(CAPTION)))
    assert r.text.count("By Jane Doe") == 2


def test_a_copyright_notice_worded_twice_is_said_once():
    short = "Copyright © 2023 KGO-TV. All Rights Reserved."
    full = "Copyright © 2023 ABC, Inc., KGO-TV San Francisco. All Rights Reserved."
    got, r = removed(page(f"<p>{PARA}</p><p>{short}</p><footer><p>{full}</p></footer>"))
    assert got == [(1, 2, "contained")] and "KGO-TV San Francisco" in r.text
    # A notice that says something the other does not stays; so does, in HTML, the
    # notice under a photo, its credit.
    other = "© 2022 Jane Doe Photography"
    got, r = removed(page(f"<p>{PARA}</p><p>{other}</p><footer><p>{full}</p></footer>"))
    assert got == []
    credit = "<figure><img src=a.jpg><figcaption>© 2023 KGO-TV San Francisco</figcaption></figure>"
    got, r = removed(page(f"{credit}<p>{PARA}</p><footer><p>{full}</p></footer>"))
    assert r.text.count("KGO-TV") == 1 and in_html(r) == []


def test_a_recipe_s_ingredient_in_two_steps_stays_in_scripts_that_write_vowels_as_marks():
    steps = "\n\n".join(
        f"## ধাপ {n}\n\n- ২ টেবিল চামচ সরষের তেল\n- {other}\n\n{text}"
        for n, other, text in (
            ("১", "আধা চা চামচ হলুদ গুঁড়া", "মাছের টুকরোগুলো ধুয়ে হলুদ আর লবণ মাখিয়ে দশ মিনিট রেখে দিন।"),
            ("৩", "আধা চা চামচ কালোজিরা", "কড়াইতে তেল গরম করে কালোজিরা ফোড়ন দিন, তারপর সরষে বাটা দিন।"),
        )
    )
    got, r = removed(f"# সরষে ইলিশ\n\n{steps}\n", name="recipe.md")
    assert got == [] and r.text.count("২ টেবিল চামচ সরষের তেল") == 2


def test_a_lightbox_copy_of_a_caption_goes_and_the_figcaption_stays():
    fig = f"<figure><a href='#lb-1'><img src=/mascleta.jpg></a><figcaption>{CAPTION}</figcaption></figure>"
    box = f"<div class='lightbox' hidden><div class=lightbox__slide><img src=/mascleta-xl.jpg><p class=lightbox__pie>{CAPTION}</p></div></div>"
    got, r = removed(page(f"{fig}<p>{PARA}</p>{box}"))
    assert [g[:2] for g in got] == [(2, 0)] and [x[:2] for x in in_html(r)] == [(2, 0)]


def test_a_headline_after_a_full_width_colon_is_the_headline_again():
    title = "北海道で記録的な大雪 新千歳空港で約400便が欠航"
    got, r = removed(page(f"<h1>{title}</h1><p>{PARA}</p><p>シェア：{title}</p>"))
    assert [(g[0], str(g[2])) for g in got] == [(2, "headline")]


def test_a_markdown_reply_in_bengali_keeps_its_quote_of_a_comment():
    # A comment's header ("name · two hours ago") is a short line in any script: its words
    # are counted with their vowel signs.
    comment = (
        "অবশেষে শহর কিছু একটা করার সাহস দেখাল। কোপেনহেগেনে বহু বছর ধরে দেখা যাচ্ছে কম গাড়িতে দোকানের লাভ হয়।"
    )
    reply = "কোপেনহেগেনের কথা ঠিক হতে পারে, কিন্তু সেখানে সাইকেল পথের জাল একেবারে অন্যরকম এবং অনেক বড়।"
    source = (
        f"# শিরোনাম\n\n{PARA}\n\n## মন্তব্য\n\n**রহিম উদ্দিন** · তিন ঘণ্টা আগে\n\n{comment}\n\n"
        f"**মারিয়ানা খাতুন** · দুই ঘণ্টা আগে\n\n> {comment}\n\n{reply}\n"
    )
    got, r = removed(source, name="page.md")
    assert got == [] and r.text.count("অবশেষে শহর") == 2


RANKED = [
    "Council approves the new bridge over the river Tay",
    "Storm closes schools across the northern districts",
    "Local bakery wins the national bread award again",
    "Rail strike called off after overnight talks",
]


def test_the_same_story_in_two_ranked_lists_is_said_once():
    read = "".join(f"<li>{n}. {t}</li>" for n, t in enumerate(RANKED, 1))
    commented = "".join(f"<li>{n}.- {t}</li>" for n, t in enumerate(reversed(RANKED), 1))
    html = page(f"<p>{PARA}</p><ol>{read}</ol><ol>{commented}</ol>")
    got, r = removed(html)
    assert sorted(i for i, _, _ in got) == [5, 6, 7, 8]
    for title in RANKED:
        assert r.text.count(title) == 1
    # Glued ranks (a number's span joined to the title) and plain text read the same.
    glued = "\n\n".join(
        [
            PARA,
            *(f"{n}{t}" for n, t in enumerate(RANKED, 1)),
            *(f"{n} {t}" for n, t in enumerate(RANKED, 6)),
        ]
    )
    assert [i for i, _, _ in removed(glued)[0]] == [5, 6, 7, 8]


def test_a_korean_pull_quote_and_copyright_line_are_read():
    said = (
        "한옥마을에서 20년째 부채 공방을 운영하는 박정숙씨는 “골목 상권을 살리려면 주차장부터"
        " 해결해야 한다”고 말했다. 인근 식당 주인도 “단체 관광버스는 아예 세울 곳이 없다”고 했다."
    )
    quote = "“골목 상권을 살리려면 주차장부터 해결해야 한다” ― 부채 공방 운영 박정숙씨"
    notice = "저작권자 © 조선일보 무단전재 및 재배포 금지"
    html = page(
        f"<p>{said}</p><aside class=pullquote><blockquote>{quote}</blockquote></aside>"
        f"<p>{PARA}</p><p>{notice}</p><footer><p>{notice}</p></footer>"
    )
    got, r = removed(html)
    assert [g[0] for g in got] == [1, 4] and r.text.count(notice) == 1
    # "All rights reserved ©" in Arabic, said in the story's text and again at its end.
    notice = "جميع الحقوق محفوظة © 2024 بوابة الثغر"
    got, r = removed(f"{PARA}\n\n{notice}\n\n{CAPTION}\n\n{notice}\n", name="page.txt")
    assert [g[:2] for g in got] == [(3, 1)]


def test_a_gallery_counted_one_by_one_is_no_ranked_list():
    # "1 of 4 <caption>", "2 of 4 ..." count slides: the credited caption they repeat stays.
    slides = "\n\n".join(f"{n} of 3 {t}" for n, t in enumerate([CAPTION, PARA, RANKED[0]], 1))
    got, r = removed(f"{CAPTION}. (Photo: Reuters/Carl Dennison)\n\n{RANKED[1]}\n\n{slides}\n")
    assert got == [(2, 0, "exact")] and "Carl Dennison" in r.text


def test_a_rank_is_set_aside_only_in_a_ranked_list():
    # One list doing a step twice keeps both; numbers that are the text's own stay.
    steps = [
        "Stir the sauce for two minutes",
        "Add the onions and the garlic",
        "Stir the sauce for two minutes",
        "Serve hot",
    ]
    method = "".join(f"<li>{n}. {t}</li>" for n, t in enumerate(steps, 1))
    assert removed(page(f"<ol>{method}</ol>"))[0] == []
    dead = page(
        "<p>3 dead as floods sweep the northern valleys</p><p>5 dead as floods sweep the northern valleys</p>"
    )
    assert removed(dead)[0] == []
    # A table of contents numbers the article's sections: the headings and entries stay.
    heads = [
        "Why cats need to play",
        "Toys that move by themselves",
        "What to look for when buying",
    ]
    toc = "".join(f"<li><a href=#s{n}>{n} {t}</a></li>" for n, t in enumerate(heads, 1))
    body = "".join(f"<h2 id=s{n}>{t}</h2><p>{PARA} {n}</p>" for n, t in enumerate(heads, 1))
    assert removed(page(f"<nav><ol>{toc}</ol></nav>{body}"))[0] == []


def test_a_refrain_closing_each_stanza_of_a_poem_stays():
    stanzas = [
        [
            "In the morning I walked past your window",
            "the bread was warm and the tea not yet ready",
        ],
        ["At noon the pigeons sat along the wire", "and my mother whispered your name by heart"],
        [
            "At night the houses dimmed their lamps one by one",
            "yet no one shut the door against the wind",
        ],
    ]
    refrain = "and the lane is still lit in your name"
    poem = "".join("".join(f"<p>{line}</p>" for line in s) + f"<p>{refrain}</p>" for s in stanzas)
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{poem}<p>{PARA[::-1]}</p>"))
    assert got == [] and r.text.count(refrain) == 3
    # A line said three times between paragraphs of prose is no refrain.
    promo = "Sign up for our morning newsletter today"
    prose = "".join(f"<p>{PARA} ({n})</p><p>{promo}</p>" for n in range(3))
    got, r = removed(page(f"<h1>{CAPTION}</h1>{prose}"))
    assert r.text.count(promo) == 1


def test_a_refrain_between_stanzas_broken_with_br_stays():
    stanzas = [
        "In the morning I walked past your window<br>the bread was warm on the sill",
        "At noon the pigeons sat along the wire<br>my mother whispered your name",
        "At night the houses dimmed their lamps<br>no one shut the door on the wind",
    ]
    refrain = "and the lane is still lit in your name"
    poem = "".join(f"<p>{s}</p><p class=refrain>{refrain}</p>" for s in stanzas)
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{poem}<p>{PARA[::-1]}</p>"))
    assert got == [] and r.text.count(refrain) == 3
    assert [b.lines for b in r.blocks[2:4]] == [2, 1]
    # A line said three times after one-line paragraphs is no refrain.
    lines = "".join(f"<p>{s.split('<br>')[0]}</p><p>{refrain}</p>" for s in stanzas)
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{lines}<p>{PARA[::-1]}</p>"))
    assert r.text.count(refrain) == 1


def test_a_chorus_of_a_stanza_sung_twice_stays():
    verses = [
        "When the moon lies down on the bay<br>the net wakes before the rooster<br>"
        "it is a calloused hand and faith<br>that pulls the boat to the sand",
        "Then came the oil and then the litter<br>the old mangrove lost its fish<br>"
        "but the fishers raised their voices<br>and the tide came back to us",
    ]
    chorus = (
        "Sing, my people, the tide has turned<br>the samba is a boat<br>the hill is a lighthouse"
    )
    song = "".join(f"<p>{v}</p><p>{chorus}</p>" for v in verses)
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{song}<p>{PARA[::-1]}</p>"))
    assert got == [] and r.text.count("the tide has turned") == 2


def test_a_couplet_sung_twice_in_a_quoted_song_stays():
    verses = [
        "The machines hum all night until my ears ring<br>my mother's photo still beside my pillow",
        "I send my pay home so my brother can study<br>and keep what is left for the bus back",
    ]
    chorus = "I miss the rice fields every night the stars come out<br>I miss the new rice in the cold wind"
    song = "".join(
        f"<blockquote><p>{v}</p></blockquote><blockquote><p>{chorus}</p></blockquote>"
        for v in verses
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{song}<p>{PARA[::-1]}</p>"))
    assert got == [] and r.text.count("the stars come out") == 2


def test_a_chorus_sung_twice_stays_in_text_markdown_and_a_line_a_paragraph():
    verses = [
        ["The boats go out at dawn each day", "the nets are mended on the quay",
         "the gulls cry over Galway Bay"],
        ["The women wait upon the stone", "the children play and are not shown",
         "the wind it has a voice its own"],
    ]  # fmt: skip
    chorus = [
        "Oh sing the harbour, sing the sea",
        "the tide that brings them home to me",
        "sing the harbour, sing it free",
    ]
    stanzas = [s for v in verses for s in (v, chorus)]
    text = "Song of the harbour\n\n" + "\n\n".join("\n".join(s) for s in stanzas) + "\n"
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n")[2:])
    one_a_line = "".join(f"<p>{line}</p>" for s in stanzas for line in s)
    for source, fmt in (
        (text, "text"),
        ("# Song of the harbour\n\n" + quoted + "\n", "markdown"),
        (page(f"<h1>Song of the harbour</h1>{one_a_line}"), "html"),
    ):
        r = dedup.clean(source, format=fmt)
        assert r.removed == (), fmt
        assert r.text.count("sing it free") == 2, fmt


def test_a_refrain_opening_each_stanza_stays():
    refrain = "When the rain comes my heart goes home"
    stanzas = [
        ["to the lane that smelled of oranges", "to the window where tea was brewing"],
        ["to the notebooks under the bed", "to the radio on summer noons"],
        ["even if the house is gone"],
    ]
    poem = "\n\n".join(f"{refrain}\n\n" + "\n\n".join(s) for s in stanzas)
    got, r = removed(f"{CAPTION}\n\n{PARA}\n\n{poem}\n\n{PARA[::-1]}\n", name="poem.txt")
    assert got == [] and r.text.count(refrain) == 3


def test_an_entry_of_two_lists_of_things_said_stays_but_not_of_two_lists_of_links():
    sauce = [
        "700 g of tomato passata",
        "1 clove of garlic, whole",
        "2 tablespoons of extra virgin olive oil",
    ]
    finish = [
        "320 g of rigatoni or maccheroni",
        "80 g of salted ricotta",
        "2 tablespoons of extra virgin olive oil",
    ]
    lists = "".join(
        f"<h3>{title}</h3><ul>{''.join(f'<li>{x}</li>' for x in items)}</ul>"
        for title, items in (("For the sauce", sauce), ("To finish", finish))
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{lists}"))
    assert got == [] and r.text.count("2 tablespoons of extra virgin olive oil") == 2
    # The same story in a "most read" and a "latest" list is said once.
    read = [
        "Council approves the new bridge over the river Tay",
        "Storm closes schools across the north",
    ]
    latest = [
        "Rail strike called off after overnight talks",
        "Council approves the new bridge over the river Tay",
    ]
    links = "".join(
        f"<h3>{title}</h3><ul>{''.join(f'<li><a href=x>{x}</a></li>' for x in items)}</ul>"
        for title, items in (("Most read", read), ("Latest", latest))
    )
    got, r = removed(page(f"<h1>{CAPTION}</h1><p>{PARA}</p>{links}"))
    assert r.text.count("new bridge over the river Tay") == 1


def test_a_thai_read_more_line_said_twice_is_no_stamp():
    # Thai writes no space between words: a long token holds many, so one number among
    # them does not make the line a stamp (a date, a count) that stays under each item.
    line = "อ่านเพิ่มเติม: กทม. เตรียมขยายเส้นทางจักรยานริมแม่น้ำอีก 12 กิโลเมตร"
    got, r = removed(f"{PARA}\n\n{line}\n\n{CAPTION}\n\n{line}\n", name="page.txt")
    assert [g[:2] for g in got] == [(3, 1)] and r.text.count(line) == 1


def test_a_polls_answers_a_table_of_contents_and_clauses_stay():
    # The same answers under each question of a poll, in Markdown.
    answers = "- Fully support\n- Partly support\n- Against it\n- Prefer not to say, thank you\n"
    poll = "".join(f"### {n}. {q}\n\n{answers}\n" for n, q in enumerate(RANKED[:3], 1))
    got, r = removed(f"# {CAPTION}\n\n{PARA}\n\n{poll}", name="page.md")
    assert got == [] and r.text.count("Prefer not to say, thank you") == 3
    # A table of contents and the sections it leads to (Pandoc writes "{#id}").
    heads = ["Who may claim the allowance", "Which costs count towards it", "How to apply online"]
    toc = "".join(f"- [{h}](#s{n})\n" for n, h in enumerate(heads))
    body = "".join(f"{h} {{#s{n}}}\n{'-' * 30}\n\n{PARA} ({n})\n\n" for n, h in enumerate(heads))
    got, r = removed(f"# {CAPTION}\n\n## Contents\n\n{toc}\n{body}", name="page.md")
    assert got == [] and all(r.text.count(h) == 2 for h in heads)
    # A regulation's clauses (a) and (b) that say the same thing are two clauses.
    clause = "In every case a free passage of at least 1.5 metres shall be left for pedestrians."
    got, _ = removed(
        f"4. Tables\n\n(a) {PARA}\n\n(b) {clause}\n\n7. Awnings\n\n(a) {clause}\n", name="p.txt"
    )
    assert got == []


def test_a_chorus_said_after_each_stanza_stays():
    stanzas = [
        "In the morning I walked past your window\nthe bread was warm and the tea not ready",
        "At noon the pigeons sat along the wire\nand my mother whispered your name by heart",
        "At night the houses dimmed their lamps\nyet no one shut the door against the wind",
    ]
    chorus = "Addis, you are my home, my only one\nmy heart is there with you wherever I go"
    song = "\n\n".join(f"{s}\n\n{chorus}" for s in stanzas)
    got, r = removed(f"{CAPTION}\n\n{PARA}\n\n{song}\n\n{PARA[::-1]}\n", name="song.txt")
    assert got == [] and r.text.count("my only one") == 3


def test_a_breadcrumb_whose_separators_the_stylesheet_draws_is_the_headline_again():
    title = "Kutaisi theatre director Nodar Kemoklidze dies at 84"
    crumb = f"<nav class=crumbs><span>Home</span> <span>Culture</span> <span>{title}</span></nav>"
    got, r = removed(page(f"{crumb}<h1>{title}</h1><p>{PARA}</p>"))
    assert [(g[0], g[1], str(g[2])) for g in got] == [(0, 1, "headline")]
    # Words before a heading that is no headline are not a path to it.
    got, _ = removed(
        page(
            f"<nav><p>Marguerite Reardon E-mail Marguerite Reardon</p></nav><h1>{title}</h1><h3>E-mail Marguerite Reardon</h3><p>{PARA}</p>"
        )
    )
    assert got == []


def test_japanese_captions_and_labels_in_full_width():
    sentence = "福岡市は2日、自動運転バスの公開試乗会を天神地区で開いた"
    body = f"{sentence}。市民約60人が乗車し、運転席に人がいない状態で約3キロを走った。"
    caption = f"{sentence}＝福岡市中央区（撮影・田中健）"
    got, _ = removed(
        page(f"<figure><img src=a.jpg><figcaption>{caption}</figcaption></figure><p>{body}</p>")
    )
    assert [(g[0], g[1]) for g in got] == [(0, 1)]
    # A hidden viewer's "图：" copy of a picture's description goes; the description stays.
    desc = "Air 3 的充电盒采用磨砂外壳，正面只有一颗指示灯"
    html = page(
        f"<img src=a.jpg><p class=pic-desc>{desc}</p><p>{PARA}</p><div class=viewer hidden><p>图：{desc}</p></div>"
    )
    got, r = removed(html)
    assert [g[0] for g in got] == [2] and f"图：{desc}" not in r.text


def test_an_entry_of_one_numbered_list_copied_elsewhere_is_found():
    # Its rank is set aside only when another list ranks the same line.
    steps = "".join(f"<li>{n}. {t}</li>" for n, t in enumerate(RANKED, 1))
    got, r = removed(page(f"<ol>{steps}</ol><p>{PARA}</p><p>2. {RANKED[1]}</p>"))
    assert len(got) == 1 and sorted(got[0][:2]) == [1, 5] and r.text.count(RANKED[1]) == 1


def test_cleaning_the_cleaned_text_of_a_refrain_or_a_stamp_removes_nothing():
    # A refrain's stanza lines are lines nothing removes; a short line that goes with its
    # neighbour is never an item a stamp stands under.
    for lines in (
        ["Photo: Photo: police police police", "Photo: police police police"]
        + ["police " * n for n in (7, 3, 4, 7, 5, 6, 7)],
        ["police police 2019 police police 2019", "police police"] * 2
        + ["Image caption, police police", "police police 2019 police police 2019"],
    ):
        text = "\n".join(x.strip() for x in lines) + "\n"
        once = dedup.clean(text, format="text")
        assert dedup.clean(once.text, format="text").removed == ()


def test_two_links_to_different_pages_are_two_items_but_one_story_s_links_are_one():
    nav = '<ul><li><a href="/best-of-the-region/">Best of the Capital Region</a></li></ul>'
    popular = (
        '<ol><li><a href="https://example.com/news/article/pizza-winners-14522871.php?ref=pop">'
        "Best of the Capital Region 2019: Pizza</a></li></ol>"
    )
    got, r = removed(page(f"<p>{PARA}</p>{nav}{popular}"))
    assert got == [] and r.text.count("Best of the Capital Region") == 2
    # A book's title and its game's "Creator: Title" lead to two pages too.
    book = (
        '<ul><li><a href="/wiki/The_Silver_Key">The Silver Key of the Northern Wind</a></li></ul>'
    )
    game = (
        '<ul><li><a href="/wiki/Creator:_The_Silver_Key">'
        "Creator: The Silver Key of the Northern Wind</a></li></ul>"
    )
    assert removed(page(f"<p>{PARA}</p>{book}{game}"))[0] == []
    # One story reached by two paths (a list's tracking segment, a slug after its id) is
    # one item: the cut copy goes.
    full = "Flood barriers hold as the river crests a metre above the quay"
    lists = (
        f'<ul><li><a href="/Main/3/all/20131217/59590980/1">{full}</a></li></ul>'
        f'<ul><li><a href="/PopularClick/3/all/20131217/59590980/3">{full[:40]}…</a></li></ul>'
    )
    got, r = removed(page(f"<p>{PARA}</p>{lists}"))
    assert len(got) == 1 and r.text.count(full[:40]) == 1


def test_a_teaser_cut_with_an_ellipsis_goes_for_the_text_it_begins():
    lede = (
        "Нови технически средства получиха децата и младежите, настанени в социални услуги "
        "от резидентен тип, съобщиха от министерството."
    )
    ranked = "유시민 “일개 시민이 자유롭게 말한 것…뭘 그리 발끈?”"
    for teaser, body in (
        ("Нови технически...", f"<p>{lede}</p>"),  # two words of the lede
        ("유시민 “일개 시민이 자유롭게…”", f"<ol><li>8 {ranked}</li></ol>"),  # after a rank
        (
            "Discuss: Flood barriers hold as the river…",
            "<h2>Flood barriers hold as the river crests</h2>",
        ),
        # after a time or "3 hours ago" in a list of the latest stories, of a lede that opens
        # with its dateline
        (
            "14:05 Hujan deras yang mengguyur lereng Gunung Marapi…",
            "<p>BATUSANGKAR, KABARRANAH.ID - Hujan deras yang mengguyur lereng Gunung Marapi "
            "sejak Sabtu sore memicu banjir lahar dingin.</p>",
        ),
        (
            "Saa 3 zilizopita Mvua kubwa iliyonyesha usiku wa kuamkia…",
            "<p>Mvua kubwa iliyonyesha usiku wa kuamkia Jumatatu imesababisha mafuriko.</p>",
        ),
        # after a box's label of three words in a script with vowel signs
        (
            "यह भी पढ़ें: नगर निगम ने रात में कचरा उठाने की…",
            "<p>नगर निगम ने रात में कचरा उठाने की नई सेवा शुरू की है।</p>",
        ),
    ):
        html = page(f"{body}<p>{PARA}</p><aside><ul><li>{teaser}</li></ul></aside>")
        got, r = removed(html)
        assert len(got) == 1 and r.text.count(teaser) == 0, teaser
        assert dedup.clean(r.text, format="text").removed == ()
    # Two short words, words that begin a sentence inside a paragraph (a comment's title, a
    # subheading's pun), and a headline that ends in an ellipsis are no cut copies.
    comment = "En attendant, les mauvaises herbes poussent partout dans les vignes du village."
    pun = "Gstaad'd From The Bottom..."
    story = (
        f"Some spent the morning skiing. Gstaad'd from the bottom of the slope, we watched. {PARA}"
    )
    title = "Screenshot : «Vape Wave», «6 Days», «Alphonse Président»…"
    for html in (
        page(f"<h3>En attendant...</h3><p>{comment}</p>"),
        page(f"<h2>{pun}</h2><p>{story}</p>"),
        page(f"<h1>{title}</h1><p>{title[:-1]}, «Hippocrate» et les autres séries du mois.</p>"),
    ):
        assert removed(html)[0] == [], html


def test_a_step_said_again_in_one_list_and_a_line_in_each_product_s_section_stay():
    again = "Add 200 ml of coconut milk and stir slowly so the sauce does not split."
    steps = [
        "Fry the spice paste in oil over a low heat for ten minutes until it darkens.",
        again,
        "Add the fish stock and the flaked mackerel, then simmer for twenty minutes.",
        again,
    ]
    html = page(f"<h1>Laksa</h1><p>{PARA}</p><ol>{''.join(f'<li>{s}</li>' for s in steps)}</ol>")
    got, r = removed(html)
    assert got == [] and r.text.count(again) == 2
    # A list printed twice in a row is a repeat: the entry right after its copy goes.
    assert len(removed(page(f"<p>{PARA}</p><ul><li>{again}</li><li>{again}</li></ul>"))[0]) == 1
    warranty = "Warranty of 24 months, serviced in Bratislava"
    sections = "".join(
        f"<h2>{name}</h2><p>{PARA} The {name} {did}.</p>"
        f"<ul><li>Best in the test at {did}</li><li>{warranty}</li></ul>"
        for name, did in (("Roborock Q7", "cleaned carpets"), ("Dreame D10s", "ran quietly"))
    )
    got, r = removed(page(f"<h1>Four robot vacuums</h1>{sections}"))
    assert got == [] and r.text.count(warranty) == 2


def test_a_song_s_two_line_refrain_quoted_line_by_line_stays():
    refrain = ["Flow, Gauja, flow over the white sands,", "carry my song to the wide sea."]
    verses = [
        ["Morning climbs the dunes, the river still in mist,", "a rafter's song rings over water."],
        [
            "Pines stand by the bank like quiet guards,",
            "a fisher's boat still sleeps by the reeds.",
        ],
        [
            "Evening pours gold over the towers of Valmiera,",
            "children by the water sing and laugh.",
        ],
    ]
    lines = [line for verse in verses for line in (*verse, *refrain)]
    quote = "<blockquote>" + "".join(f"<p>{line}</p>" for line in lines) + "</blockquote>"
    got, r = removed(page(f"<h1>A new song</h1><p>{PARA}</p>{quote}<p>{CAPTION}.</p>"))
    assert got == [] and r.text.count(refrain[1]) == 3


def test_a_live_bar_s_badge_beside_the_headline_is_the_headline_copy():
    title = "Cyclone nears the coast as Khulna raises the great danger signal"
    bar = f'<div class="live-sticky"><span class="badge">LIVE</span> <span>{title}</span></div>'
    got, r = removed(page(f"{bar}<h1>{title}</h1><p>{PARA}</p>"))
    assert got == [(0, 1, "headline")] and r.text.count(title) == 1
    # ... and so is one with a kicker in brackets before it and the site's name after it.
    bar = f"<div class=share-bar>[단독] {title} - 한빛일보</div>"
    got, r = removed(page(f"{bar}<h1>{title}</h1><p>{PARA}</p>"))
    assert got == [(0, 1, "headline")] and r.text.count(title) == 1
    # ... and so is a reading bar's lead-in of three words before it, but not a caption's.
    bar = f"<div class=reading-bar><span>Binabasa mo ngayon</span> <span>{title}</span></div>"
    got, r = removed(page(f"{bar}<h1>{title}</h1><p>{PARA}</p>"))
    assert got == [(0, 1, "headline")] and r.text.count(title) == 1
    video = f"<figure><video src=a.mp4></video><figcaption>Video of the day {title}</figcaption></figure>"
    got, r = removed(page(f"{video}<h1>{title}</h1><p>{PARA}</p>"))
    assert got == []


def test_a_related_story_s_heading_goes_for_its_card_that_adds_the_summary():
    title = "One of the witnesses confirmed the deal on live television"
    card = f"<ul><li><a href='/s/1'>{title}</a> This may be the biggest moment of the hearings.</li></ul>"
    related = f"<div class=related><h3><a href='/s/1'>{title}</a></h3><p>By Alex Ward</p></div>"
    got, r = removed(page(f"<h1>Hearings resume</h1><p>{PARA}</p>{card}{related}"))
    assert [(i, k) for i, k, _ in got] == [(3, 2)] and r.text.count(title) == 1
    # The page's own headline stays, whatever card repeats it.
    got, r = removed(page(f"<h1>{title}</h1><p>{PARA}</p>{card}"))
    assert r.text.count(title) == 2 or all(i != 0 for i, _, _ in got)


def test_a_line_said_again_glued_to_the_block_beside_it_goes():
    source = "Soldiers: Free Online Game"
    card = f"<p><span>This Is The Most Addicting Game Of The Year</span><span>{source}</span></p>"
    got, r = removed(page(f"<p>{PARA}</p>{card}<p>{source}</p><p>{CAPTION}.</p>"))
    assert [(i, k) for i, k, _ in got] == [(2, 1)] and r.text.count(source) == 1
    assert dedup.clean(r.html, format="html").removed == ()
    # A sentence said again after a space is the story's emphasis: it stays.
    said = "We will rebuild every home in the valley."
    got, _ = removed(page(f"<p>The mayor closed with a promise. {said}</p><p>{said}</p>"))
    assert got == []


def test_a_markdown_poem_s_refrain_and_a_price_under_each_product_stay():
    refrain = "And the river bears us home again,\npast the jetties, bridges, lights and stone,\nand the river bears us home again."
    verses = [
        "Where the river meets the bay\nand the gulls fly in their ring,\nmy grandmother stood by the quay\nand waited for nothing.",
        "When the ice came in the winter\nand the schoolyard lay in snow,\nwe skated out to the islands\nand thought we would never go.",
        "Now I live far from here\nin a town that is never still,\nbut some nights when I close my eyes\nI hear the river, and I will.",
    ]
    md = f"# A song for the city\n\n{PARA}\n\n## The words\n\n" + "\n\n".join(
        f"{v}\n\n{refrain}" for v in verses
    )
    got, r = removed(md, name="song.md")
    assert got == [] and r.text.count("past the jetties, bridges, lights and stone") == 3
    prices = [
        ("Bananas", "180 rupees a dozen"),
        ("Apples", "300 rupees a kilo"),
        ("Dates", "300 rupees a kilo"),
        ("Gram flour", "300 rupees a kilo"),
    ]
    md = f"# Ramadan price list\n\n{PARA}\n\n" + "\n\n".join(
        f"### {name}\n\nPrice: {price}" for name, price in prices
    )
    got, r = removed(md, name="prices.md")
    assert got == [] and r.text.count("Price: 300 rupees a kilo") == 3


def test_a_label_whose_word_has_vowel_signs_leads_in_a_caption_s_copy():
    said = "ફ્લાવર શોમાં ફૂલોથી બનાવેલી 30 ફૂટ ઊંચી સંસદ ભવનની પ્રતિકૃતિ સૌથી વધુ ધ્યાન ખેંચી રહી છે."
    html = page(
        f"<figure><img src='/i/sansad-768.jpg'><figcaption>{said}</figcaption></figure><p>{PARA}</p>"
        f"<div class=lightbox hidden><img src='/i/sansad-1280.jpg'><p class=caption>તસવીર: {said}</p></div>"
    )
    got, r = removed(html)
    assert [i for i, _, _ in got] == [2] and r.text.count(said[:20]) == 1


def test_a_linked_paragraph_is_a_title_that_may_be_said_shorter():
    full = "Beyonce Behaves A Bit Weirdly, The Internet Gets Even Weirder Than Usual"
    short = "Beyonce Behaves A Bit Weirdly. The Internet Gets Weirder Than Usual"
    html = page(
        f"<h1>Fame</h1><p>{PARA}</p><div class=also><p><a href='/b/1'>{full}</a></p></div>"
        f"<ul class=more><li><h3><a href='/b/1'>{short}</a></h3></li></ul>"
    )
    got, r = removed(html)
    assert [(i, str(why)) for i, _, why in got] == [(3, "shortened")]


def test_a_chinese_headline_in_two_lists_goes_for_its_dated_copy():
    title = "罗德曼就涉及裴埈皓的采访言论道歉"
    lists = (
        f"<h2>头条新闻</h2><ul><li>{title} 2014年1月9日</li><li>2013海外中国游客接近一亿 2014年1月9日</li></ul>"
        f"<h2>最多人阅读</h2><ul><li>{title}</li><li>中国将靖国神社之争诉诸联合国</li></ul>"
    )
    got, r = removed(page(f"<h1>新闻</h1><p>{PARA}</p>{lists}"))
    assert [(i, k) for i, k, _ in got] == [(6, 3)] and r.text.count(title) == 1


def test_an_ingredient_in_two_labelled_lists_and_a_pro_under_two_products_stay():
    salt = "half a teaspoon of hot smoked paprika from La Vera"
    recipe = (
        f"<h2>Ingredients</h2><p>For the brava sauce</p><ul><li>2 tablespoons of flour</li><li>{salt}</li></ul>"
        f"<p>For the aioli</p><ul><li>1 egg at room temperature</li><li>{salt}</li></ul>"
    )
    got, r = removed(page(f"<h1>Patatas bravas</h1><p>{PARA}</p>{recipe}"))
    assert got == [] and r.text.count(salt) == 2
    pro = "Noise cancelling that really works on the metro"
    reviews = "".join(
        f"<h2>{name}</h2><p>{PARA}</p><p>Pros</p><ul><li>{pro}</li><li>{own}</li></ul>"
        for name, own in (("Sora Buds 3", "Light in the ear"), ("MT-220", "Clear calls"))
    )
    got, r = removed(page(f"<h1>Three earbuds</h1>{reviews}"))
    # (the paragraph said under both goes; the pro stays under each)
    assert [i for i, _, _ in got] == [7] and r.text.count(pro) == 2


_NOTICE_ALPHABET = [
    *"© ,.ſKİıIi",
    "copyright",
    "COPYRIGHT",
    "Copyr",
    "ight",
    "ght",
    "c",
    "opyr",
    "x",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_NOTICE_ALPHABET), max_size=20).map("".join))
@example("© 2024 copyrıght")  # (the dotless i and the capital I with dot read as "i")
@example("COPYRİGHT")
@example("Copyrights")
def test_a_notice_is_found_where_the_notice_pattern_finds_one(text):
    # ``_a_notice`` looks for the words before it runs the pattern: a shortcut only.
    from dedup.match.rules import _NOTICE, _a_notice

    assert _a_notice(text) == bool(_NOTICE.search(text))


_CUT_ALPHABET = [*"a .…()[]\"'”’»」』)\n", "...", ".."]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_CUT_ALPHABET), min_size=1, max_size=20).map("".join))
def test_a_line_cut_short_is_read_where_the_cut_pattern_finds_its_end(text):
    # A line's cut is looked for only in a line that ends as one may and says an
    # ellipsis: a shortcut only.
    from dedup.match.rules import _CUT_END, PageLines

    text = text.strip() or "a"
    found = PageLines([dedup.Block(0, Kind.PARAGRAPH, text)]).ends[0]
    want = _CUT_END.search(text)
    assert (found and found.span()) == (want and want.span())


_LEAD_ALPHABET = [
    *"aZé ,،:：|-–—【】[]/.'3٣\u00a0\t\n",
    "Photo",
    "Image caption",
    "of",
    "写真",
    "તસવીર",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LEAD_ALPHABET), max_size=16).map("".join))
@example("Main image: Rescue workers search")
@example("2of4A shopper walks")
@example("A b c - d e")
@example("one two three , four")
def test_a_lead_in_is_looked_for_only_where_it_may_be(text):
    # ``may_lead_in`` is a shortcut: false only where the pattern finds no lead-in.
    from dedup.match.rules import LEAD_IN, may_lead_in

    assert may_lead_in(text) or LEAD_IN.match(text) is None
