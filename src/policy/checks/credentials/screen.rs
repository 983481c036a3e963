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

use super::seen::{Seen, SharedAt};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize};

use super::formats::{any_anchor, credential_in};
use super::names::{credential_name, not_a_credential};
use crate::lower::k8s::Resource;

/// What the screen said of an object: whether the walk may find a string
/// to flag in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Verdict {
    /// The walk may find one, whatever the site wrote.
    pub(super) maybe: bool,
    /// The values of env vars whose names say credential, that have no
    /// known format and are not placeholders: `secret/literal` flags such
    /// a value only where the site wrote it, in a string of its own or as
    /// part of one ([`Written::find`](super::written::Written::find)).
    /// Values prefectc makes itself (the key of a Secret it was given,
    /// under `…_AUTH_STRING_SECRET_KEY`) are written nowhere.
    pub(super) if_written: Vec<String>,
}

impl Verdict {
    /// Whether the walk may find a string to flag, `written` telling
    /// whether the site may have written a value.
    pub(super) fn may_flag(&self, mut written: impl FnMut(&str) -> bool) -> bool {
        self.maybe || self.if_written.iter().any(|v| written(v))
    }
}

/// What the screen says of `resource`. `seen` keeps what the screen judged
/// of earlier objects' strings, `stacks` the screen's stacks.
pub(super) fn may_flag(resource: &Resource, seen: &mut Seen, stacks: &mut Stacks) -> Verdict {
    let mut screen = Screen::new(Step::ROOT, false, seen, std::mem::take(stacks));
    // A shape the screen does not read is left to the walk.
    let maybe = resource.serialize(&mut screen).is_err() || screen.maybe;
    let if_written = std::mem::take(&mut screen.if_written);
    *stacks = screen.give_back();
    Verdict { maybe, if_written }
}

/// The screen's two stacks, kept from one object to the next: made for
/// each object, they were three allocations an object (and more as they
/// grew), 5 % of a keystroke's allocations.
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
    /// [`Verdict::if_written`].
    if_written: Vec<String>,
    /// The open pairs' [`Named`], innermost last.
    named: Vec<Named>,
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

/// The name of a pair when it says credential outside a JSON text, and
/// then its value (unless it may be JSON), when it comes after the name:
/// the screen judges such a pair as the walk does ([`Screen::judge_pair`]).
/// Anything else is left to the walk. Kept beside the pairs, not in them:
/// a screen opens a pair for every map it reads, and few are such.
struct Named {
    /// The index of its pair among the open ones.
    pair: usize,
    name: String,
    value: Option<String>,
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
            if_written: Vec::new(),
            named: Vec::new(),
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

    #[inline]
    fn end_map(&mut self) {
        let Some(pair) = self.pairs.pop() else {
            return;
        };
        // Most maps: no name that says credential, so no `Named` either.
        if !pair.name {
            return;
        }
        // A screen reads an object or a JSON text, never both: outside
        // JSON every pair whose name says credential has its `Named`, the
        // last one (those of the pairs inside it went when they ended);
        // inside, none has.
        let named = self.named.pop();
        debug_assert!(
            named.as_ref().is_none_or(|n| n.pair == self.pairs.len()),
            "a pair's Named is the last"
        );
        if !pair.value {
            return;
        }
        match named {
            Some(Named {
                name,
                value: Some(value),
                ..
            }) => self.judge_pair(&name, value),
            _ => self.maybe = true,
        }
    }

    /// An env var `name` (which may name a credential) with the string
    /// `value`, as the walk judges it: a known format under that name is
    /// flagged; else a name that says credential flags a value that is no
    /// placeholder, where the site wrote it ([`Verdict::if_written`]).
    fn judge_pair(&mut self, name: &str, value: String) {
        if credential_in(&value, Some(name)).is_some() {
            self.maybe = true;
        } else if credential_name(name) && !not_a_credential(&value) {
            self.if_written.push(value);
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
                if name && !self.in_json {
                    self.named.push(Named {
                        pair: self.pairs.len() - 1,
                        name: v.to_string(),
                        value: None,
                    });
                }
            }
            (Some(Role::Value), Some(pair)) => {
                pair.value = true;
                let at = self.pairs.len() - 1;
                if let Some(n) = self.named.last_mut()
                    && n.pair == at
                    && !json_like(v)
                {
                    n.value = Some(v.to_string());
                }
            }
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

    /// A value many objects share through an `Arc`
    /// ([`crate::lower::k8s::SHARED`]): read once for each place it is
    /// met at, its answer kept by its address for the rest of the objects
    /// (which live, unchanged, until the screen is done). What reading it
    /// adds depends only on the value and on where it is: the step that
    /// holds it, and whether strings there may hold an anchor.
    fn shared<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        let at = self.top();
        // A string there would be an env var's name or value, judged with
        // the other (never so in the objects' types: read it anyway).
        if at.role.is_some() {
            return v.serialize(self);
        }
        let place = [
            at.names_keys,
            at.flags,
            at.named,
            at.index,
            self.anchors,
            self.in_json,
        ];
        let key: SharedAt = (
            std::ptr::from_ref(v).cast::<()>() as usize,
            std::any::type_name::<T>(),
            place,
        );
        if let Some(&found) = self.seen.shared.get(&key) {
            self.maybe |= found;
            return Ok(());
        }
        let before = std::mem::replace(&mut self.maybe, false);
        let written = self.if_written.len();
        v.serialize(&mut *self)?;
        // A value whose reading left values to look up in the site is read
        // again at its next place (never so in the objects' types).
        if self.if_written.len() == written {
            self.seen.shared.insert(key, self.maybe);
        }
        self.maybe |= before;
        Ok(())
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
        name: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        if name == crate::lower::k8s::SHARED {
            return self.shared(v);
        }
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
mod tests;
