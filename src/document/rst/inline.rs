//! Inline markup: emphasis, literals, roles, references and links,
//! reduced to their text.

use crate::document::pieces::Piece;

/// Characters that may stand before inline markup.
pub(super) fn opens(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "-:/'\"<([{".contains(c))
}

/// Characters that may follow inline markup.
pub(super) fn closes(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "-.,:;!?\\/'\")]}>".contains(c))
}

/// Where the markup opened at `from` (its text starting there) closes with
/// `delim`: the start of the closing string.
pub(super) fn closing(s: &str, from: usize, delim: &str) -> Option<usize> {
    let first = s[from..].chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let mut j = from + first.len_utf8();
    while let Some(k) = s[j..].find(delim) {
        let close = j + k;
        let before = s[..close].chars().next_back();
        let after = s[close + delim.len()..].chars().next();
        let after_ok = closes(after) || (delim == "`" && matches!(after, Some('_' | ':')));
        if before.is_some_and(|c| !c.is_whitespace() && c != '\\') && after_ok {
            return Some(close);
        }
        j = close + delim.len();
    }
    None
}

/// A role before interpreted text (":ref:`…`"): its length.
pub(super) fn role(s: &str) -> Option<usize> {
    let rest = s.strip_prefix(':')?;
    let k = rest.find(':')?;
    let name = &rest[..k];
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.+".contains(&c));
    (ok && rest[k + 1..].starts_with('`')).then_some(k + 2)
}

/// Reads a line's inline markup into pieces: emphasis, strong and literal
/// markers go; a hyperlink `` `text <url>`_ `` keeps its text, a role its
/// text; footnote references go; escapes are resolved.
pub(super) fn inline(s: &str, at: usize, out: &mut Vec<Piece>) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    let flush = |out: &mut Vec<Piece>, from: usize, to: usize| {
        if to > from {
            out.push(Piece::verbatim(&s[from..to], at + from));
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        if !c.is_ascii() {
            i += 1;
            continue;
        }
        let before = s[..i].chars().next_back();
        if c == b'\\' {
            flush(out, run, i);
            let next = s[i + 1..].chars().next();
            i += 1;
            run = i;
            if next.is_some_and(char::is_whitespace) {
                // An escaped space is no space at all.
                i += next.map_or(0, char::len_utf8);
                run = i;
            } else if let Some(n) = next {
                i += n.len_utf8();
            }
            continue;
        }
        if !(opens(before) || c == b'_') {
            i += 1;
            continue;
        }
        match c {
            b'`' if s[i..].starts_with("``") => {
                if let Some(close) = closing(s, i + 2, "``") {
                    flush(out, run, i);
                    out.push(Piece::verbatim(&s[i + 2..close], at + i + 2));
                    i = close + 2;
                    run = i;
                    continue;
                }
            }
            b'*' if s[i..].starts_with("**") => {
                if let Some(close) = closing(s, i + 2, "**") {
                    flush(out, run, i);
                    out.push(Piece::verbatim(&s[i + 2..close], at + i + 2));
                    i = close + 2;
                    run = i;
                    continue;
                }
            }
            b'*' => {
                if let Some(close) = closing(s, i + 1, "*") {
                    flush(out, run, i);
                    out.push(Piece::verbatim(&s[i + 1..close], at + i + 1));
                    i = close + 1;
                    run = i;
                    continue;
                }
            }
            b':' => {
                if let Some(k) = role(&s[i..]) {
                    if let Some(close) = closing(s, i + k + 1, "`") {
                        flush(out, run, i);
                        interpreted(&s[i + k + 1..close], at + i + k + 1, out);
                        i = after_reference(s, close + 1);
                        run = i;
                        continue;
                    }
                }
            }
            b'`' => {
                if let Some(close) = closing(s, i + 1, "`") {
                    flush(out, run, i);
                    interpreted(&s[i + 1..close], at + i + 1, out);
                    i = after_reference(s, close + 1);
                    // A role after the text: "`x`:sub:".
                    if let Some(k) = role(&s[i..]).or_else(|| {
                        let r = &s[i..];
                        let k = r.strip_prefix(':')?.find(':')?;
                        let name = &r[1..k + 1];
                        (!name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric()))
                            .then_some(k + 2)
                    }) {
                        i += k;
                    }
                    run = i;
                    continue;
                }
            }
            b'|' => {
                if let Some(close) = closing(s, i + 1, "|") {
                    flush(out, run, i);
                    out.push(Piece::verbatim(&s[i + 1..close], at + i + 1));
                    i = after_reference(s, close + 1);
                    run = i;
                    continue;
                }
            }
            b'[' if opens(before) => {
                // A footnote or citation reference: "[1]_", "[#note]_".
                if let Some(k) = s[i..].find("]_") {
                    let label = &s[i + 1..i + k];
                    if !label.is_empty()
                        && !label.contains(char::is_whitespace)
                        && closes(s[i + k + 2..].chars().next())
                    {
                        flush(out, run, i);
                        // The space before the reference goes with it.
                        if let Some(p) = out.last_mut() {
                            if p.text.ends_with(' ') {
                                p.text.pop();
                            }
                        }
                        i += k + 2;
                        run = i;
                        continue;
                    }
                }
            }
            b'_' => {
                // "word_" and "word__": a reference to a target.
                let n = if s[i..].starts_with("__") { 2 } else { 1 };
                if before.is_some_and(char::is_alphanumeric) && closes(s[i + n..].chars().next()) {
                    flush(out, run, i);
                    i += n;
                    run = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    flush(out, run, bytes.len());
}

/// Past a reference's trailing "_" or "__".
pub(super) fn after_reference(s: &str, i: usize) -> usize {
    let rest = &s[i..];
    if rest.starts_with("__") {
        i + 2
    } else if rest.starts_with('_') {
        i + 1
    } else {
        i
    }
}

/// Interpreted text or a hyperlink's: "text <url>" keeps the text, "<url>"
/// alone the address.
pub(super) fn interpreted(s: &str, at: usize, out: &mut Vec<Piece>) {
    if s.ends_with('>') {
        if let Some(k) = s.rfind('<') {
            let text = s[..k].trim_end();
            if !text.is_empty() {
                out.push(Piece::verbatim(text, at));
            } else {
                out.push(Piece::verbatim(&s[k + 1..s.len() - 1], at + k + 1));
            }
            return;
        }
    }
    out.push(Piece::verbatim(s, at));
}
