//! How a message quotes what it was given (issue 12): at most a short excerpt, with control
//! characters and bidirectional overrides escaped, so a 10 MB value is not echoed whole and an
//! ESC sequence cannot retitle a terminal or reorder the text around it. Also the rule for names
//! that go into a distinguished name.
use std::fmt::Write;

/// The most characters of a value a message quotes.
pub const EXCERPT_CHARS: usize = 40;
/// The longest name (organization, site, server, mailbox, backup label, attribute) the lab takes.
pub const MAX_NAME_CHARS: usize = 64;
/// The longest attribute value.
pub const MAX_VALUE_CHARS: usize = 1024;

/// Characters a terminal or a page could act on rather than show: C0 and C1 controls, DEL, and
/// the bidirectional embeddings, overrides, isolates and marks.
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each hazard written as `\u{…}` (newlines and tabs too).
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_hazard(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes hazard `c` as `\u{…}`.
fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// At most `EXCERPT_CHARS` characters of `s`, escaped, with how long it was when cut.
pub fn excerpt(s: &str) -> String {
    let n = s.chars().count();
    if n <= EXCERPT_CHARS {
        return escaped(s);
    }
    let head: String = s.chars().take(EXCERPT_CHARS).collect();
    format!("{}… ({n} characters)", escaped(&head))
}

/// `"excerpt"`, the way messages quote a value.
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", excerpt(s))
}

/// A JSON value, quoted as a message shows it (a long one cut short), in compact JSON text
/// (`serde_json::to_string`'s, src/json.rs).
pub fn value(v: &crate::json::Json) -> String {
    excerpt(&v.to_string())
}

/// What is wrong with `name` as a part of a distinguished name (or a label), if anything: empty,
/// too long, or holding a '/' (the DN's separator) or a control or bidirectional character.
pub fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("is empty".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Some(format!("is longer than {MAX_NAME_CHARS} characters"));
    }
    if name.contains('/') {
        return Some("contains '/', which separates the parts of a distinguished name".into());
    }
    if name.chars().any(is_hazard) {
        return Some("contains a control or bidirectional-override character".into());
    }
    None
}

/// Text for a terminal: every hazard but the newline escaped. With `json`, hazards inside the
/// JSON's strings (serde_json escapes only C0) become `\uXXXX`, so the JSON stays valid.
pub fn for_terminal(text: &str, json: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push(c),
            c if is_hazard(c) && json => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if is_hazard(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A JSON writer through `for_terminal`: the runner streams its report with it (src/bin). A
/// character whose bytes are split between two writes waits for its end.
#[cfg(not(target_arch = "wasm32"))]
pub struct Terminal<W: std::io::Write> {
    out: W,
    pending: Vec<u8>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<W: std::io::Write> Terminal<W> {
    pub fn new(out: W) -> Self {
        Terminal { out, pending: Vec::new() }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<W: std::io::Write> std::io::Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        };
        let text = std::str::from_utf8(&self.pending[..whole]).expect("checked UTF-8");
        self.out.write_all(for_terminal(text, true).as_bytes())?;
        self.pending.drain(..whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Where invalid UTF-8 begins in `bytes`, as a sentence; `None` when it is all UTF-8.
pub fn utf8_problem(bytes: &[u8]) -> Option<String> {
    let e = std::str::from_utf8(bytes).err()?;
    let at = e.valid_up_to();
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    Some(format!("this is not UTF-8 text: byte {at} (line {line}) is 0x{:02X}, which begins no UTF-8 character", bytes[at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes split anywhere, even inside a character, come out whole and escaped.
    #[test]
    fn the_terminal_writer_keeps_split_characters_whole() {
        use std::io::Write;
        let text = "\"Zoë 😀 \u{202e}x\u{1b}\"";
        for cut in 0..=text.len() {
            let mut t = Terminal::new(Vec::new());
            t.write_all(&text.as_bytes()[..cut]).unwrap();
            t.write_all(&text.as_bytes()[cut..]).unwrap();
            assert_eq!(String::from_utf8(t.out).unwrap(), for_terminal(text, true), "cut at byte {cut}");
        }
        assert!(Terminal::new(Vec::new()).write_all(b"\xff").is_err(), "not UTF-8 at all");
    }

    #[test]
    fn a_long_value_is_cut_and_hazards_escaped() {
        let long = "x".repeat(10_000_000);
        let e = excerpt(&long);
        assert!(e.len() < 80 && e.ends_with("(10000000 characters)"), "{e}");
        assert_eq!(excerpt("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(excerpt("abc\u{202E}def"), "abc\\u{202e}def");
        assert_eq!(for_terminal("\"a\u{9b}b\u{202e}\"\n", true), "\"a\\u009bb\\u202e\"\n");
    }

    #[test]
    fn names_that_would_break_a_dn_are_refused() {
        assert!(name_problem("Org/Evil").is_some());
        assert!(name_problem(" ").is_some());
        assert!(name_problem("a\u{1b}b").is_some());
        assert!(name_problem("Boston01").is_none());
        assert!(name_problem(&"n".repeat(65)).is_some());
    }

    #[test]
    fn invalid_utf8_gives_its_byte_position() {
        assert_eq!(utf8_problem(b"ok"), None);
        let p = utf8_problem(b"{\n \"a\": \"\xff\"}").unwrap();
        assert!(p.contains("byte 9 (line 2)") && p.contains("0xFF"), "{p}");
    }
}
