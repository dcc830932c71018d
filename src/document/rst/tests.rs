use super::window::tests::windowed;
use super::*;

fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, &doc.text[b.range.clone()]))
        .collect()
}

fn cells(doc: &Document, k: usize) -> Vec<&str> {
    doc.blocks[k]
        .cells
        .iter()
        .map(|c| &doc.text[c.clone()])
        .collect()
}

const GUIDE: &str = "\
=================
 Volunteer Guide
=================

:Author: Fenella Marsh
:Date: 2026-03-01

Before the festival
-------------------

* Applications close on **12 June 2026**. Late offers go on a
  reserve list.
* Induction: *25 June 2026* at 19:00, `Sailing Club <https://example.org>`_.

  Everyone must attend.

#. Send your ``T-shirt`` size by 29 June 2026 [1]_.
(b) Bring_ shoes.

.. comment: the old date was 1 June 2025

.. image:: poster.png
   :alt: the 2025 poster

Festival days
-------------

==========  ================================
Date        What happens
==========  ================================
2026-07-03  Set-up day
2026-07-04  Festival day one: boat parade
            and harbour market
==========  ================================

+------------+-----------+
| Shift      | Starts    |
+============+===========+
| Morning    | 08:00     |
+------------+-----------+
| Evening    | 18:00 on  |
|            | 4 July    |
+------------+-----------+

Contacts
~~~~~~~~

Volunteer coordinator
   Fenella Marsh, phone 0770

.. note:: Lost property is kept until
   the end of the clear-up day.

Example::

    run --date 2026-07-05

:Deadline: 30 June
";

#[test]
fn titles_lists_tables_and_directives() {
    let doc = read(GUIDE);
    assert_eq!(doc.subject.as_deref(), Some("Volunteer Guide"));
    assert_eq!(
        doc.dated,
        Some((dct::parse("2026-03-01").unwrap(), dct::Source::Header))
    );
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Heading(1), "Volunteer Guide"),
            (BlockKind::Heading(2), "Before the festival"),
            (
                BlockKind::ListItem,
                "Applications close on 12 June 2026. Late offers go on a\nreserve list."
            ),
            (
                BlockKind::ListItem,
                "Induction: 25 June 2026 at 19:00, Sailing Club."
            ),
            (BlockKind::Paragraph, "Everyone must attend."),
            (
                BlockKind::ListItem,
                "Send your T-shirt size by 29 June 2026."
            ),
            (BlockKind::ListItem, "Bring shoes."),
            (BlockKind::Heading(2), "Festival days"),
            (BlockKind::TableRow, "2026-07-03 | Set-up day"),
            (
                BlockKind::TableRow,
                "2026-07-04 | Festival day one: boat parade and harbour market"
            ),
            (BlockKind::TableRow, "Morning | 08:00"),
            (BlockKind::TableRow, "Evening | 18:00 on 4 July"),
            (BlockKind::Heading(3), "Contacts"),
            (
                BlockKind::ListItem,
                "Volunteer coordinator\nFenella Marsh, phone 0770"
            ),
            (
                BlockKind::Paragraph,
                "Lost property is kept until\nthe end of the clear-up day."
            ),
            (BlockKind::Paragraph, "Example:"),
            (BlockKind::Code, "run --date 2026-07-05"),
            (BlockKind::Line, "Deadline: 30 June"),
        ]
    );
    assert_eq!(doc.blocks[8].headers, ["Date", "What happens"]);
    assert_eq!(
        cells(&doc, 9)[1],
        "Festival day one: boat parade and harbour market"
    );
    assert_eq!(doc.blocks[10].headers, ["Shift", "Starts"]);
    assert_eq!(cells(&doc, 11), ["Evening", "18:00 on 4 July"]);
    assert!(!doc.text.contains("2025"));
}

#[test]
fn offsets_point_into_the_file() {
    let doc = read(GUIDE);
    for needle in [
        "12 June 2026",
        "reserve list",
        "Sailing Club",
        "T-shirt",
        "harbour market",
        "4 July",
        "the clear-up day",
        "30 June",
    ] {
        let at = doc.text.find(needle).unwrap();
        let file = doc.file_offset(at);
        assert_eq!(&GUIDE[file..file + needle.len()], needle, "{needle}");
    }
}

#[test]
fn underlined_titles_take_levels_in_order_of_appearance() {
    let src = "Plan\n####\n\nPart\n====\n\nText on May 3.\n\nOther\n####\n";
    let doc = read(src);
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Heading(1), "Plan"),
            (BlockKind::Heading(2), "Part"),
            (BlockKind::Paragraph, "Text on May 3."),
            (BlockKind::Heading(1), "Other"),
        ]
    );
    assert_eq!(doc.subject.as_deref(), Some("Plan"));
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "=",
        "==",
        "==\n",
        "==\nx\n",
        "====  ===\nx",
        "====  ===\né ü\n====  ===\n",
        "+--+\n| é |\n",
        "+--+--+\n|ééééé|\n+--+--+\n|\n",
        ".. ",
        "..",
        ".. [",
        ".. note::",
        ".. note:: x\n   :class: y",
        "`",
        "``",
        "`a <`_",
        ":a:`",
        "**",
        "*a",
        "\\",
        "a\\",
        "[1]_",
        "_",
        ":",
        "::",
        ":a:",
        "(",
        "#.",
        "- ",
        "  \n  x\n",
        "|",
        "| a\n  b",
        ">>>",
    ];
    for s in inputs {
        let doc = read(s);
        assert!(doc.blocks.iter().all(|b| b.range.end <= doc.text.len()));
    }
    let all = GUIDE.as_bytes();
    for cut in 0..all.len() {
        if let Ok(s) = std::str::from_utf8(&all[..cut]) {
            read(s);
        }
    }
    // Deep nesting.
    let deep: String = (0..200)
        .map(|k| format!("{}- x\n", " ".repeat(k)))
        .collect();
    read(&deep);
}

/// Short dated paragraphs, each `indent`ed, separated by blank lines.
fn short_paras(n: usize, indent: &str) -> String {
    (0..n)
        .map(|k| {
            format!(
                "{indent}The board met on {} May 2027, item {k}.\n\n",
                k % 28 + 1
            )
        })
        .collect()
}

/// Bodies of many short blocks: a block quote (with a quote and a
/// literal block in it), a note, a list item, definitions one after
/// another with no blank line between them, and a quote in a quote.
fn bodies(n: usize) -> String {
    let mut text = String::from("Notes\n=====\n\nIntro, 3 March 2026.\n\n");
    text.push_str(&short_paras(n, "    "));
    text.push_str("    Example, June 1::\n\n        code, June 2\n\n");
    text.push_str("        A quote in the quote, June 3.\n\n");
    text.push_str(&short_paras(n, "    "));
    text.push_str(".. note::\n\n");
    text.push_str(&short_paras(n, "   "));
    text.push_str("* An item, July 1.\n\n");
    text.push_str(&short_paras(n, "  "));
    text.push_str("Term one, July 2\n");
    text.push_str(short_paras(n, "    ").trim_end());
    text.push_str("\nTerm two, July 3\n");
    text.push_str(&short_paras(n, "    "));
    text.push_str("Quoted:\n\n    Outer, August 1.\n\n");
    text.push_str(&short_paras(n, "        "));
    text.push_str("    Outer again, August 2.\n\nAfter, September 1.\n");
    text
}

#[test]
fn a_long_body_of_short_blocks_is_cut_between_them() {
    use crate::document::engine_view;
    let text = bodies(1500);
    let whole = read(&text);
    let view = engine_view(&[(0, whole.clone())]);
    for max in [2000, 5000, 33_333] {
        let docs = windowed(&text, max);
        let ends = docs.iter().map(|(at, _)| *at).skip(1).chain([text.len()]);
        // A window is grown past `max` only to look at the lines of a
        // body after its first cut, once for each body.
        let grown = (docs.iter().zip(ends))
            .filter(|((at, _), end)| end - at > max)
            .count();
        assert!(grown <= 8, "windows of {max}: {grown} grown");
        assert!(docs.len() > text.len() / max / 2, "windows of {max}");
        // Every window but the first after a top-level cut starts in a
        // body, at a block's text.
        let inside = docs
            .iter()
            .filter(|(at, _)| text[..*at].ends_with("\n    "))
            .count();
        assert!(inside > text.len() / max / 4, "windows of {max}: {inside}");
        let got: Vec<_> = docs.iter().flat_map(|(_, d)| blocks(d)).collect();
        assert_eq!(got, blocks(&whole), "windows of {max}");
        assert!(engine_view(&docs) == view, "windows of {max}");
    }
}

#[test]
fn a_body_with_a_line_indented_less_later_is_not_cut_between_its_blocks() {
    // The whole file takes off the indentation of the least indented
    // line (two spaces): the paragraphs before it are a quote in the
    // quote, which a window that ends among them could not know.
    let text = format!(
        "Intro.\n\n{}  Less, May 3.\n\nAfter.\n",
        short_paras(2000, "    ")
    );
    let whole = read(&text);
    let docs = windowed(&text, 5000);
    assert!(docs.len() <= 2, "no cut in the quote: {}", docs.len());
    let got: Vec<_> = docs.iter().flat_map(|(_, d)| blocks(d)).collect();
    assert_eq!(got, blocks(&whole));
}

#[test]
fn a_list_item_ending_in_a_double_colon_opens_a_literal_block() {
    // Its body all indented past the item's text: the body is the block.
    let doc =
        read("- Deploys::\n\n      2027-01-04  build 3\n\n      2027-02-01  build 4\n\nAfter.\n");
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::ListItem, "Deploys:"),
            (BlockKind::Code, "2027-01-04 build 3\n2027-02-01 build 4"),
            (BlockKind::Paragraph, "After."),
        ]
    );
    // Its text of several lines, the block indented past it, then more
    // of the item; a "::" alone after a space reads as nothing.
    let doc = read("1. The deploys\n   are ::\n\n      2027-01-04  build 3\n\n   Then a review.\n");
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::ListItem, "The deploys\nare"),
            (BlockKind::Code, "2027-01-04 build 3"),
            (BlockKind::Paragraph, "Then a review."),
        ]
    );
    // A definition's text too, but not its term.
    let doc = read("Term::\n    Deploys::\n\n        2027-01-04  build 3\n");
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::ListItem, "Term::\nDeploys:"),
            (BlockKind::Code, "2027-01-04 build 3"),
        ]
    );
    // An item without "::" keeps reading its body as blocks.
    let doc = read("- Deploys:\n\n      2027-01-04  build 3\n");
    assert_eq!(blocks(&doc)[1].0, BlockKind::Paragraph);
}
