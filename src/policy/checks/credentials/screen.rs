//! A cheap first look at an object: whether any of its strings could be
//! one that a credential rule flags. Most objects hold none and are not
//! walked at all; the others are walked as before (`walk.rs`), so what the
//! rules report does not depend on the screen, only what it costs. The
//! screen may say yes where the walk finds nothing, never the other way
//! round: every test here is looser than the walk's.
//!
//! It reads an object through its `Serialize` (no `serde_json::Value`
//! built, no path of owned keys) and the JSON held in a string through a
//! `serde_json::Deserializer` (no `Value` either, strings borrowed).

use super::seen::Seen;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize};

use super::formats::any_anchor;
use crate::lower::k8s::Resource;

/// Whether the walk may find a string to flag in `resource`. `seen` keeps
/// what the screen judged of earlier objects' strings, `stacks` the
/// screen's stacks.
pub(super) fn may_flag(resource: &Resource, seen: &mut Seen, stacks: &mut Stacks) -> bool {
    let mut screen = Screen::new(Step::ROOT, false, seen, std::mem::take(stacks));
    // A shape the screen does not read is left to the walk.
    let maybe = resource.serialize(&mut screen).is_err() || screen.maybe;
    *stacks = screen.give_back();
    maybe
}

/// The screen's two stacks, kept from one object to the next: made for
/// each object, they were three allocations an object (and more as they
/// grew), 4 % of a keystroke's allocations.
#[derive(Default)]
pub(super) struct Stacks {
    path: Vec<Step>,
    pairs: Vec<Pair>,
}

struct Screen<'c> {
    /// The steps from the object (or JSON text) to the current value.
    path: Vec<Step>,
    /// For each map being read: its `{name, value}` pair so far (an env
    /// var, whose value is judged under the name).
    pairs: Vec<Pair>,
    /// Inside a JSON text held in a string: every key names its value.
    in_json: bool,
    /// Whether a string here may contain an anchor of a known format (not
    /// inside a JSON text that has no anchor and no escape).
    anchors: bool,
    maybe: bool,
    seen: &'c mut Seen,
}

/// One step into a value: what the walk would read of it.
#[derive(Clone, Copy)]
struct Step {
    /// A key whose own keys name their values (`labels`, `annotations`,
    /// `data`).
    names_keys: bool,
    /// A key `args` or `command`, or an index below one: its strings may
    /// be `--flag`s.
    flags: bool,
    /// A key under which a string may be flagged (its name says
    /// credential).
    named: bool,
    index: bool,
    /// The key `name` or `value` of an env var.
    role: Option<Role>,
}

impl Step {
    const ROOT: Step = Step {
        names_keys: false,
        flags: false,
        named: false,
        index: false,
        role: None,
    };
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Name,
    Value,
}

#[derive(Default)]
struct Pair {
    /// A string `name` that says credential.
    name: bool,
    /// A string `value`.
    value: bool,
}

impl<'c> Screen<'c> {
    /// A screen that reads with `stacks`, emptied first.
    fn new(root: Step, in_json: bool, seen: &'c mut Seen, stacks: Stacks) -> Self {
        let Stacks {
            mut path,
            mut pairs,
        } = stacks;
        path.clear();
        pairs.clear();
        path.push(root);
        Screen {
            path,
            pairs,
            in_json,
            anchors: true,
            maybe: false,
            seen,
        }
    }

    /// The stacks, for the next object.
    fn give_back(self) -> Stacks {
        Stacks {
            path: self.path,
            pairs: self.pairs,
        }
    }

    fn top(&self) -> Step {
        self.path.last().copied().unwrap_or(Step::ROOT)
    }

    fn key(&mut self, k: &str) {
        let parent = self.top();
        // The walk's `name_of`, looser: `properties.X.default` is named X
        // whatever holds `properties`, and a prefixed label key counts.
        let names_it = self.in_json || parent.names_keys;
        let named = (names_it && self.seen.may_name_credential(k))
            || (self.in_json && k == "default" && parent.named);
        self.path.push(Step {
            names_keys: !self.in_json && matches!(k, "labels" | "annotations" | "data"),
            flags: matches!(k, "args" | "command"),
            named,
            index: false,
            role: match k {
                "name" => Some(Role::Name),
                "value" => Some(Role::Value),
                _ => None,
            },
        });
    }

    fn index(&mut self) {
        let parent = self.top();
        self.path.push(Step {
            flags: parent.flags,
            index: true,
            ..Step::ROOT
        });
    }

    fn pop(&mut self) {
        self.path.pop();
    }

    fn start_map(&mut self) {
        self.pairs.push(Pair::default());
    }

    fn end_map(&mut self) {
        if let Some(pair) = self.pairs.pop() {
            self.maybe |= pair.name && pair.value;
        }
    }

    fn string(&mut self, v: &str) {
        let at = self.top();
        match (at.role, self.pairs.last_mut()) {
            (Some(Role::Name), Some(_)) => {
                let name = self.seen.may_name_credential(v);
                if let Some(pair) = self.pairs.last_mut() {
                    pair.name = name;
                }
            }
            (Some(Role::Value), Some(pair)) => pair.value = true,
            _ => {}
        }
        // `--flag=V` or `--flag V`: V is judged under the flag's name.
        if at.index && at.flags && v.starts_with('-') {
            let flag = v.split_once('=').map_or(v, |(f, _)| f);
            self.maybe |= self.seen.may_name_credential(flag.trim_start_matches('-'));
        }
        if json_like(v) {
            self.json(v, at.named);
        } else {
            self.maybe |= at.named || self.known_format(v);
        }
    }

    /// Whether `v` has a known format whatever its name (the name can add
    /// one: see `named`).
    fn known_format(&mut self, v: &str) -> bool {
        self.anchors && self.seen.known_format(v)
    }

    /// A string that may be JSON: the walk reads the strings it holds if
    /// it parses, the string itself if not. The screen reads both.
    fn json(&mut self, text: &str, named: bool) {
        self.maybe |= named;
        if self.seen.texts.contains(text) {
            return;
        }
        let mut inner = Screen::new(
            // A JSON array is read for `--flag`s when the string is an
            // argument: read it so wherever it is.
            Step {
                flags: true,
                ..Step::ROOT
            },
            true,
            self.seen,
            Stacks::default(),
        );
        // A string of the JSON is its text, escapes read: none has an
        // anchor if the text has none, unless an escape reads as a
        // character of an anchor (`\"`, `\/`, `\u0070`; not `\n`).
        let anchored = any_anchor(text);
        inner.anchors = anchored || ["\\\"", "\\/", "\\u"].iter().any(|e| text.contains(e));
        // What it read before a syntax error counts as well.
        let _ = (&mut inner).deserialize(&mut serde_json::Deserializer::from_str(text));
        let found = inner.maybe || (anchored && self.known_format(text));
        if !found {
            self.seen.texts.insert(text.to_string());
        }
        self.maybe |= found;
    }
}

/// Whether `v` starts, after white space, with `{` or `[`. Most strings
/// start with a character that is neither nor white space: their first
/// byte answers, without `trim_start` (a tenth of the screen's strings'
/// cost).
fn json_like(v: &str) -> bool {
    let t = match v.as_bytes().first() {
        Some(b) if b.is_ascii() && !char::from(*b).is_whitespace() => v,
        _ => v.trim_start(),
    };
    t.starts_with('{') || t.starts_with('[')
}

/// A shape of value the screen does not read: the object is walked.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a shape the credential screen does not read")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Reads a value the way `serde_json::to_value` would see it: strings,
/// sequences, maps and structs; numbers, booleans and nulls are skipped.
impl ser::Serializer for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, _: bool) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unsupported> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Unsupported> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unsupported> {
        self.start_map();
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.start_map();
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        self.index();
        v.serialize(&mut **self)?;
        self.pop();
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Unsupported> {
        k.serialize(KeyOf(self))
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        v.serialize(&mut **self)?;
        self.pop();
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        self.end_map();
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Screen<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        self.key(key);
        v.serialize(&mut **self)?;
        self.pop();
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        self.end_map();
        Ok(())
    }
}

/// A map key: a string (serde_json turns other keys into strings; the
/// screen leaves them to the walk).
struct KeyOf<'a, 'c>(&'a mut Screen<'c>);

impl ser::Serializer for KeyOf<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<(), Unsupported>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = ser::Impossible<(), Unsupported>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_str(self, k: &str) -> Result<(), Unsupported> {
        self.0.key(k);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        k: &T,
    ) -> Result<(), Unsupported> {
        k.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_char(self, _: char) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// Reads a JSON text as `serde_json::from_str::<Value>` would, building
/// nothing.
impl<'de> DeserializeSeed<'de> for &mut Screen<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &mut Screen<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.string(v);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        loop {
            self.index();
            let more = items.next_element_seed(&mut *self)?;
            self.pop();
            if more.is_none() {
                return Ok(());
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        self.start_map();
        while entries.next_key_seed(JsonKey(&mut *self))?.is_some() {
            entries.next_value_seed(&mut *self)?;
            self.pop();
        }
        self.end_map();
        Ok(())
    }
}

/// A key of a JSON object.
struct JsonKey<'a, 'c>(&'a mut Screen<'c>);

impl<'de> DeserializeSeed<'de> for JsonKey<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for JsonKey<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, k: &str) -> Result<(), E> {
        self.0.key(k);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::walk::leaves;
    use super::*;
    use crate::lower::k8s::{ConfigMap, Object, ObjectMeta};

    /// A ConfigMap holding `text` under `key`.
    fn config_map(key: &str, text: &str) -> Object {
        Object {
            resource: Resource::ConfigMap(ConfigMap {
                api_version: "v1",
                kind: "ConfigMap",
                metadata: ObjectMeta {
                    name: "cm".into(),
                    ..ObjectMeta::default()
                },
                data: [(key.to_string(), text.to_string().into())]
                    .into_iter()
                    .collect(),
            }),
            origin: Default::default(),
        }
    }

    fn screened(o: &Object) -> bool {
        may_flag(&o.resource, &mut Seen::default(), &mut Stacks::default())
    }

    /// The stacks one object was screened with come back, kept, for the
    /// next; what the next object's screen finds is what a fresh screen
    /// finds, flagged or not, in either order.
    #[test]
    fn the_stacks_serve_the_next_object() {
        let objects = [
            config_map("password", "hunter2"),
            config_map(
                "template.json",
                r#"{"env": [{"name": "HOME", "value": "/h"}]}"#,
            ),
            config_map("k", r#"{"db_password": "hunter2"}"#),
            config_map("k", "plain"),
        ];
        let (mut seen, mut stacks) = (Seen::default(), Stacks::default());
        for o in objects.iter().chain(objects.iter().rev()) {
            let flagged = may_flag(&o.resource, &mut seen, &mut stacks);
            assert_eq!(flagged, screened(o));
            assert!(stacks.path.capacity() > 0, "the stacks came back");
        }
    }

    /// What the screen passes over without reading it word by word is
    /// still found: escapes, pairs in any order, flags, defaults.
    #[test]
    fn credentials_inside_json_are_found() {
        for text in [
            // A name or a format written with escapes.
            r#"{"env": [{"name": "DB_\u0050ASSWORD", "value": "hunter2"}]}"#,
            r#"{"db_\u0070assword": "hunter2"}"#,
            r#"{"url": "postgresql:\/\/u:s3cret@db\/x"}"#,
            r#"{"k": "\u0070nu_0123456789abcdefghijklmnopqrstuvwxyz"}"#,
            r#"{"key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"}"#,
            // The value of an env var before its name.
            r#"{"env": [{"value": "hunter2", "name": "DB_PASSWORD"}]}"#,
            // `--flag=V` and `--flag V` in a job manifest's args.
            r#"{"containers": [{"args": ["run", "--password=hunter2"]}]}"#,
            r#"{"containers": [{"args": ["--api-key", "hunter2"]}]}"#,
            // A variable's default, named by the variable.
            r#"{"variables": {"properties": {"db_password": {"default": "hunter2"}}}}"#,
            // JSON inside JSON.
            r#"{"inner": "{\"password\": \"hunter2\"}"}"#,
        ] {
            let o = config_map("template.json", text);
            assert!(screened(&o), "{text}");
            assert!(
                !leaves(std::slice::from_ref(&o), |_| false).is_empty(),
                "{text}"
            );
        }
        // Every anchor in one text (one of them, `"private_key"`, only
        // as the quotes around a string): its strings are read for formats.
        let every = r#"{"a": "private_key", "b": "-----BEGIN pnb_ AKIA ASIA ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- xoxa- xoxb- xoxp- xoxr- AccountKey= eyJ :// pnu_0123456789abcdefghijklmnopqrstuvwxyz"}"#;
        assert!(screened(&config_map("template.json", every)));
        // Not JSON after all: the string itself, under its key.
        let o = config_map("DB_PASSWORD", "{hunter2");
        assert!(screened(&o));
        assert!(!leaves(std::slice::from_ref(&o), |_| false).is_empty());
    }

    #[test]
    fn clean_json_is_not_walked() {
        for text in [
            r#"{"automountServiceAccountToken": false, "secret_fields": []}"#,
            r#"{"description": "one line\nand another", "env": [{"name": "HOME", "value": "/home"}]}"#,
            r#"{"api_url": "http://prefect.prefect.svc:4200/api"}"#,
            r#"{"properties": {"name": {"default": "x"}}}"#,
        ] {
            assert!(!screened(&config_map("template.json", text)), "{text}");
        }
    }

    /// JSON after any white space, Unicode's as well, and only JSON.
    #[test]
    fn json_starts_after_white_space() {
        for yes in ["{}", "[1]", " {", "\t[", "\u{b}{", "\u{a0}{", "\u{3000}["] {
            assert!(json_like(yes), "{yes:?}");
        }
        for no in ["", " ", "x{", "é{", "- [", "\u{a0}x"] {
            assert!(!json_like(no), "{no:?}");
        }
    }

    /// The screen of any value (not only a lowered object's).
    fn screen_of<T: Serialize>(v: &T) -> bool {
        let mut seen = Seen::default();
        let mut screen = Screen::new(Step::ROOT, false, &mut seen, Stacks::default());
        v.serialize(&mut screen).is_err() || screen.maybe
    }

    /// A map of one entry, `key: "v"`.
    struct OneKey<K>(K);

    impl<K: Serialize> Serialize for OneKey<K> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(std::iter::once((&self.0, "v")))
        }
    }

    /// Bytes, written as bytes (a `&[u8]` is written as a sequence).
    struct Bytes;

    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"k")
        }
    }

    #[derive(serde::Serialize)]
    struct Unit;

    #[derive(serde::Serialize)]
    struct Wrapped<T>(T);

    #[derive(serde::Serialize)]
    enum Shape {
        Word,
        Holds(&'static str),
    }

    /// Named by a credential's name, `data: {password: v}` (the keys of
    /// `data` name their values).
    #[derive(serde::Serialize)]
    struct Data<T> {
        data: Password<T>,
    }

    #[derive(serde::Serialize)]
    struct Password<T> {
        password: T,
    }

    fn named<T>(password: T) -> Data<T> {
        Data {
            data: Password { password },
        }
    }

    /// What the screen does not read is left to the walk (the object is
    /// walked), never judged clean: no lowered object has such a shape
    /// today, and a type that gains one must not hide its strings.
    #[test]
    fn a_shape_the_screen_does_not_read_is_walked() {
        // Map keys other than strings (serde_json writes numbers as string
        // keys; the screen does not follow it).
        assert!(screen_of(&OneKey(true)));
        assert!(screen_of(&OneKey(-1i8)));
        assert!(screen_of(&OneKey(-1i16)));
        assert!(screen_of(&OneKey(-1i32)));
        assert!(screen_of(&OneKey(-1i64)));
        assert!(screen_of(&OneKey(1u8)));
        assert!(screen_of(&OneKey(1u16)));
        assert!(screen_of(&OneKey(1u32)));
        assert!(screen_of(&OneKey(1u64)));
        assert!(screen_of(&OneKey(1.5f32)));
        assert!(screen_of(&OneKey(1.5f64)));
        assert!(screen_of(&OneKey('k')));
        assert!(screen_of(&OneKey(Bytes)));
        assert!(screen_of(&OneKey(None::<&str>)));
        assert!(screen_of(&OneKey(Some("k"))));
        assert!(screen_of(&OneKey(())));
        assert!(screen_of(&OneKey(Unit)));
        assert!(screen_of(&OneKey(Shape::Word)));
        assert!(screen_of(&OneKey(Shape::Holds("k"))));
        assert!(screen_of(&OneKey(Wrapped(7u8))));
        assert!(screen_of(&OneKey([1u8])));
        assert!(screen_of(&OneKey((1u8, 2u8))));
        // Values: bytes and enum variants holding a value.
        assert!(screen_of(&Wrapped(Bytes)));
        assert!(screen_of(&vec![Shape::Holds("hunter2")]));
        // A string key, read through a newtype, is read: a clean map is
        // clean (the control of the cases above).
        assert!(!screen_of(&OneKey(Wrapped("k"))));
        assert!(!screen_of(&OneKey("k")));
    }

    /// Shapes the screen reads as the walk's JSON has them: a char and a
    /// unit variant as strings, a newtype as what it wraps, a tuple and a
    /// tuple struct as arrays, a map's `{name, value}` pair as an env var.
    #[test]
    fn other_shapes_are_read_as_their_json() {
        assert!(screen_of(&named('x')));
        assert!(screen_of(&named(Shape::Word)));
        assert!(screen_of(&named(Wrapped("hunter2"))));
        #[derive(serde::Serialize)]
        struct Args<T> {
            args: T,
        }
        assert!(screen_of(&Args {
            args: ("--password", "hunter2")
        }));
        #[derive(serde::Serialize)]
        struct Pair(&'static str, &'static str);
        assert!(screen_of(&Args {
            args: Pair("--password", "hunter2")
        }));
        let env: crate::map::IndexMap<&str, &str> = [("name", "DB_PASSWORD"), ("value", "hunter2")]
            .into_iter()
            .collect();
        assert!(screen_of(&vec![env]));
        // Controls: the same shapes without a credential's name.
        assert!(!screen_of(&Args {
            args: ("--port", "80")
        }));
        let env: crate::map::IndexMap<&str, &str> =
            [("name", "PORT"), ("value", "80")].into_iter().collect();
        assert!(!screen_of(&vec![env]));
        assert!(!screen_of(&Wrapped(Shape::Word)));
        assert!(!screen_of(&Password { password: 'x' }));
    }
}
