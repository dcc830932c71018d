//! A JSON string decoded where it lies, for a JSONL line's `"text"`.
//!
//! serde_json decodes a string with escapes into a scratch buffer and then
//! copies it into a `String`: a 50 MB document line was held three times
//! (line, scratch, text). Every escape is at least as long as what it
//! stands for, so the decoded text fits in the bytes of the encoded one,
//! written from the front as they are read: the line's own buffer holds
//! the text, and a line costs its length once.

/// Decodes the body of a JSON string (the bytes between its quotes) in
/// place and returns the decoded length: `buf[..len]` is the text. The body
/// must be valid UTF-8 (escapes then give valid UTF-8 too). A malformed
/// escape or a lone surrogate (`\ud800` not followed by its pair) is an
/// error, as serde_json would make it.
pub(super) fn decode_in_place(buf: &mut [u8]) -> Result<usize, String> {
    let (mut read, mut write) = (0, 0);
    while read < buf.len() {
        // Runs without escapes are moved whole (not at all before the
        // first escape).
        let run = memchr::memchr(b'\\', &buf[read..]).unwrap_or(buf.len() - read);
        if write < read {
            buf.copy_within(read..read + run, write);
        }
        read += run;
        write += run;
        if read == buf.len() {
            break;
        }
        let escape = *buf
            .get(read + 1)
            .ok_or("a string ends in a lone backslash")?;
        read += 2;
        let byte = match escape {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let c = code_point(buf, &mut read)?;
                let mut utf8 = [0u8; 4];
                let bytes = c.encode_utf8(&mut utf8).as_bytes();
                // Six or twelve bytes read, at most four written.
                buf[write..write + bytes.len()].copy_from_slice(bytes);
                write += bytes.len();
                continue;
            }
            other => return Err(format!("unknown escape \\{}", other as char)),
        };
        buf[write] = byte;
        write += 1;
    }
    Ok(write)
}

/// The character of a `\u` escape whose four hex digits start at `*at`,
/// with the low half of a surrogate pair read too; `*at` moves past them.
fn code_point(buf: &[u8], at: &mut usize) -> Result<char, String> {
    let first = hex4(buf, *at)?;
    *at += 4;
    if !(0xd800..0xe000).contains(&first) {
        return char::from_u32(first).ok_or_else(|| "bad \\u escape".to_string());
    }
    let lone = || format!("lone surrogate \\u{first:04x} in a \\u escape");
    if first >= 0xdc00 || buf.get(*at..*at + 2) != Some(b"\\u") {
        return Err(lone());
    }
    let second = hex4(buf, *at + 2)?;
    if !(0xdc00..0xe000).contains(&second) {
        return Err(lone());
    }
    *at += 6;
    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
        .ok_or_else(|| "bad \\u escape".to_string())
}

fn hex4(buf: &[u8], at: usize) -> Result<u32, String> {
    let digits = buf.get(at..at + 4).ok_or("a \\u escape is cut short")?;
    digits.iter().try_fold(0u32, |n, &d| {
        let v = (d as char)
            .to_digit(16)
            .ok_or_else(|| "a \\u escape has a non-hex digit".to_string())?;
        Ok(n * 16 + v)
    })
}

#[cfg(test)]
mod tests {
    use super::decode_in_place;

    fn decoded(body: &str) -> Result<String, String> {
        let mut buf = body.as_bytes().to_vec();
        let len = decode_in_place(&mut buf)?;
        Ok(String::from_utf8(buf[..len].to_vec()).expect("valid UTF-8"))
    }

    /// serde_json's reading of the same string.
    fn serde(body: &str) -> Result<String, String> {
        serde_json::from_str::<String>(&format!("\"{body}\"")).map_err(|e| e.to_string())
    }

    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        let cases = [
            "",
            "plain text, no escapes",
            r#"a \"quote\" and a \\ backslash \/ slash"#,
            r"lines\nand\ttabs\r\n\b\f",
            r"\u00e9t\u00E9 \u2019 \u20ac",
            r"\ud83d\ude00 a pair, \uD83D\uDE00 in capitals",
            "caf\u{e9} written raw, then \\u00e9",
            r"\\u0041 is not an escape",
            r"\u0000 nul",
            r"ends with \n",
        ];
        for body in cases {
            assert_eq!(decoded(body), serde(body), "{body}");
        }
    }

    #[test]
    fn broken_escapes_are_errors() {
        for body in [
            r"\ud800 alone",
            r"\udc00 low first",
            r"\ud800\u0041 unpaired",
            r"\u12",
            r"\u12G4",
            r"\x",
            "\\",
        ] {
            assert!(decoded(body).is_err(), "{body}");
            assert!(serde(body).is_err(), "{body}");
        }
    }
}
