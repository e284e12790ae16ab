# cython: language_level=3
"""The compiled block walk: ``dedup.parse.html``'s ``_walk`` over libxml2's own nodes.

It returns exactly what the pure walk returns, which stays the reference and the
fallback; the tests compare the two on every corpus page and on generated pages. The pure
walk asks lxml for a Python object for every element of the page (each start and end
event); this one reads the nodes through lxml's public C API and makes an object only for
the elements it hands back: blocks, and pictures whose attributes it reads. The rules
(which tag is a block, what a class marks, how text joins) are the pure module's own,
handed over once by ``configure``.

It visits what lxml's ``iterwalk`` visits: elements, comments, processing instructions
and entity references (which libxml2's HTML parser never makes, but a tree built by
other means may hold), and reads text as lxml's ``text`` and ``tail`` read it.
"""

from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar
cimport lxml.includes.etreepublic as cetree

cetree.import_lxml__etree()

# The rules, from dedup.parse.html (``configure``).
cdef dict ROLES = {}
cdef object SKIP = None, BR = None, IMG = None, CAPTION = None, QUOTE = None
cdef object CAPTION_PARTS = None, OPENING = None
cdef str LINE_BREAK = "\n"
cdef object BLOCK_KIND = None, BLOCK_TEXT = None, ATTRIBUTE_BLOCKS = None, MARK_KIND = None
cdef tuple NO_MARKS = (None, None, None)


def configure(dict roles, skip, br, img, caption, quote, caption_parts, opening,
              str line_break, block_kind, block_text, attribute_blocks, mark_kind):
    """Take the pure walk's rules: its tag roles and markers, and the functions it calls
    (what kind of block an element starts, a block's text, attribute text, class names)."""
    global ROLES, SKIP, BR, IMG, CAPTION, QUOTE, CAPTION_PARTS, OPENING, LINE_BREAK
    global BLOCK_KIND, BLOCK_TEXT, ATTRIBUTE_BLOCKS, MARK_KIND
    ROLES, SKIP, BR, IMG, CAPTION, QUOTE = roles, skip, br, img, caption, quote
    CAPTION_PARTS, OPENING, LINE_BREAK = caption_parts, opening, line_break
    BLOCK_KIND, BLOCK_TEXT = block_kind, block_text
    ATTRIBUTE_BLOCKS, MARK_KIND = attribute_blocks, mark_kind


cdef inline bint _walked(tree.xmlNode* c_node) noexcept nogil:
    """Whether the walk visits a node: an element, a comment, a processing instruction or
    an entity reference (text is read off its element)."""
    return (
        c_node.type == tree.XML_ELEMENT_NODE
        or c_node.type == tree.XML_COMMENT_NODE
        or c_node.type == tree.XML_PI_NODE
        or c_node.type == tree.XML_ENTITY_REF_NODE
    )


cdef inline bint _opened(tree.xmlNode* c_node) noexcept nogil:
    """Whether a visited node has an end as an element has (a comment's is its start)."""
    return c_node.type == tree.XML_ELEMENT_NODE or c_node.type == tree.XML_ENTITY_REF_NODE


cdef inline tree.xmlNode* _first(tree.xmlNode* c_node) noexcept nogil:
    c_node = c_node.children
    while c_node is not NULL and not _walked(c_node):
        c_node = c_node.next
    return c_node


cdef inline tree.xmlNode* _next(tree.xmlNode* c_node) noexcept nogil:
    c_node = c_node.next
    while c_node is not NULL and not _walked(c_node):
        c_node = c_node.next
    return c_node


cdef inline object _attr(tree.xmlNode* c_node, const char* name):
    return cetree.attributeValueFromNsName(c_node, NULL, <const_xmlChar*>name)


cdef inline bint _data_attr(tree.xmlNode* c_node):
    return bool(_attr(c_node, "data-caption")) or bool(_attr(c_node, "data-alt"))


cdef object _role(dict known, tree.xmlNode* c_node):
    """What the walk does with an element's tag (``ROLES``), remembered by the name's
    address: the parser keeps one copy of each name in a page's dictionary. (The HTML
    parser gives no element a namespace; one that has one is looked up by its name.)"""
    if c_node.ns is not NULL:
        return ROLES.get(cetree.namespacedName(c_node))
    at = <size_t>c_node.name
    role = known.get(at, known)
    if role is known:
        role = known[at] = ROLES.get(cetree.namespacedName(c_node))
    return role


def walk(root, bint data_attrs, bint include_alt, dict mark_kinds):
    """``_walk``'s finds: (start order, kind, text, element, attribute, lines), unsorted."""
    cdef cetree._Element top = cetree.rootNodeOrRaise(root)
    cdef cetree._Document doc = top._doc
    cdef tree.xmlNode* c_top = top._c_node
    cdef tree.xmlNode* c_node = c_top
    cdef tree.xmlNode* c_next
    cdef list found = []
    cdef list frames = []
    cdef list buffers = [[]]
    cdef list buf = buffers[0]
    cdef dict known = {}
    cdef Py_ssize_t order = 0
    cdef bint descend
    cdef object context = None, base, marked, own, kind, value, el, last, start
    cdef tuple marks
    caption, quote = CAPTION, QUOTE
    inline = {None: (None, None, 0), caption: (None, caption, 0), quote: (None, quote, 0)}
    skipped = {None: (SKIP, None, 0), caption: (SKIP, caption, 0), quote: (SKIP, quote, 0)}
    visiting = True  # c_node is to be visited: its start (an element) or a comment
    while True:
        if visiting:
            descend = False
            if c_node.type == tree.XML_ENTITY_REF_NODE:  # inline, its text "&name;"
                order += 1
                frames.append(inline[context])
                buf.append("&" + cetree.pyunicode(c_node.name) + ";")
            elif c_node.type != tree.XML_ELEMENT_NODE:  # a comment: only its tail is text
                value = cetree.tailOf(c_node)
                if value:
                    buf.append(value)
            else:
                base = _role(known, c_node)
                if base is SKIP:
                    if data_attrs and _data_attr(c_node):
                        order += 1
                        ATTRIBUTE_BLOCKS(found, order, cetree.elementFactory(doc, c_node),
                                         include_alt)
                    frames.append(skipped[context])
                elif base is BR:  # (its children, which no parser gives it, are read)
                    descend = True
                    buf.append(LINE_BREAK)
                    frames.append(skipped[context])
                else:
                    descend = True
                    order += 1
                    if base is IMG:
                        base = None
                        ATTRIBUTE_BLOCKS(found, order, cetree.elementFactory(doc, c_node),
                                         include_alt)
                    elif data_attrs and _data_attr(c_node):
                        ATTRIBUTE_BLOCKS(found, order, cetree.elementFactory(doc, c_node),
                                         include_alt)
                    marked = None
                    if c_node.properties is NULL:
                        marks = NO_MARKS
                    else:
                        marks = (_attr(c_node, "class"), _attr(c_node, "id"),
                                 _attr(c_node, "itemprop"))
                        if marks != NO_MARKS:
                            try:
                                marked = mark_kinds[marks]
                            except KeyError:
                                marked = MARK_KIND(marks, mark_kinds)
                    if (
                        context is caption
                        and base is None
                        and buf
                        and (marks[0] is not None
                             or cetree.namespacedName(c_node) in CAPTION_PARTS)
                    ):
                        last = buf[-1][-1:]
                        if last and not last.isspace() and last not in OPENING:
                            buf.append(" ")
                    if base is None and marked is None:
                        frames.append(inline[context])
                    else:
                        kind, own = BLOCK_KIND(base, marked, context)
                        if kind is not None:
                            buf = []
                            buffers.append(buf)
                        frames.append((kind, context, order))
                        context = own
                    value = cetree.textOf(c_node)
                    if value:
                        buf.append(value)
            if descend:
                c_next = _first(c_node)
                if c_next is not NULL:
                    c_node = c_next
                    continue
        # c_node is done with: its end (an element), then its next sibling, or its parent's end.
        if _opened(c_node):
            kind, context, start = frames.pop()
            value = cetree.tailOf(c_node)
            if kind is None or kind is SKIP:
                if value and frames:
                    buf.append(value)
            else:
                block, lines = BLOCK_TEXT("".join(buffers.pop()))
                if block:
                    found.append(
                        (start, kind, block, cetree.elementFactory(doc, c_node), None, lines)
                    )
                if frames:
                    buf = buffers[-1]
                    if value:
                        buf.append(LINE_BREAK + value)
        if c_node is c_top:
            break
        c_next = _next(c_node)
        if c_next is not NULL:
            c_node = c_next
            visiting = True
        else:
            c_node = c_node.parent
            visiting = False
    return found
