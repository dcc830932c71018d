//! Markdown (CommonMark with GitHub tables and strikethrough), read with
//! `pulldown-cmark`: headings, list items, table rows with their cells and
//! headers, quotes and code as blocks; emphasis and links reduced to their
//! text; struck text, `<del>`, HTML comments and images dropped. A
//! paragraph whose lines are schedule lines ("April 7: Abstracts" on one
//! line, "May 12: Notification" on the next) is read line by line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::lines::{list_marker, split_schedule_lines, Layout};
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

pub(crate) fn read(source: &str) -> Document {
    let mut b = Builder::new();
    let base = text::metadata(source, &mut b);
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
}
