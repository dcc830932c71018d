//! Reading and writing TimeML, the annotation format of TimeBank and
//! TempEval-3, and scoring against it ([`eval`]). Uses only the engine's
//! timex type.

use std::fmt::Write as _;

use quick_xml::events::Event;
use quick_xml::Reader;

pub mod eval;

use crate::engine::timex::Timex;

/// A gold-annotated document: the `<TEXT>` content without tags, its
/// creation time, and its TIMEX3 annotations with byte offsets.
#[derive(Clone, Debug)]
pub struct Document {
    pub id: String,
    pub dct: Option<String>,
    pub text: String,
    pub gold: Vec<GoldTimex>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// Parses a TimeML document. Text is taken the way an XML parser gives it:
/// entities decoded and line ends normalized to LF.
pub fn parse(id: &str, xml: &str) -> Result<Document, String> {
    let xml = xml.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = Reader::from_str(&xml);
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut in_text = 0usize;
    let mut in_dct = false;
    let mut dct: Option<String> = None;
    let mut dct_fallback: Option<String> = None;
    // Open TIMEX3 elements inside TEXT: (start offset, type, value).
    let mut open: Vec<Option<(usize, String, String)>> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == b"TEXT" {
                    in_text += 1;
                } else if name == b"DCT" {
                    in_dct = true;
                }
                if name == b"TIMEX3" {
                    let mut kind = String::new();
                    let mut value = String::new();
                    let mut creation = false;
                    for a in e.attributes().flatten() {
                        let v = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
                        match a.key.as_ref() {
                            b"type" => kind = v,
                            b"value" => value = v,
                            b"functionInDocument" => creation = v == "CREATION_TIME",
                            _ => {}
                        }
                    }
                    if in_text > 0 {
                        open.push(Some((text.len(), kind, value)));
                    } else {
                        if in_dct && (creation || dct.is_none()) {
                            dct = Some(value.clone());
                        } else if creation && dct_fallback.is_none() {
                            dct_fallback = Some(value.clone());
                        }
                        open.push(None);
                    }
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == b"TEXT" {
                    in_text = in_text.saturating_sub(1);
                } else if name == b"DCT" {
                    in_dct = false;
                } else if name == b"TIMEX3" {
                    if let Some(Some((start, kind, value))) = open.pop() {
                        // Empty TIMEX3s mark nothing in the text; scorers skip them.
                        if !text[start..].trim().is_empty() {
                            gold.push(GoldTimex {
                                start,
                                end: text.len(),
                                kind,
                                value,
                            });
                        }
                    }
                }
            }
            Event::Text(t) if in_text > 0 => {
                text.push_str(&t.unescape().map_err(|e| e.to_string())?);
            }
            Event::CData(t) if in_text > 0 => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    gold.sort_by_key(|g| (g.start, g.end));
    Ok(Document {
        id: id.to_string(),
        dct: dct.or(dct_fallback),
        text,
        gold,
    })
}

/// Escapes text for XML content or attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes a document as TimeML with inline TIMEX3 tags, readable by the
/// TempEval-3 tools. `timexes` must be sorted and must not overlap.
pub fn write(id: &str, dct: &str, text: &str, timexes: &[Timex]) -> String {
    let (mut tagged, mut out) = Tagged::head(id, dct);
    for t in timexes {
        tagged.timex(text, 0, t, &mut out);
    }
    tagged.tail(text, 0, &mut out);
    out
}

/// A TimeML document written a piece at a time, as its timexes are found:
/// [`Tagged::head`], [`Tagged::timex`] for each in order, [`Tagged::tail`],
/// each appending the next piece of XML, so that a document of a million
/// dates need not be held whole.
pub struct Tagged {
    /// Where the text not yet written starts.
    pos: usize,
    /// TIMEX3 tags numbered so far.
    tags: usize,
}

impl Tagged {
    /// The document's head, up to its `<TEXT>`.
    pub fn head(id: &str, dct: &str) -> (Tagged, String) {
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" ?>\n<TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">\n");
        let _ = writeln!(out, "<DOCID>{}</DOCID>", escape(id));
        let _ = writeln!(
            out,
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{0}\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">{0}</TIMEX3></DCT>",
            escape(dct)
        );
        out.push_str("<TEXT>");
        (Tagged { pos: 0, tags: 0 }, out)
    }

    /// The text up to `t` and its tag; a timex overlapping one already
    /// written is left out. `text` is the document's from byte `base` on
    /// (a window of it), holding what is not yet written up to `t`.
    pub fn timex(&mut self, text: &str, base: usize, t: &Timex, out: &mut String) {
        // Each end of a range is its own TIMEX3, as TimeML annotates it.
        for t in t.clone().timeml() {
            // A tag left out still takes its number.
            self.tags += 1;
            if t.start < self.pos {
                continue;
            }
            self.upto(text, base, t.start, out);
            let _ = write!(
                out,
                "<TIMEX3 tid=\"t{}\" type=\"{}\" value=\"{}\"",
                self.tags,
                t.kind,
                escape(&t.value)
            );
            if let Some(m) = t.modifier {
                let _ = write!(out, " mod=\"{m}\"");
            }
            let _ = write!(out, ">{}</TIMEX3>", escape(&t.text));
            self.pos = t.end;
        }
    }

    /// The text not yet written, up to byte `to` of the document (of
    /// which `text` is the part from `base` on): a window read in pieces
    /// is written before the next one replaces it.
    pub fn upto(&mut self, text: &str, base: usize, to: usize, out: &mut String) {
        let from = self.pos.saturating_sub(base);
        let piece = text.get(from..to.saturating_sub(base)).unwrap_or("");
        out.push_str(&escape(piece));
        self.pos = self.pos.max(to);
    }

    /// The rest of the text and the document's end.
    pub fn tail(mut self, text: &str, base: usize, out: &mut String) {
        self.upto(text, base, base + text.len(), out);
        out.push_str("</TEXT>\n</TimeML>\n");
    }
}
