//! Rust values as the core's `Json`s (src/json.rs), as `serde_json::to_value` makes its `Value`s,
//! with less code per type: the wasm sends every frame, report and lesson through one `Json`
//! (src/wasm.rs, `out`),
//! and serde compiles each type's `Serialize` once per field type for the serializer it meets.
//! serde_json's keeps a key, converts and inserts in each of those copies; here each copy only
//! calls the type's `serialize` and hands the `Json` to one shared function (`field`, `add`).
//! docs/performance.md has the measured saving. The runner's reports (native) keep serde_json's;
//! a test below checks both give the same value for every built-in scenario's frames.
use serde::ser::{self, Serialize};
use crate::json::{Json, Obj};

/// A `Json` like `serde_json::to_value(v)`'s.
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Json, Fail> {
    v.serialize(Ser)
}

/// What cannot be a JSON value here: a map key that is not text (the lab's types have none), or
/// a type's own failure.
#[derive(Debug)]
pub struct Fail;

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value JSON cannot hold")
    }
}

impl std::error::Error for Fail {}

impl ser::Error for Fail {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Fail
    }
}

pub struct Ser;

/// A list being built (or failed, as `add` keeps it).
pub struct List(Result<Vec<Json>, Fail>);

/// An object being built (or failed, as `entry` keeps it), with the key of the value to come
/// (`serialize_key`).
pub struct Object(Result<Obj, Fail>, Option<String>);

/// A variant's fields being built: `{variant: [...]}` or `{variant: {...}}`.
pub struct Variant<T>(&'static str, T);

// A list or an object being built is kept as a `Result`: an item or field that fails fails the
// whole (at `end`), so no type's code returns early per item or field. `array` and `object` end
// one out of line, once for every type rather than inlined into each type's copy.

/// Adds an item to a list being built, or fails it.
fn add(list: &mut Result<Vec<Json>, Fail>, v: Result<Json, Fail>) {
    match (list.as_mut(), v) {
        (Ok(l), Ok(v)) => l.push(v),
        _ => *list = Err(Fail),
    }
}

#[inline(never)]
fn array(list: Result<Vec<Json>, Fail>) -> Result<Json, Fail> {
    list.map(Json::Array)
}

/// Adds an entry to an object being built, or fails it.
fn entry(map: &mut Result<Obj, Fail>, k: Result<String, Fail>, v: Result<Json, Fail>) {
    match (map.as_mut(), k, v) {
        (Ok(m), Ok(k), Ok(v)) => {
            m.insert(k, v);
        }
        _ => *map = Err(Fail),
    }
}

fn field(map: &mut Result<Obj, Fail>, key: &str, v: Result<Json, Fail>) {
    entry(map, Ok(key.to_owned()), v)
}

#[inline(never)]
fn object(map: Result<Obj, Fail>) -> Result<Json, Fail> {
    map.map(Json::Object)
}

/// A map key: text. serde_json would also write a number or true/false as its text, but no map
/// the lab sends is keyed by one (the test below compares every value sent with serde_json's).
fn key(v: Result<Json, Fail>) -> Result<String, Fail> {
    match v? {
        Json::String(s) => Ok(s),
        _ => Err(Fail),
    }
}

fn tagged(variant: &'static str, v: Json) -> Json {
    let mut object = Obj::new();
    object.insert(variant.to_owned(), v);
    Json::Object(object)
}

/// Numbers as serde_json's `From` makes them (a float that is not finite is null).
macro_rules! numbers {
    ($($f:ident: $t:ty as $as:ty),* $(,)?) => {$(
        fn $f(self, v: $t) -> Result<Json, Fail> {
            Ok(Json::from(v as $as))
        }
    )*};
}

impl ser::Serializer for Ser {
    type Ok = Json;
    type Error = Fail;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = Variant<List>;
    type SerializeMap = Object;
    type SerializeStruct = Object;
    type SerializeStructVariant = Variant<Object>;

    fn serialize_bool(self, v: bool) -> Result<Json, Fail> {
        Ok(Json::Bool(v))
    }
    numbers! {
        serialize_i8: i8 as i64, serialize_i16: i16 as i64, serialize_i32: i32 as i64, serialize_i64: i64 as i64,
        serialize_u8: u8 as u64, serialize_u16: u16 as u64, serialize_u32: u32 as u64, serialize_u64: u64 as u64,
        serialize_f32: f32 as f64, serialize_f64: f64 as f64,
    }
    fn serialize_char(self, v: char) -> Result<Json, Fail> {
        Ok(Json::String(v.into()))
    }
    fn serialize_str(self, v: &str) -> Result<Json, Fail> {
        Ok(Json::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Json, Fail> {
        Ok(Json::Array(v.iter().map(|&b| Json::from(b as u64)).collect()))
    }
    fn serialize_none(self) -> Result<Json, Fail> {
        Ok(Json::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Json, Fail> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Json, Fail> {
        Ok(Json::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Json, Fail> {
        Ok(Json::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Json, Fail> {
        Ok(Json::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<Json, Fail> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, v: &T) -> Result<Json, Fail> {
        Ok(tagged(variant, v.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, Fail> {
        Ok(List(Ok(Vec::with_capacity(len.unwrap_or(0)))))
    }
    fn serialize_tuple(self, len: usize) -> Result<List, Fail> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List, Fail> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, len: usize) -> Result<Variant<List>, Fail> {
        Ok(Variant(variant, List(Ok(Vec::with_capacity(len)))))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object, Fail> {
        Ok(Object(Ok(Obj::new()), None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object, Fail> {
        Ok(Object(Ok(Obj::new()), None))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Variant<Object>, Fail> {
        Ok(Variant(variant, Object(Ok(Obj::new()), None)))
    }
    fn collect_seq<I: IntoIterator>(self, items: I) -> Result<Json, Fail>
    where
        I::Item: Serialize,
    {
        let mut list = Ok(Vec::new());
        for item in items {
            add(&mut list, item.serialize(Ser));
        }
        array(list)
    }
    fn collect_map<K: Serialize, V: Serialize, I: IntoIterator<Item = (K, V)>>(self, entries: I) -> Result<Json, Fail> {
        let mut map = Ok(Obj::new());
        for (k, v) in entries {
            entry(&mut map, key(k.serialize(Ser)), v.serialize(Ser));
        }
        object(map)
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, v: &T) -> Result<Json, Fail> {
        Ok(Json::String(v.to_string()))
    }
}

/// A list's three kinds: a sequence, a tuple, a tuple struct.
macro_rules! list {
    ($($kind:ident :: $add:ident),*) => {$(
        impl ser::$kind for List {
            type Ok = Json;
            type Error = Fail;
            fn $add<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Fail> {
                add(&mut self.0, v.serialize(Ser));
                Ok(())
            }
            fn end(self) -> Result<Json, Fail> {
                array(self.0)
            }
        }
    )*};
}

list!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);

impl ser::SerializeTupleVariant for Variant<List> {
    type Ok = Json;
    type Error = Fail;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Fail> {
        add(&mut self.1 .0, v.serialize(Ser));
        Ok(())
    }
    fn end(self) -> Result<Json, Fail> {
        Ok(tagged(self.0, array(self.1 .0)?))
    }
}

impl ser::SerializeMap for Object {
    type Ok = Json;
    type Error = Fail;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Fail> {
        self.1 = Some(key(k.serialize(Ser))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Fail> {
        entry(&mut self.0, self.1.take().ok_or(Fail), v.serialize(Ser));
        Ok(())
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, k: &K, v: &V) -> Result<(), Fail> {
        entry(&mut self.0, key(k.serialize(Ser)), v.serialize(Ser));
        Ok(())
    }
    fn end(self) -> Result<Json, Fail> {
        object(self.0)
    }
}

impl ser::SerializeStruct for Object {
    type Ok = Json;
    type Error = Fail;
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<(), Fail> {
        field(&mut self.0, k, v.serialize(Ser));
        Ok(())
    }
    fn end(self) -> Result<Json, Fail> {
        object(self.0)
    }
}

impl ser::SerializeStructVariant for Variant<Object> {
    type Ok = Json;
    type Error = Fail;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<(), Fail> {
        field(&mut self.1 .0, k, v.serialize(Ser));
        Ok(())
    }
    fn end(self) -> Result<Json, Fail> {
        Ok(tagged(self.0, object(self.1 .0)?))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::frame::{self, Look};
    use crate::session::{Session, Stepped};
    use serde::Serialize;

    fn same<T: Serialize + ?Sized>(v: &T) {
        assert_eq!(super::to_value(v).ok().map(serde_json::Value::from), serde_json::to_value(v).ok());
    }

    /// Everything the wasm sends, at every step of every built-in scenario (questions answered
    /// with their first choice, a challenge's solution acted), is the `Value` serde_json makes.
    #[test]
    fn every_frame_is_the_value_serde_json_makes() {
        for b in crate::scenario::builtins::BUILTINS {
            let sc = crate::scenario::builtins::load(b.id).expect("a built-in scenario");
            let solution: Vec<_> = sc.solution.iter().map(|s| s.command.clone()).collect();
            let mut s = Session::new(sc);
            same(&frame::lesson(&s));
            let mut looks = 0;
            loop {
                let stepped = s.forward();
                let names: Vec<String> = s.world().servers.iter().map(|x| x.name.clone()).collect();
                let look = Look { selected: names.get(looks % names.len().max(1)).cloned(), page: 0, log_server: names.first().cloned() };
                looks += 1;
                same(&frame::frame(&s, &look));
                same(&s.live.last);
                for name in &names {
                    same(&frame::gap(s.world(), name).ok());
                    same(&frame::why(s.world(), name).ok());
                    same(&frame::objects(s.world().server(name), 0, 1000));
                }
                match stepped {
                    Stepped::Finished => break,
                    Stepped::Question(i) => {
                        let choice = s.scenario.steps[i].question.as_ref().expect("a question").choices[0].clone();
                        s.answer(&choice).expect("a choice");
                    }
                    Stepped::Moved(_) => {}
                }
            }
            for cmd in solution {
                if s.check(&cmd).is_ok() {
                    s.act(cmd);
                    same(&frame::frame(&s, &Look::default()));
                }
            }
            same(frame::messages(s.world(), 0, 5000));
            same(s.actions());
            same(&*s.scenario);
            same(&s.export());
            same(&s.first_answers.iter().collect::<Vec<_>>());
        }
    }
}
