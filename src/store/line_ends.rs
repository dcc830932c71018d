//! The store's line ends and byte-order mark, kept across writes.
//!
//! A store saved by a Windows editor has CRLF line ends and often a
//! leading BOM. `toml_edit` reads both but writes LF and no BOM, so a
//! write would rewrite every line of the user's file; instead the style
//! of the existing file is detected and the new text is written back in
//! it, new tables included.

/// How the existing store's text is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct LineStyle {
    bom: bool,
    crlf: bool,
}

const BOM: char = '\u{feff}';

impl LineStyle {
    /// The style of a store's text: a leading BOM, and CRLF when its
    /// first line ends in CRLF (an empty or one-line file is LF).
    pub(super) fn of(text: &str) -> LineStyle {
        LineStyle {
            bom: text.starts_with(BOM),
            crlf: text.find('\n').is_some_and(|i| text[..i].ends_with('\r')),
        }
    }

    /// Whether `text` is already written in this style: [`LineStyle::apply`]
    /// would give it back unchanged (in a CRLF file, no line ends in a
    /// bare LF). Text appended to it in this style is then what applying
    /// the style to the whole would give.
    pub(super) fn holds(self, text: &str) -> bool {
        !self.crlf
            || memchr::memchr_iter(b'\n', text.as_bytes())
                .all(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
    }

    /// This style's line ends without the BOM: for text that goes after
    /// the start of the file.
    pub(super) fn without_bom(self) -> LineStyle {
        LineStyle { bom: false, ..self }
    }

    /// `text` (as `toml_edit` writes it, with LF) in this style: the BOM
    /// put back in front and, for a CRLF file, every line end made CRLF.
    pub(super) fn apply(self, text: &str) -> String {
        let body = text.strip_prefix(BOM).unwrap_or(text);
        let mut out = String::with_capacity(text.len() + text.len() / 16 + 3);
        if self.bom {
            out.push(BOM);
        }
        if !self.crlf {
            out.push_str(body);
            return out;
        }
        for piece in body.split_inclusive('\n') {
            match piece.strip_suffix('\n') {
                Some(line) => {
                    out.push_str(line.strip_suffix('\r').unwrap_or(line));
                    out.push_str("\r\n");
                }
                None => out.push_str(piece),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_file_keeps_its_bom_and_crlf() {
        let style = LineStyle::of("\u{feff}# a\r\n\r\n[[event]]\r\n");
        assert_eq!(
            style.apply("# a\n\n[[event]]\ntitle = \"x\"\n"),
            "\u{feff}# a\r\n\r\n[[event]]\r\ntitle = \"x\"\r\n"
        );
    }

    #[test]
    fn a_crlf_file_with_a_bare_lf_is_not_in_its_style() {
        let style = LineStyle::of("# a\r\nb = 1\r\n");
        assert!(style.holds("# a\r\nb = 1\r\n"));
        assert!(!style.holds("# a\r\nb = 1\n"));
        assert!(LineStyle::default().holds("# a\r\nb = 1\n"));
        assert_eq!(
            LineStyle::of("\u{feff}# a\r\n").without_bom().apply("c\n"),
            "c\r\n"
        );
    }

    #[test]
    fn a_unix_file_stays_lf() {
        let style = LineStyle::of("# a\n[[event]]\n");
        assert_eq!(style, LineStyle::default());
        assert_eq!(style.apply("# a\nb\n"), "# a\nb\n");
    }
}
