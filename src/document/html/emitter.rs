//! The html5gum [`Emitter`]: it collects tag names and the attributes the
//! reader wants, tracks the tokenizer's read position, and maps each run
//! of text it is handed back to the bytes of the file it came from.

use html5gum::{Emitter, State};

use super::Reader;

/// Caps on what is kept of a tag's name and an attribute value.
pub(super) const MAX_NAME: usize = 32;
const MAX_ATTR: usize = 2048;

impl Reader<'_> {
    /// A run of character data the tokenizer read, ending at `self.pos`.
    fn chars(&mut self, s: &[u8]) {
        // Looking for where a window may end, only a table's text counts
        // (its rows, its header row), the rest is read with the window;
        // and a block of code's or a heading's, which may have to be cut
        // inside.
        let inside = matches!(
            self.kind(),
            super::BlockKind::Code | super::BlockKind::Heading(_)
        );
        let skipped = self.scan && self.tables.is_empty() && !inside;
        if s.is_empty() || skipped || (self.dropped > 0 && !self.in_title) {
            return;
        }
        let src = self.src;
        let bytes = src.as_bytes();
        let end = self.pos.min(src.len());
        let partial = self.partial.take();
        if let Some(mut start) = end
            .checked_sub(s.len())
            .filter(|&start| &bytes[start..end] == s)
        {
            // The tokenizer hands a character read back (after an entity:
            // "&nbsp;été") on its own, even a byte of it: join it with the
            // rest.
            if let Some((from, to)) = partial {
                if to == start {
                    start = from;
                }
            }
            if !src.is_char_boundary(end) {
                self.partial = Some((start, end));
                return;
            }
            while !src.is_char_boundary(start) {
                start += 1;
            }
            if start < end {
                self.run(&src[start..end], start, true);
            }
            return;
        }
        // Decoded: an entity maps to its `&`.
        let window = &bytes[end.saturating_sub(40)..end];
        if let Some(k) = window.iter().rposition(|&c| c == b'&') {
            let amp = end - window.len() + k;
            let entity = &bytes[amp + 1..end];
            if !entity.is_empty()
                && entity
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'#' || c == b';')
            {
                self.decoded(s, amp);
                return;
            }
        }
        // Text the tokenizer gives back late ("</" of a non-closing tag in
        // raw text): find it just before.
        let before = &bytes[end.saturating_sub(s.len() + 16)..end];
        if let Some(k) = before.windows(s.len()).rposition(|w| w == s) {
            let start = end - before.len() + k;
            if let Some(raw) = src.get(start..start + s.len()) {
                self.run(raw, start, true);
                return;
            }
        }
        // A normalized line end, a replaced NUL: the byte before.
        self.decoded(s, end.saturating_sub(1));
    }

    fn decoded(&mut self, s: &[u8], at: usize) {
        match std::str::from_utf8(s) {
            Ok(t) => self.run(t, at, false),
            Err(_) => {
                let t = String::from_utf8_lossy(s);
                self.run(&t, at, false);
            }
        }
    }

    fn finish_attr(&mut self) {
        if !std::mem::take(&mut self.in_attr) {
            return;
        }
        let slot = match &self.attr_name[..] {
            b"property" => &mut self.a_property,
            b"name" => &mut self.a_name,
            b"itemprop" => &mut self.a_itemprop,
            b"content" => &mut self.a_content,
            b"datetime" => &mut self.a_datetime,
            _ => return,
        };
        if slot.is_empty() {
            slot.extend_from_slice(&self.attr_value);
        }
    }
}

/// The html5gum emitter: the tokenizer's calls, handed to the reader.
pub(super) struct Events<'r, 'a>(pub(super) &'r mut Reader<'a>);

fn extend_capped(v: &mut Vec<u8>, s: &[u8], cap: usize) -> bool {
    let room = cap.saturating_sub(v.len());
    v.extend_from_slice(&s[..s.len().min(room)]);
    s.len() <= room
}

impl Emitter for Events<'_, '_> {
    type Token = std::convert::Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.0.last_start.clear();
        self.0
            .last_start
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {}

    fn emit_error(&mut self, _error: html5gum::Error) {}

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Self::Token> {
        None
    }

    fn emit_string(&mut self, c: &[u8]) {
        self.0.chars(c);
    }

    fn init_start_tag(&mut self) {
        let r = &mut *self.0;
        r.name.clear();
        r.name_long = false;
        r.is_end = false;
        r.self_closing = false;
        r.attrs_wanted = None;
        r.in_attr = false;
        r.a_property.clear();
        r.a_name.clear();
        r.a_itemprop.clear();
        r.a_content.clear();
        r.a_datetime.clear();
    }

    fn init_end_tag(&mut self) {
        let r = &mut *self.0;
        r.name.clear();
        r.name_long = false;
        r.is_end = true;
        r.attrs_wanted = Some(false);
        r.in_attr = false;
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        let r = &mut *self.0;
        r.finish_attr();
        if r.is_end {
            r.end_tag();
            None
        } else {
            r.start_tag()
        }
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {
        self.0.self_closing = true;
    }

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if !extend_capped(&mut r.name, s, MAX_NAME) {
            r.name_long = true;
        }
    }

    fn push_comment(&mut self, _s: &[u8]) {}

    fn push_doctype_name(&mut self, _s: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        let r = &mut *self.0;
        r.finish_attr();
        let wanted = *r
            .attrs_wanted
            .get_or_insert_with(|| !r.name_long && matches!(&r.name[..], b"meta" | b"time"));
        r.in_attr = wanted;
        r.attr_name.clear();
        r.attr_value.clear();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if r.in_attr {
            extend_capped(&mut r.attr_name, s, MAX_NAME);
        }
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if r.in_attr {
            extend_capped(&mut r.attr_value, s, MAX_ATTR);
        }
    }

    fn set_doctype_public_identifier(&mut self, _value: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _value: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _s: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _s: &[u8]) {}

    fn start_open_tag(&mut self) {
        self.0.tag_start = self.0.pos.saturating_sub(1);
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        let r = &*self.0;
        r.is_end && !r.name_long && !r.last_start.is_empty() && r.last_start == r.name
    }

    #[inline]
    fn move_position(&mut self, offset: isize) {
        self.0.pos = self.0.pos.saturating_add_signed(offset);
    }
}
