//! The core's own JSON value: what scenarios, commands and histories are read from, and what
//! frames leave the wasm as (src/to_json.rs, src/wasm.rs). The few parts of `serde_json::Value`
//! the lab uses, with the same meaning (numbers, sorted keys, compact text), so that serde_json's
//! code and the `BTreeMap` of its `Map` stay out of the wasm (docs/performance.md). Files are
//! parsed, and reports written, by serde_json on the native side only (the `From`s below).
use serde::ser::{Serialize, SerializeMap, Serializer};
use crate::vecmap::VecMap;
use std::fmt::{self, Write};

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Obj),
}

/// A number as serde_json keeps it: a whole number at least 0, a negative one, or a finite float
/// (`as_u64` takes only the first: a scenario's counts are read with it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    U(u64),
    I(i64),
    F(f64),
}

impl Number {
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::U(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        Some(match *self {
            Number::U(n) => n as f64,
            Number::I(n) => n as f64,
            Number::F(f) => f,
        })
    }
}

/// An object: its entries sorted by key, as serde_json's `Map` (a `BTreeMap`) keeps them, so
/// that the first unknown field a message names is the same one.
pub type Obj = VecMap<String, Json>;

static NULL: Json = Json::Null;

impl Json {
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Json::String(_))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// An object's field (`None` for anything but an object).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(o) => o.get(key),
            _ => None,
        }
    }
}

/// `v["key"]`: the field, or null, as serde_json's.
impl std::ops::Index<&str> for Json {
    type Output = Json;
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Json {
    type Output = Json;
    fn index(&self, i: usize) -> &Json {
        match self {
            Json::Array(a) => a.get(i).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
}

impl PartialEq<&str> for Json {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Json {
        Json::Number(Number::U(n))
    }
}

impl From<u32> for Json {
    fn from(n: u32) -> Json {
        Json::Number(Number::U(n.into()))
    }
}

impl From<usize> for Json {
    fn from(n: usize) -> Json {
        Json::Number(Number::U(n as u64))
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Json {
        Json::Number(if n < 0 { Number::I(n) } else { Number::U(n as u64) })
    }
}

/// A float that is not finite is null, as in serde_json.
impl From<f64> for Json {
    fn from(f: f64) -> Json {
        if f.is_finite() {
            Json::Number(Number::F(f))
        } else {
            Json::Null
        }
    }
}

impl FromIterator<Json> for Json {
    fn from_iter<I: IntoIterator<Item = Json>>(items: I) -> Json {
        Json::Array(items.into_iter().collect())
    }
}

/// As serde_json's `Value` serializes (src/wasm.rs sends it through serde-wasm-bindgen).
impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(Number::U(n)) => s.serialize_u64(*n),
            Json::Number(Number::I(n)) => s.serialize_i64(*n),
            Json::Number(Number::F(f)) => s.serialize_f64(*f),
            Json::String(t) => s.serialize_str(t),
            Json::Array(items) => s.collect_seq(items),
            Json::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Compact JSON text, as `serde_json::to_string` writes it (messages quote values in it,
/// src/excerpt.rs).
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write(self, &mut out);
        f.write_str(&out)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::U(n) => write!(f, "{n}"),
            Number::I(n) => write!(f, "{n}"),
            // serde_json's own float formatter: the same text, and far smaller in the wasm than
            // core's `{}` for floats (docs/performance.md).
            Number::F(x) => f.write_str(zmij::Buffer::new().format_finite(x)),
        }
    }
}

fn write(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Json::String(s) => string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Json::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                write(x, out);
            }
            out.push('}');
        }
    }
}

/// A string as serde_json escapes it: `"` and `\`, and C0 controls (short forms where JSON has
/// them, else `\u00xx`).
fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// JSON text as the browser's `JSON.stringify` writes it, read into a `Json`: what the page sends
/// arrives so (src/wasm.rs, `data`), which asks the browser for the text rather than walking the
/// JS object one call at a time. No space between tokens; a number's text is read by `float`
/// (the wasm passes the browser's `parseFloat`, which keeps core's float parser and its tables
/// out of the wasm) and is an integer when it is a safe one, as the browser's
/// `Number.isSafeInteger` says; an escaped surrogate (`JSON.stringify` escapes only lone ones)
/// is U+FFFD, as the browser's strings reach Rust. Lists and objects may nest `MAX_DEPTH` deep.
pub fn parse(text: &str, float: fn(&str) -> f64) -> Result<Json, Unread> {
    let mut r = Reader { text, at: 0, float, room: MAX_DEPTH, too_deep: false };
    match r.value() {
        Some(v) if r.at == text.len() => Ok(v),
        _ if r.too_deep => Err(Unread::TooDeep),
        _ => Err(Unread::NotJson),
    }
}

/// How deep `parse` lets lists and objects nest: serde_json's own limit (it refuses the 128th
/// level), so a file the native runner reads is read the same in the browser. A scenario needs
/// six; text nested much deeper would exhaust the wasm's stack, in the reading, the reader or the
/// drop (a trap, not a message).
pub const MAX_DEPTH: usize = 127;

/// Why `parse` read nothing.
#[derive(Debug, PartialEq)]
pub enum Unread {
    NotJson,
    TooDeep,
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    float: fn(&str) -> f64,
    /// How many more lists and objects may open.
    room: usize,
    too_deep: bool,
}

// Bytes are read with `get`, never indexed: a bad index would bring core's panic messages into
// the wasm (docs/performance.md).
impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        self.at += usize::from(found);
        found
    }

    /// After an item of a list or an object: true at its end, false before the next item.
    fn end(&mut self, close: u8) -> Option<bool> {
        if self.eat(close) {
            Some(true)
        } else {
            self.eat(b',').then_some(false)
        }
    }

    fn word(&mut self, word: &str, v: Json) -> Option<Json> {
        self.text.as_bytes().get(self.at..)?.starts_with(word.as_bytes()).then(|| {
            self.at += word.len();
            v
        })
    }

    /// Past a list's or an object's opening, if it may nest this deep.
    fn open(&mut self) -> Option<()> {
        self.too_deep = self.room == 0;
        self.room = self.room.checked_sub(1)?;
        self.at += 1;
        Some(())
    }

    fn value(&mut self) -> Option<Json> {
        Some(match self.peek()? {
            b'n' => self.word("null", Json::Null)?,
            b't' => self.word("true", Json::Bool(true))?,
            b'f' => self.word("false", Json::Bool(false))?,
            b'"' => Json::String(self.string()?),
            b'[' => {
                self.open()?;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.end(b']')? {
                            break;
                        }
                    }
                }
                self.room += 1;
                Json::Array(items)
            }
            b'{' => {
                self.open()?;
                let mut object = Obj::new();
                if !self.eat(b'}') {
                    loop {
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        object.insert(key, self.value()?);
                        if self.end(b'}')? {
                            break;
                        }
                    }
                }
                self.room += 1;
                Json::Object(object)
            }
            _ => {
                let start = self.at;
                while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                    self.at += 1;
                }
                let n = (self.float)(self.text.get(start..self.at).filter(|t| !t.is_empty())?);
                if n.trunc() == n && n.abs() <= MAX_SAFE {
                    (n as i64).into()
                } else {
                    n.into()
                }
            }
        })
    }

    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\') {
                self.at += 1;
            }
            out.push_str(self.text.get(start..self.at)?);
            if self.next()? == b'"' {
                return Some(out);
            }
            out.push(match self.next()? {
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let mut code = 0;
                    for _ in 0..4 {
                        code = code * 16 + char::from(self.next()?).to_digit(16)?;
                    }
                    char::from_u32(code).unwrap_or('\u{fffd}')
                }
                b @ (b'"' | b'\\' | b'/') => b.into(),
                _ => return None,
            });
        }
    }
}

// Native only in use: files are parsed, and the runner's reports written, by serde_json
// (src/scenario/mod.rs `from_json`, src/report.rs); the wasm never calls these.

impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u.into(),
                (None, Some(i)) => i.into(),
                _ => n.as_f64().map_or(Json::Null, Json::from),
            },
            Value::String(s) => Json::String(s),
            Value::Array(items) => items.into_iter().map(Json::from).collect(),
            Value::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl From<Json> for serde_json::Value {
    fn from(v: Json) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(Number::U(n)) => n.into(),
            Json::Number(Number::I(n)) => n.into(),
            Json::Number(Number::F(f)) => f.into(),
            Json::String(s) => Value::String(s),
            Json::Array(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            Json::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{parse, Json, Unread, MAX_DEPTH};
    use serde_json::json;

    fn same_text(v: serde_json::Value) {
        assert_eq!(Json::from(v.clone()).to_string(), serde_json::to_string(&v).unwrap(), "{v:?}");
    }

    /// The compact text is serde_json's, so messages quoting a value read the same.
    #[test]
    fn text_is_serde_jsons() {
        same_text(json!({ "b": [1, -2, 3.5, null, true], "a": "q\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é\u{202e}", "": {} }));
        let floats = [0.0, -0.0, 1.0, -1.5, 0.1, 1e-5, 1.2e-5, 1e-4, 0.00012, 1e-6, 1.5e-7, 123456.789, 1e15, 1e16, 1.5e16, 9007199254740993.0, 1e300, 5e-324, f64::MAX, f64::MIN_POSITIVE, 2.5e21];
        for f in floats {
            same_text(json!(f));
        }
        // Many more, from bit patterns spread over the whole range.
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let f = f64::from_bits(bits);
            if f.is_finite() {
                same_text(json!(f));
            }
        }
        for n in [0i64, 1, -1, i64::MIN, i64::MAX] {
            same_text(json!(n));
        }
        same_text(json!(u64::MAX));
    }

    /// Keys are kept sorted, as serde_json's map does, and come back out the same.
    #[test]
    fn objects_are_sorted_and_convert_both_ways() {
        let v = json!({ "zeta": 1, "alpha": { "b": 2, "a": [1.5, -3] }, "Mid": "x" });
        let j = Json::from(v.clone());
        let Json::Object(o) = &j else { panic!("an object") };
        assert_eq!(o.keys().collect::<Vec<_>>(), ["Mid", "alpha", "zeta"]);
        assert_eq!(serde_json::Value::from(j.clone()), v);
        assert_eq!(serde_json::to_value(&j).unwrap(), v);
        assert_eq!(j["alpha"]["a"][1], Json::from(-3i64));
        assert_eq!(j["Mid"], "x");
        assert!(j["none"].is_null());
    }

    fn parsed(v: serde_json::Value) -> Option<Json> {
        parse(&serde_json::to_string(&v).unwrap(), |t| t.parse().unwrap_or(f64::NAN)).ok()
    }

    /// The text `JSON.stringify` writes (serde_json's compact text for the same data) reads back
    /// as the value, with numbers as the browser holds them: a safe integer is an integer, any
    /// other number a float.
    #[test]
    fn parse_reads_compact_text() {
        let v = json!({ "b": [1, -2, 3.5, null, true, false, [], {}], "a": "q\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é/\u{202e}😀", "": { "x": [[0]] } });
        assert_eq!(parsed(v.clone()), Some(Json::from(v)));
        assert_eq!(parsed(json!(2.0)), Some(Json::from(2u64)));
        assert_eq!(parsed(json!(-7)), Some(Json::from(-7i64)));
        assert_eq!(parsed(json!(9007199254740991u64)), Some(Json::from(9007199254740991u64)));
        assert_eq!(parsed(json!(9007199254740992u64)), Some(Json::from(9007199254740992.0)));
        assert_eq!(parsed(json!(1e300)), Some(Json::from(1e300)));
        let f = |t: &str| t.parse().unwrap_or(f64::NAN);
        assert_eq!(parse(r#""\ud800x\u00e9\/""#, f), Ok(Json::from("\u{fffd}xé/")));
        for bad in ["", "nul", "[1,]", "[1 ]", "{\"a\"}", "{1:2}", "\"x", "\"\\q\"", "\"\\u12\"", "1x", "[]]"] {
            assert_eq!(parse(bad, f), Err(Unread::NotJson), "{bad}");
        }
    }

    /// Lists and objects may nest `MAX_DEPTH` deep, as serde_json reads them natively; one more,
    /// or a million more, is `TooDeep` at once (it used to overflow the wasm's stack: a trap).
    #[test]
    fn parse_refuses_text_nested_past_the_limit() {
        let f = |t: &str| t.parse().unwrap_or(f64::NAN);
        let nested = |open: &str, close: &str, n: usize| format!("{}0{}", open.repeat(n), close.repeat(n));
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let deepest = nested(open, close, MAX_DEPTH);
            assert!(parse(&deepest, f).is_ok());
            assert!(serde_json::from_str::<serde_json::Value>(&deepest).is_ok(), "serde_json's limit is the same");
            assert_eq!(parse(&nested(open, close, MAX_DEPTH + 1), f), Err(Unread::TooDeep));
            assert!(serde_json::from_str::<serde_json::Value>(&nested(open, close, MAX_DEPTH + 1)).is_err());
            assert_eq!(parse(&nested(open, close, 1_000_000), f), Err(Unread::TooDeep));
        }
        // A mistake at the deepest level allowed is not a nesting too deep.
        assert_eq!(parse(&format!("{}x{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)), f), Err(Unread::NotJson));
    }
}
