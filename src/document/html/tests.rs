//! Tests of the HTML reader: blocks, tables, metadata, offsets back into
//! the file, and malformed input.

use super::*;
use chrono::NaiveDate;

fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, &doc.text[b.range.clone()]))
        .collect()
}

fn cells(doc: &Document, i: usize) -> Vec<&str> {
    doc.blocks[i]
        .cells
        .iter()
        .map(|r| &doc.text[r.clone()])
        .collect()
}

/// Every word of the output maps back to where it is in the input.
fn assert_offsets(html: &str, doc: &Document, words: &[&str]) {
    for w in words {
        let at = doc
            .text
            .find(w)
            .unwrap_or_else(|| panic!("{w:?} not in {:?}", doc.text));
        let f = doc.file_offset(at);
        assert!(
            html[f..].starts_with(w),
            "{w:?} maps to byte {f}: {:?}",
            &html[f..(f + 20).min(html.len())]
        );
    }
}

/// Each character of the text comes from the input: it is there, or it
/// was decoded from the entity (or the control character) there.
fn assert_maps_back(html: &str, doc: &Document) {
    let mut last = 0;
    for (i, c) in doc.text.char_indices() {
        let f = doc.file_offset(i);
        assert!(f <= html.len(), "{html:?}: {i} maps to {f}");
        if c.is_whitespace() || c == '|' {
            continue;
        }
        let rest = html.get(f..).unwrap_or_else(|| {
            panic!("{html:?}: {c:?} at {i} maps into a character at {f}: {doc:?}")
        });
        assert!(
            rest.starts_with(c) || rest.starts_with('&') || c == '\u{fffd}',
            "{html:?}: {c:?} at {i} maps to {:?}",
            rest.chars().take(10).collect::<String>()
        );
        // Blocks come in the order of the file.
        assert!(
            f >= last
                || doc
                    .block_at(i)
                    .is_some_and(|b| b.kind == BlockKind::TableRow),
            "{html:?}: {c:?} at {i} maps back to {f} < {last}"
        );
        last = f;
    }
}

#[test]
fn dropped_elements_and_comments_leave_no_text() {
    let html = r#"<!DOCTYPE html><html><head><title>T</title>
<style>p { color: red } .stylerule {}</style>
<script>var scripttext = "<p>March 31</p>";</script>
</head><body>
<header><p>Header kept</p></header>
<nav><ul><li><a href="/">Navlink</a></li></ul></nav>
<noscript><p>Noscripttext</p></noscript>
<template><p>Templatetext</p></template>
<main><p>Moved from <del>Delword</del><s>Sword</s><strike>Strikeword</strike> to April 4.</p>
<!-- Commentword April 11 -->
<aside>Asideword</aside>
<form><button>Buttonword</button><select><option>Optionword</select><textarea>Areaword</textarea></form>
<svg><title>Svgtitle</title><text>Svgword</text></svg>
<iframe src="x">Iframeword</iframe>
<p>Body kept</p></main>
<footer>Footerword</footer>
</body></html>"#;
    let doc = read(html);
    for gone in [
        "stylerule",
        "scripttext",
        "Navlink",
        "Noscripttext",
        "Templatetext",
        "Delword",
        "Sword",
        "Strikeword",
        "Commentword",
        "Asideword",
        "Buttonword",
        "Optionword",
        "Areaword",
        "Svgtitle",
        "Svgword",
        "Iframeword",
        "Footerword",
    ] {
        assert!(!doc.text.contains(gone), "{gone} in {:?}", doc.text);
    }
    assert!(doc.text.contains("Header kept"));
    assert!(
        doc.text.contains("Moved from to April 4."),
        "{:?}",
        doc.text
    );
    assert!(doc.text.contains("Body kept"));
    assert_eq!(doc.subject.as_deref(), Some("T"));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn entities_are_decoded_and_nbsp_is_a_space() {
    let html =
        "<p>Doors at 6:30&nbsp;p.m. &amp; dinner &mdash; &#8220;late&#x201D; at 8&nbsp;pm</p>";
    let doc = read(html);
    assert_eq!(
        doc.text,
        "Doors at 6:30 p.m. & dinner \u{2014} \u{201c}late\u{201d} at 8 pm"
    );
    assert_offsets(html, &doc, &["Doors", "p.m.", "dinner", "late", "pm"]);
    // A character right after an entity stays whole.
    let html = "<title>L&apos;\u{e9}t\u{e9}</title><p>Le 14&nbsp;\u{e9}t\u{e9} &eacute;t\u{e9}</p>";
    let doc = read(html);
    assert_eq!(doc.text, "Le 14 \u{e9}t\u{e9} \u{e9}t\u{e9}");
    assert_eq!(doc.subject.as_deref(), Some("L'\u{e9}t\u{e9}"));
    assert_maps_back(html, &doc);
    let html = "<p>Doors at 6:30&nbsp;p.m. &amp; dinner</p>";
    let doc = read(html);
    // A decoded character maps to its entity.
    let at = doc.text.find('&').unwrap();
    assert!(html[doc.file_offset(at)..].starts_with("&amp;"));
}

#[test]
fn table_rows_become_row_blocks_with_cells_and_headers() {
    let html = r#"<table>
  <thead><tr><th>Milestone</th><th>Date</th></tr></thead>
  <tbody>
    <tr><td>Abstract submission</td><td>April 7, 2026</td></tr>
    <tr><td></td><td>May 12, 2026</td></tr>
  </tbody>
</table>
<p>After</p>"#;
    let doc = read(html);
    let b = blocks(&doc);
    assert_eq!(b.len(), 3, "{b:?}");
    assert_eq!(b[0].0, BlockKind::TableRow);
    assert_eq!(cells(&doc, 0), ["Abstract submission", "April 7, 2026"]);
    assert_eq!(doc.blocks[0].headers, ["Milestone", "Date"]);
    // The empty first cell keeps the columns aligned.
    assert_eq!(cells(&doc, 1), ["", "May 12, 2026"]);
    assert_eq!(doc.blocks[1].headers, ["Milestone", "Date"]);
    assert_eq!(b[2], (BlockKind::Paragraph, "After"));
    assert!(doc.blocks[2].headers.is_empty());
    assert!(!doc.text.contains("Milestone"));
    assert_offsets(html, &doc, &["Abstract", "April 7", "May 12"]);
}

#[test]
fn a_first_row_of_th_cells_is_the_header_without_thead() {
    let html = "<table><tr><th>Week</th><th>Date</th></tr>\
            <tr><td>1</td><td>8 Sep</td></tr><tr><th>2</th><td>15 Sep</td></tr></table>\
            <table><tr><td>a</td><td>b</td></tr></table>";
    let doc = read(html);
    let b = blocks(&doc);
    assert_eq!(b.len(), 3, "{b:?}");
    assert_eq!(cells(&doc, 0), ["1", "8 Sep"]);
    assert_eq!(doc.blocks[0].headers, ["Week", "Date"]);
    // A th cell later in a row is a label, not a header.
    assert_eq!(cells(&doc, 1), ["2", "15 Sep"]);
    // The next table has no headers.
    assert!(doc.blocks[2].headers.is_empty());
    // A table that is only a header row keeps it as a row.
    let doc = read("<table><tr><th>Deadline: May 5</th></tr></table>");
    assert_eq!(blocks(&doc), [(BlockKind::TableRow, "Deadline: May 5")]);
}

#[test]
fn cells_keep_their_paragraphs_and_lists() {
    let html = "<table><tr><td><p>April 7</p><p>(extended)</p></td>\
            <td><ul><li>Abstracts</li><li>Posters</li></ul></td></tr></table>";
    let doc = read(html);
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(
        cells(&doc, 0),
        ["April 7\n(extended)", "Abstracts\nPosters"]
    );
}

#[test]
fn headings_lists_quotes_and_code() {
    let html = "<h1>Title</h1><h2>Key <em>dates</em></h2><h3>Sub</h3>\
            <ul><li>One</li><li><p>Two</p></li><li>Three<ul><li>Nested</li></ul></li></ul>\
            <dl><dt>April 7</dt><dd>Abstracts</dd></dl>\
            <blockquote><p>Quoted</p></blockquote><pre>let x = 1;\nlet y = 2;</pre>";
    let doc = read(html);
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Heading(1), "Title"),
            (BlockKind::Heading(2), "Key dates"),
            (BlockKind::Heading(3), "Sub"),
            (BlockKind::ListItem, "One"),
            (BlockKind::ListItem, "Two"),
            (BlockKind::ListItem, "Three"),
            (BlockKind::ListItem, "Nested"),
            (BlockKind::ListItem, "April 7"),
            (BlockKind::ListItem, "Abstracts"),
            (BlockKind::Quote, "Quoted"),
            (BlockKind::Code, "let x = 1;\nlet y = 2;"),
        ]
    );
    // No <title>: the first h1 names the document.
    assert_eq!(doc.subject.as_deref(), Some("Title"));
}

#[test]
fn br_lines_that_read_as_a_schedule_are_lines() {
    let html = "<p>Abstracts: April 7<br>Notification: May 12<br/>\nCamera-ready: May 29</p>\
            <div>The workshop invites submissions on every aspect of reading dates in text.<br>\
            Abstracts are due on April 7 and full papers follow three weeks later, after which the committee meets and decides.</div>\
            <p>Prose with a break<br>and more prose that runs on for a while without any dates in it at all, really none</p>";
    let doc = read(html);
    let b = blocks(&doc);
    assert_eq!(
        &b[..3],
        [
            (BlockKind::Line, "Abstracts: April 7"),
            (BlockKind::Line, "Notification: May 12"),
            (BlockKind::Line, "Camera-ready: May 29"),
        ]
    );
    assert_eq!(b[3].0, BlockKind::Paragraph);
    assert!(
        b[3].1.contains("in text.\nAbstracts are due"),
        "{:?}",
        b[3].1
    );
    assert_eq!(b.len(), 5, "{b:?}");
    assert_offsets(
        html,
        &doc,
        &["Notification", "Camera-ready", "Abstracts are"],
    );
}

#[test]
fn source_line_ends_are_spaces() {
    let html = "<p>The meeting is on\n   April 4\r\n at noon.</p>";
    let doc = read(html);
    assert_eq!(doc.text, "The meeting is on April 4 at noon.");
    assert_offsets(html, &doc, &["April", "at noon"]);
}

#[test]
fn published_time_dates_the_page() {
    let day = |y, m, d, h| {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    let doc = read(
        r#"<html><head><meta name="date" content="2026-01-01">
<meta property="article:published_time" content="2026-03-09T08:00:00+00:00"></head>
<body><article><time datetime="2026-04-28">28 April</time></article></body></html>"#,
    );
    assert_eq!(
        doc.dated,
        Some((day(2026, 3, 9, 8), dct::Source::PageMetadata))
    );
    let doc = read(r#"<meta name="DC.date" content="2026-02-02"><p>x</p>"#);
    assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 2, 2, 0)));
    let doc = read(r#"<meta itemprop="datePublished" content="2026-02-03"><p>x</p>"#);
    assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 2, 3, 0)));
    // The first <time> in the article, before one elsewhere on the page.
    let doc = read(
        r#"<body><header><time datetime="2020-01-01">old</time></header>
<article><p>Posted <time datetime="2026-04-28">28 April 2026</time></p></article></body>"#,
    );
    assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 4, 28, 0)));
    // The <time> text stays as text.
    assert!(doc.text.contains("Posted 28 April 2026"), "{:?}", doc.text);
    let doc = read(r#"<p>Posted <time datetime="2026-04-28T09:00">today</time></p>"#);
    assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 4, 28, 9)));
    let doc = read("<p>No date</p>");
    assert_eq!(doc.dated, None);
}

#[test]
fn title_then_og_title_then_heading_name_the_page() {
    let doc = read("<title>Budget &amp; town hall</title><h1>Heading</h1>");
    assert_eq!(doc.subject.as_deref(), Some("Budget & town hall"));
    let doc = read(r#"<meta property="og:title" content="OG name"><h1>Heading</h1>"#);
    assert_eq!(doc.subject.as_deref(), Some("OG name"));
    let doc = read("<h2>Second</h2><h1>First</h1>");
    assert_eq!(doc.subject.as_deref(), Some("First"));
    // The title is not body text.
    assert_eq!(read("<title>Only</title><p>Body</p>").text, "Body");
}

#[test]
fn file_offsets_map_words_back_to_the_input() {
    let html = "<!DOCTYPE html>\r\n<html><head><title>x</title></head><body>\r\n\
            <h1 class=\"big\">Caf\u{e9} schedule</h1>\r\n<p>Opening on <b>Monday</b>, \
            <a href=\"/x?a=1&amp;b=2\">March&nbsp;2</a>\u{a0}at&#32;noon.</p>\
            <ul><li>  Talks  </li></ul><table><tr><td>Room&nbsp;B</td><td>9 May</td></tr></table>";
    let doc = read(html);
    assert_offsets(
        html,
        &doc,
        &[
            "Caf\u{e9}",
            "schedule",
            "Opening",
            "Monday",
            "March",
            "noon",
            "Talks",
            "Room",
            "9 May",
        ],
    );
    // Every byte of the text maps into the input.
    for i in 0..doc.text.len() {
        assert!(doc.file_offset(i) < html.len());
    }
}

#[test]
fn malformed_html_does_not_panic() {
    let cases = [
        "<table><tr><td>unclosed cell<td>next<tr><td>row two</table>",
        "</div></div><p>stray ends</p></td></tr></table></li>",
        "<p>before<script>var x = '</p>never closed",
        "<div><nav>unclosed nav</div><p>after the div</p>",
        "<p>a<p>b<p>c",
        "<ul><li>one<li>two</ul><li>orphan",
        "<td>cell without table</td><tr><th>x</th></tr>",
        "<title>unclosed title",
        "<p class=\"never closed",
        "<!-- unclosed comment",
        "<![CDATA[ x ]]><p>&#; &#x; &#99999999; &bogus; &amp</p>",
        "<a href='x'>text</a><br/><br></br><hr/><img src=x>",
        "<svg/><p>after self-closed svg</p><nav/><p>after self-closed nav</p>",
        "<h1>a<h2>b</h1>c</h2>",
        "<table><tr><td><table><tr><td>inner</table>outer</td></tr></table>",
        "<pre>code\r\nline</pre><xmp><b>raw</b></xmp>",
        "\u{0}\u{1}<p>\u{0}nul</p>\u{feff}",
        "<p>\u{e9}t\u{e9} &eacute;t&eacute;</p><plaintext><p>all text",
        "<",
        "</",
        "<!",
        "&",
        "",
    ];
    for html in cases {
        assert_maps_back(html, &read(html));
    }
    let doc = read("<div><nav>unclosed nav</div><p>after the div</p>");
    assert_eq!(doc.text, "after the div");
    let doc = read("<table><tr><td>unclosed cell<td>next<tr><td>row two</table>");
    assert_eq!(cells(&doc, 0), ["unclosed cell", "next"]);
    assert_eq!(cells(&doc, 1), ["row two"]);
    let doc = read("<p>before<script>var x = '</p>never closed");
    assert_eq!(doc.text, "before");
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    let doc = read("<svg/><p>after self-closed svg</p><nav/><p>after self-closed nav</p>");
    assert_eq!(doc.text, "after self-closed svg\n\nafter self-closed nav");

    // Random soup of tag fragments, entities and bytes.
    let parts = [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<td>",
        "<tr>",
        "<table>",
        "</table>",
        "<th>",
        "<script>",
        "</script>",
        "<nav>",
        "</nav>",
        "<br>",
        "<li>",
        "<h2>",
        "</h2>",
        "&nbsp;",
        "&amp",
        "&#x",
        "<!--",
        "-->",
        "<",
        ">",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "\r",
        "April 7",
        "\u{e9}",
        "<title>",
        "</title>",
        "<meta name=date content=",
        "<time datetime=",
        "<pre>",
        "<del>",
        "</del>",
        "&eacute;\u{e9}",
        "\u{65e5}\u{672c}",
        "&#233;",
        "<s/>",
        "<![CDATA[",
        "]]>",
        "</",
        "/>",
        "<svg>",
        "<thead>",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..5000 {
        let mut html = String::new();
        for _ in 0..60 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            html.push_str(parts[(seed % parts.len() as u64) as usize]);
        }
        let doc = read(&html);
        assert_maps_back(&html, &doc);
    }
}

#[test]
fn huge_attributes_and_deep_nesting_are_fine() {
    let mut html = String::from("<meta name=\"date\" content=\"");
    html.push_str(&"x".repeat(1 << 20));
    html.push_str("\"><p title=\"");
    html.push_str(&"y".repeat(1 << 20));
    html.push_str("\">kept</p>");
    html.push_str(&"<div>".repeat(5000));
    html.push_str("deep");
    html.push_str(&"</div>".repeat(5000));
    html.push_str(&"<nav>".repeat(2000));
    let doc = read(&html);
    assert_eq!(doc.text, "kept\n\ndeep");
}
