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

const PLAN: &str = "#+TITLE: Thesis plan\n#+AUTHOR: Oskar\n#+DATE: <2026-03-01 Sun>\n\n\
* Writing\n\
** TODO [#A] Submit thesis draft :thesis:\n   DEADLINE: <2026-03-10 Tue 17:00>\n\
   :PROPERTIES:\n   :ID: 1234-2026-01-01\n   :END:\n\
** Send chapter 2 to supervisor\n   SCHEDULED: <2026-03-16 Mon>\n\
- Committee meeting: 2026-05-12, room 4.02\n\
- reuse the figures from the\n  2024 pilot study\n\
+ [X] Ethics form *filed* by /March 27/\n\
1. Retreat <2026-07-13 Mon>--<2026-07-17 Fri>\n\n\
| Milestone | Date |\n|-----------+------|\n| Intention to submit | 2026-08-14 |\n| Oral defence | 2026-11-18 |\n\n\
#+BEGIN_SRC rust\nfn main() {}\n#+END_SRC\n\n\
#+BEGIN_QUOTE\nDeadlines are made to be met.\n#+END_QUOTE\n\n\
The rules changed in =2025=, see [[https://example.org][the repository]]; not +on May 1+ but later.\n";

#[test]
fn headings_lists_tables_and_blocks() {
    let doc = read(PLAN);
    assert_eq!(doc.subject.as_deref(), Some("Thesis plan"));
    assert_eq!(
        doc.dated,
        Some((dct::parse("2026-03-01").unwrap(), dct::Source::Header))
    );
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Heading(1), "Writing"),
            (BlockKind::Heading(2), "Submit thesis draft"),
            (BlockKind::Line, "Submit thesis draft due 2026-03-10 17:00"),
            (BlockKind::Heading(2), "Send chapter 2 to supervisor"),
            (
                BlockKind::Line,
                "Send chapter 2 to supervisor scheduled on 2026-03-16"
            ),
            (
                BlockKind::ListItem,
                "Committee meeting: 2026-05-12, room 4.02"
            ),
            (
                BlockKind::ListItem,
                "reuse the figures from the\n2024 pilot study"
            ),
            (BlockKind::ListItem, "Ethics form filed by March 27"),
            (BlockKind::ListItem, "Retreat 2026-07-13 to 2026-07-17"),
            (BlockKind::TableRow, "Intention to submit | 2026-08-14"),
            (BlockKind::TableRow, "Oral defence | 2026-11-18"),
            (BlockKind::Code, "fn main() {}"),
            (BlockKind::Quote, "Deadlines are made to be met."),
            (
                BlockKind::Paragraph,
                "The rules changed in 2025, see the repository; not but later."
            ),
        ]
    );
    let row = &doc.blocks[9];
    assert_eq!(row.headers, ["Milestone", "Date"]);
    assert_eq!(cells(&doc, 9), ["Intention to submit", "2026-08-14"]);
    assert!(!doc.text.contains("1234"), "{}", doc.text);
}

#[test]
fn offsets_point_into_the_file() {
    let doc = read(PLAN);
    for needle in [
        "2026-03-10",
        "17:00",
        "2024 pilot",
        "filed",
        "March 27",
        "the repository",
        "2026-07-17",
    ] {
        let at = doc.text.find(needle).unwrap();
        let file = doc.file_offset(at);
        assert_eq!(&PLAN[file..file + needle.len()], needle);
    }
    // The heading's title in a planning line maps to its timestamp.
    let at = doc.text.find("Submit thesis draft due").unwrap();
    assert!(PLAN[doc.file_offset(at)..].starts_with("2026-03-10"));
}

#[test]
fn schedule_lines_in_a_paragraph_and_a_table_without_header() {
    let src = "Abstracts: April 7\nNotification: May 12\n\n| a | May 3 |\n| b | May 4 |\n";
    let doc = read(src);
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Line, "Abstracts: April 7"),
            (BlockKind::Line, "Notification: May 12"),
            (BlockKind::TableRow, "a | May 3"),
            (BlockKind::TableRow, "b | May 4"),
        ]
    );
    assert!(doc.blocks[2].headers.is_empty());
    // No title: the first heading would name it; there is none.
    assert_eq!(doc.subject, None);
}

#[test]
fn comment_subtrees_and_keywords_are_skipped() {
    let src = "* COMMENT Old\nMeet on May 1.\n* Plan\n#+STARTUP: overview\n# a comment on May 2\nMeet on May 3.\n";
    let doc = read(src);
    assert_eq!(
        blocks(&doc),
        [
            (BlockKind::Heading(1), "Plan"),
            (BlockKind::Paragraph, "Meet on May 3."),
        ]
    );
    assert_eq!(doc.subject.as_deref(), Some("Plan"));
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "*",
        "** ",
        "[[",
        "[[a]",
        "<2026-",
        "<2026-03-04",
        "DEADLINE: <",
        "SCHEDULED: <2026-03-04 Wed 10:00-",
        "|",
        "|-",
        "|---+",
        "#+",
        "#+BEGIN_SRC",
        "#+TITLE",
        ":PROPERTIES:",
        "- ",
        "1.",
        "*a",
        "=",
        "a *é* ü ~",
        "é*ü*\n\t- ü",
        "[fn:",
        "\\\\",
    ];
    for s in inputs {
        let doc = read(s);
        assert!(doc.blocks.iter().all(|b| b.range.end <= doc.text.len()));
    }
    let all = PLAN.as_bytes();
    for cut in 0..all.len() {
        if let Ok(s) = std::str::from_utf8(&all[..cut]) {
            read(s);
        }
    }
}

#[test]
fn windows_read_as_the_whole_file() {
    let kinds = [
        "* TODO Submit report {k} :work:\n  SCHEDULED: <2026-03-10 Tue>\n  Draft due next Friday.\n",
        "* COMMENT Hidden {k}\n** Deeper on March 3\nNot read on 2026-04-01.\n",
        "* Code {k}\n#+BEGIN_SRC python\n* not a heading, May 5\n\n* still code\n#+END_SRC\n",
        "** Sub {k}\n- item on June 2\n\n- review by July 1\n\n| Task | Date |\n|------+------|\n| Ship | May 29 |\n",
        "* Meeting {k}\n:PROPERTIES:\n:CREATED: [2026-01-05]\n:END:\nTalks lasted three hours.\n",
        "Paragraph {k} about the plan for May.\n\n",
    ];
    let mut text = String::from("#+TITLE: Notebook\n#+DATE: 2026-03-02\n\n");
    for k in 0..300 {
        text.push_str(&kinds[k * 7 % kinds.len()].replace("{k}", &k.to_string()));
    }
    let whole = read(&text);
    let want: Vec<(BlockKind, &str)> = blocks(&whole);
    for max in [200, 1000, 4096] {
        let (mut at, mut docs) = (0, Vec::new());
        while at < text.len() {
            let end = at + window_end(&text.as_bytes()[at..], max).expect("a heading");
            assert!(end > at && (end - at <= max || end == text.len()));
            // Every window but the first starts at a top-level heading.
            assert!(at == 0 || text[at..].starts_with("* "));
            docs.push(read(&text[at..end]));
            at = end;
        }
        assert!(docs.len() > 1);
        let got: Vec<(BlockKind, &str)> = docs.iter().flat_map(blocks).collect();
        assert_eq!(got, want, "windows of {max}");
    }
    // Never inside a block, nor before a deeper heading.
    let code = "* A\n#+begin_src\n* x\n#+end_src\n** B\n* C\n";
    let cuts: Vec<usize> = (1..code.len())
        .filter_map(|max| window_end(code.as_bytes(), max))
        .collect();
    assert!(
        cuts.iter().all(|&c| c == code.find("* C").unwrap()),
        "{cuts:?}"
    );
}
