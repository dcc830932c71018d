//! Markdown (CommonMark with GitHub tables and strikethrough), read with
//! `pulldown-cmark`: headings, list items, table rows with their cells and
//! headers, quotes and code as blocks; emphasis and links reduced to their
//! text; struck text, `<del>`, HTML comments and images dropped. A
//! paragraph whose lines are schedule lines ("April 7: Abstracts" on one
//! line, "May 12: Notification" on the next) is read line by line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::lines::{list_marker, split_schedule_lines, starts_with_ignoring_case, Layout};
use super::pieces::{emit, Piece};
use super::{text, BlockKind, Builder, Document};

#[derive(Default)]
struct State {
    /// Pieces of the open paragraph, split into its source lines.
    lines: Vec<Vec<Piece>>,
    in_paragraph: bool,
    /// Depth of elements whose text is dropped (struck, images, `<del>`).
    dropped: usize,
    quote: usize,
    item: usize,
    in_head: bool,
    headers: Vec<String>,
    cell: String,
    /// Where the last text run ended in the file.
    last_end: usize,
}

/// Reads one window of a Markdown file read in windows cut by
/// [`window_end`]; the front matter and header fields are read only from
/// the first (`head`).
pub(crate) fn read_window(source: &str, head: bool) -> Document {
    let mut b = Builder::new();
    let base = if head {
        text::metadata(source, &mut b)
    } else {
        0
    };
    let body = &source[base..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut s = State::default();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let at = base + range.start;
        let raw = &source[at..base + range.end];
        match event {
            Event::Start(tag) => start(tag, &mut s, &mut b),
            Event::End(tag) => end(tag, &mut s, &mut b),
            Event::Text(t) | Event::Code(t) if s.dropped == 0 => {
                text_run(&t, raw, at, &mut s, &mut b);
            }
            Event::SoftBreak | Event::HardBreak => {
                if s.in_paragraph {
                    s.lines.push(Vec::new());
                } else if s.dropped == 0 {
                    b.push("\n", at);
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => html(&h, at, &mut s, &mut b),
            Event::Rule => b.end(),
            _ => {}
        }
    }
    b.finish()
}

/// Where a window of Markdown `bytes` may end, at most `max` bytes in
/// (all of them if they fit), so that its blocks read as they read in the
/// whole file: at the start of a line that starts a block of its own at
/// the left margin after a blank line, outside fenced code and the HTML
/// blocks that run across blank lines (comments, `<pre>`, `<script>`,
/// `<style>`, `<textarea>`). Not before a list marker (a list goes on
/// across blank lines), a quote or an indented line. `None` when no such
/// line starts within `max`. Reference-style links defined in another
/// window are not resolved: their text reads as written.
pub(crate) fn window_end(bytes: &[u8], max: usize) -> Option<usize> {
    if bytes.len() <= max {
        return Some(bytes.len());
    }
    let mut last = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut html_until: Option<&[u8]> = None;
    let mut blank_before = false;
    let mut at = front_matter_end(bytes);
    while at <= max && at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
        let line = &bytes[at..end];
        let content = trim_start(line);
        let blank = content.iter().all(|b| b.is_ascii_whitespace());
        if let Some(closer) = html_until {
            if memchr::memmem::find(line, closer).is_some() {
                html_until = None;
            }
        } else if let Some((ch, len)) = fence {
            let run = content.iter().take_while(|&&b| b == ch).count();
            if run >= len && content[run..].iter().all(|b| b.is_ascii_whitespace()) {
                fence = None;
            }
        } else {
            if blank_before && !blank && line.len() == content.len() && starts_block(line) {
                last = Some(at);
            }
            fence = fence_opened(content);
            html_until = html_block_closer(content)
                .filter(|c| memchr::memmem::find(&content[1..], c).is_none());
        }
        blank_before = blank;
        at = end;
    }
    last
}

fn trim_start(line: &[u8]) -> &[u8] {
    let k = line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    &line[k..]
}

/// Whether a line at the left margin begins a block that nothing before
/// it continues: not a list item, a quote or a table row.
fn starts_block(line: &[u8]) -> bool {
    let marker = match line.first() {
        Some(b'-' | b'*' | b'+') => true,
        Some(b'>' | b'|') => true,
        Some(b) if b.is_ascii_digit() => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            matches!(line.get(digits), Some(b'.' | b')'))
        }
        _ => false,
    };
    !marker
}

/// The fence a line opens: its character and length.
fn fence_opened(content: &[u8]) -> Option<(u8, usize)> {
    let ch = *content.first().filter(|&&b| b == b'`' || b == b'~')?;
    let run = content.iter().take_while(|&&b| b == ch).count();
    (run >= 3).then_some((ch, run))
}

/// The text that ends an HTML block a line opens, for the kinds that run
/// across blank lines.
fn html_block_closer(content: &[u8]) -> Option<&'static [u8]> {
    if content.first() != Some(&b'<') {
        return None;
    }
    let tags: [(&[u8], &[u8]); 8] = [
        (b"<!--", b"-->"),
        (b"<?", b"?>"),
        (b"<![cdata[", b"]]>"),
        (b"<script", b"</script>"),
        (b"<pre", b"</pre>"),
        (b"<style", b"</style>"),
        (b"<textarea", b"</textarea>"),
        (b"<!", b">"),
    ];
    tags.iter()
        .find(|(open, _)| starts_with_ignoring_case(content, open))
        .map(|&(_, close)| close)
}

/// Where front matter (`---` lines around `key: value` lines) ends, or 0.
fn front_matter_end(bytes: &[u8]) -> usize {
    let mut lines = bytes.split_inclusive(|&b| b == b'\n');
    let fence = |l: &[u8], dots: bool| {
        let t = l.trim_ascii();
        t == b"---" || (dots && t == b"...")
    };
    if !lines.next().is_some_and(|l| fence(l, false)) {
        return 0;
    }
    let mut at = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        at += line.len();
        if at > line.len() && fence(line, true) {
            return at;
        }
    }
    0
}

fn text_run(t: &str, raw: &str, at: usize, s: &mut State, b: &mut Builder) {
    s.last_end = at + raw.len();
    if s.in_head {
        s.cell.push_str(t);
        return;
    }
    let verbatim = raw == t;
    if s.in_paragraph {
        if s.lines.is_empty() {
            s.lines.push(Vec::new());
        }
        if let Some(line) = s.lines.last_mut() {
            line.push(Piece {
                text: t.to_owned(),
                at,
                verbatim,
            });
        }
    } else if verbatim {
        b.push(t, at);
    } else {
        b.push_decoded(t, at);
    }
}

/// Inline HTML: `<del>`/`<s>` drop what they hold; comments and other tags
/// are dropped themselves; `<br>` breaks the line.
fn html(h: &str, at: usize, s: &mut State, b: &mut Builder) {
    let t = h.trim().to_ascii_lowercase();
    if t.starts_with("<!--") {
        return;
    }
    let opens_struck = ["<del", "<s>", "<s ", "<strike"]
        .iter()
        .any(|p| t.starts_with(p));
    let closes_struck = ["</del", "</s>", "</strike"]
        .iter()
        .any(|p| t.starts_with(p));
    if opens_struck {
        s.dropped += 1;
    } else if closes_struck {
        s.dropped = s.dropped.saturating_sub(1);
    } else if t.starts_with("<br") {
        if s.in_paragraph {
            s.lines.push(Vec::new());
        } else {
            b.push("\n", at);
        }
    }
}

fn start(tag: Tag, s: &mut State, b: &mut Builder) {
    match tag {
        Tag::Paragraph if s.item == 0 => {
            s.in_paragraph = true;
            s.lines.clear();
        }
        Tag::Heading { level, .. } => b.start(BlockKind::Heading(level as u8)),
        Tag::BlockQuote(_) => s.quote += 1,
        Tag::CodeBlock(_) => b.start(BlockKind::Code),
        Tag::Item => {
            s.item += 1;
            b.start(BlockKind::ListItem);
        }
        Tag::TableHead => {
            s.in_head = true;
            s.headers.clear();
        }
        Tag::TableRow => b.start(BlockKind::TableRow),
        Tag::TableCell => {
            if s.in_head {
                s.cell.clear();
            } else {
                b.start_cell();
            }
        }
        Tag::Strikethrough | Tag::Image { .. } => s.dropped += 1,
        _ => {}
    }
}

fn end(tag: TagEnd, s: &mut State, b: &mut Builder) {
    match tag {
        TagEnd::Paragraph => {
            if s.in_paragraph {
                s.in_paragraph = false;
                paragraph(std::mem::take(&mut s.lines), s.quote > 0, b);
            } else if s.item > 0 {
                b.push("\n", s.last_end);
            }
        }
        TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::TableRow => b.end(),
        TagEnd::BlockQuote(_) => s.quote = s.quote.saturating_sub(1),
        TagEnd::Item => {
            s.item = s.item.saturating_sub(1);
            b.end();
        }
        TagEnd::TableHead => {
            s.in_head = false;
            b.set_headers(std::mem::take(&mut s.headers));
        }
        TagEnd::Table => b.set_headers(Vec::new()),
        TagEnd::TableCell => {
            if s.in_head {
                s.headers.push(s.cell.trim().to_owned());
            } else {
                b.end_cell();
            }
        }
        TagEnd::Strikethrough | TagEnd::Image => s.dropped = s.dropped.saturating_sub(1),
        _ => {}
    }
}

/// Emits a paragraph as one block, or line by line when its lines are
/// schedule rows.
fn paragraph(lines: Vec<Vec<Piece>>, quoted: bool, b: &mut Builder) {
    let texts: Vec<String> = lines
        .iter()
        .map(|l| l.iter().map(|p| p.text.as_str()).collect())
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let layout = if quoted {
        Layout::Prose
    } else {
        split_schedule_lines(&refs)
    };
    match layout {
        Layout::Prose => {
            b.start(if quoted {
                BlockKind::Quote
            } else {
                BlockKind::Paragraph
            });
            for line in &lines {
                emit(line, 0, b);
                if let Some(p) = line.last() {
                    b.push("\n", p.at + p.text.len());
                }
            }
            b.end();
        }
        Layout::Rows | Layout::Table => {
            for (line, text) in lines.iter().zip(&texts) {
                let (kind, skip) = match list_marker(text) {
                    Some(k) => (BlockKind::ListItem, k),
                    None => (BlockKind::Line, 0),
                };
                b.start(kind);
                emit(line, skip, b);
            }
            b.end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> Document {
        read_window(source, true)
    }

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind, &doc.text[b.range.clone()]))
            .collect()
    }

    #[test]
    fn emphasis_goes_and_struck_text_and_comments_are_dropped() {
        let src = "Abstracts due **2026-05-29**, not ~~May 1~~ <!-- or June 3 --> nor <del>May 2</del>.\n";
        let doc = read(src);
        assert_eq!(
            blocks(&doc),
            [(BlockKind::Paragraph, "Abstracts due 2026-05-29, not nor .")]
        );
        let at = doc.text.find("2026").unwrap();
        assert_eq!(&src[doc.file_offset(at)..][..10], "2026-05-29");
    }

    #[test]
    fn tables_give_rows_with_cells_and_headers() {
        let src =
            "| Item | Date |\n|---|---|\n| Abstracts | April 7 |\n| Camera-ready | May 29 |\n";
        let doc = read(src);
        assert_eq!(doc.blocks.len(), 2);
        let row = &doc.blocks[1];
        assert_eq!(row.kind, BlockKind::TableRow);
        assert_eq!(row.headers, ["Item", "Date"]);
        let cells: Vec<&str> = row.cells.iter().map(|c| &doc.text[c.clone()]).collect();
        assert_eq!(cells, ["Camera-ready", "May 29"]);
    }

    #[test]
    fn schedule_lines_in_a_paragraph_are_blocks_of_their_own() {
        let src = "# ICWX 2026\n\nAbstracts: April 7\nNotification: May 12\nCamera-ready: May 29\n";
        let doc = read(src);
        assert_eq!(doc.subject.as_deref(), Some("ICWX 2026"));
        assert_eq!(
            blocks(&doc),
            [
                (BlockKind::Heading(1), "ICWX 2026"),
                (BlockKind::Line, "Abstracts: April 7"),
                (BlockKind::Line, "Notification: May 12"),
                (BlockKind::Line, "Camera-ready: May 29"),
            ]
        );
    }

    #[test]
    fn list_items_and_links() {
        let src = "- [Register](https://example.org) by **June 2**\n- Talks: June 9\n";
        let doc = read(src);
        assert_eq!(
            blocks(&doc),
            [
                (BlockKind::ListItem, "Register by June 2"),
                (BlockKind::ListItem, "Talks: June 9"),
            ]
        );
    }

    #[test]
    fn front_matter_dates_and_names_the_document() {
        let src = "---\ntitle: Platform sync\ndate: 2026-02-11\n---\n\nNext review on Friday.\n";
        let doc = read(src);
        assert_eq!(doc.subject.as_deref(), Some("Platform sync"));
        assert_eq!(
            doc.dated.as_ref().unwrap().0.to_string(),
            "2026-02-11 00:00:00"
        );
        assert_eq!(
            blocks(&doc),
            [(BlockKind::Paragraph, "Next review on Friday.")]
        );
    }

    /// Markdown of every kind of block, with blank lines inside fences,
    /// comments, loose lists and list items.
    fn sampler(n: usize) -> String {
        let kinds = [
            "# Plan {k}\n\nThe review is on Monday, {k} May.\n",
            "- Submit by June 2\n- Talks: June 9\n\n- A loose item on Friday\n\n  Its second paragraph, July 1.\n",
            "1. Register by May 12\n2) Pay on May 20\n",
            "| Task | Date |\n|---|---|\n| Review {k} | April 7 |\n| Ship | May 29 |\n",
            "```\ncode on Friday\n\nA line in code, May 5\n\n~~~\n```\n",
            "~~~~ text\nTildes, June 3\n\n```\n~~~~\n",
            "<!-- hidden\n\nJune 9, hidden\n\n-->\n",
            "<pre>\nkept\n\nAugust 2\n</pre>\n",
            "> Quoted on Tuesday\n>\n> and Wednesday\n",
            "Abstracts: April 7\nNotification: May 12\n",
            "Title {k}\n===\n\nNot ~~May 1~~ but May 3.\n",
            "    indented code, March 3\n\n    more of it\n",
            "2026 starts on a Thursday.\n",
        ];
        let mut text = String::from("---\ntitle: Sampler\n\ndate: 2026-01-05\n---\n\n");
        for k in 0..n {
            text.push_str(&kinds[k * 7 % kinds.len()].replace("{k}", &k.to_string()));
            text.push('\n');
        }
        text
    }

    #[test]
    fn windows_read_as_the_whole_file() {
        let text = sampler(400);
        let whole = read(&text);
        let want: Vec<(BlockKind, &str)> = blocks(&whole);
        for max in [333, 1000, 4096] {
            let (mut at, mut got_docs) = (0, Vec::new());
            while at < text.len() {
                let end = at + window_end(&text.as_bytes()[at..], max).expect("a cut");
                assert!(end > at && (end - at <= max || end == text.len()));
                got_docs.push(read_window(&text[at..end], at == 0));
                at = end;
            }
            assert!(got_docs.len() > 1);
            let got: Vec<(BlockKind, &str)> = got_docs.iter().flat_map(blocks).collect();
            assert_eq!(got, want, "windows of {max}");
        }
    }

    #[test]
    fn no_cut_inside_fences_comments_lists_or_front_matter() {
        let text = "---\na: b\n\nc: d\n---\n\n```\n\nx\n\n```\n\n- a\n\n- b\n\nAfter.\n\nMore.\n";
        let cuts: Vec<usize> = (1..text.len())
            .filter_map(|max| window_end(text.as_bytes(), max))
            .collect();
        // Before the fence, never inside it; not between the list's items.
        let allowed = ["```", "After", "More"].map(|s| text.find(s).unwrap());
        assert!(cuts.iter().all(|c| allowed.contains(c)), "{cuts:?}");
        assert_eq!(window_end(b"one line without a break", 5), None);
    }
}
