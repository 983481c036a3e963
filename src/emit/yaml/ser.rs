//! The serde [`Serializer`](serde::Serializer): writing any `Serialize`
//! value directly, without building a `Value` first.

use serde_json::Number;

use super::pad;
use super::scalar::{write_field_name, write_number, write_scalar};

/// Writes `value` as one YAML document, laid out exactly like the test-only
/// reference writer (`reference::write`) does for the same value turned
/// into JSON.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(4096);
    write(value, &mut out)?;
    Ok(out)
}

/// Appends what [`to_string`] returns to `out`: a stream of documents
/// written through one buffer grows it once, not each document's string
/// from empty.
pub fn write<T: serde::Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), Error> {
    value.serialize(Ser { out, at: At::Root })
}

/// A value the writer cannot lay out (never produced by prefectc's types).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Where the next value goes.
#[derive(Clone, Copy)]
enum At {
    /// A whole document.
    Root,
    /// After `key:` of a key at this indentation.
    MapValue(usize),
    /// After `- ` of a dash at this column.
    SeqItem(usize),
}

impl At {
    /// The place a shared value written here is known by
    /// ([`super::shared`]).
    fn place(self) -> super::shared::Place {
        match self {
            At::Root => (0, 0),
            At::MapValue(k) => (1, k),
            At::SeqItem(d) => (2, d),
        }
    }

    /// The indentation of a nested mapping's entries, and whether its first
    /// entry continues the current line.
    fn entries(self) -> (usize, bool) {
        match self {
            At::Root => (0, false),
            At::MapValue(k) => (k + 2, false),
            At::SeqItem(d) => (d + 2, true),
        }
    }

    /// The column of a nested sequence's dashes, and whether its first item
    /// continues the current line. Sequences in a mapping are not indented.
    fn items(self) -> (usize, bool) {
        match self {
            At::Root => (0, false),
            At::MapValue(k) => (k, false),
            At::SeqItem(d) => (d + 2, true),
        }
    }

    /// Where a literal block's lines go.
    fn block(self) -> usize {
        match self {
            At::Root => 2,
            At::MapValue(k) => k + 2,
            At::SeqItem(d) => d + 2,
        }
    }
}

struct Ser<'a> {
    out: &'a mut String,
    at: At,
}

impl Ser<'_> {
    /// A scalar written as-is, then the end of the line.
    fn raw(self, text: &str) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
        Ok(())
    }

    fn string(self, s: &str) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        write_scalar(self.out, s, self.at.block(), false);
        self.out.push('\n');
        Ok(())
    }

    fn number(self, n: impl Into<Number>) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        write_number(self.out, &n.into());
        self.out.push('\n');
        Ok(())
    }
}

/// A mapping or a sequence being written; `started` once it has an entry.
struct Compound<'a> {
    out: &'a mut String,
    at: At,
    started: bool,
    /// The indentation of the current key (maps), for its value.
    key_indent: usize,
}

impl Compound<'_> {
    /// Opens the next entry of a mapping: the line break and padding.
    fn next_entry(&mut self) {
        let (indent, inline) = self.at.entries();
        if !self.started {
            self.started = true;
            if let At::MapValue(_) = self.at {
                self.out.push('\n');
            }
            if !inline {
                pad(self.out, indent);
            }
        } else {
            pad(self.out, indent);
        }
        self.key_indent = indent;
    }

    /// Opens the next item of a sequence: the padding and the dash.
    fn next_item(&mut self) -> usize {
        let (indent, inline) = self.at.items();
        if !self.started {
            self.started = true;
            if let At::MapValue(_) = self.at {
                self.out.push('\n');
            }
            if !inline {
                pad(self.out, indent);
            }
        } else {
            pad(self.out, indent);
        }
        self.out.push_str("- ");
        indent
    }

    fn end_with(self, empty: &str) -> Result<(), Error> {
        if !self.started {
            if let At::MapValue(_) = self.at {
                self.out.push(' ');
            }
            self.out.push_str(empty);
            self.out.push('\n');
        }
        Ok(())
    }
}

/// Writes a mapping key (any scalar) as a string.
struct KeySer<'a> {
    out: &'a mut String,
    indent: usize,
}

macro_rules! key_from_display {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.out.push_str(&v.to_string());
            Ok(())
        })*
    };
}

impl serde::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = serde::ser::Impossible<(), Error>;
    type SerializeTuple = serde::ser::Impossible<(), Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Error>;
    type SerializeMap = serde::ser::Impossible<(), Error>;
    type SerializeStruct = serde::ser::Impossible<(), Error>;
    type SerializeStructVariant = serde::ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_scalar(self.out, v, self.indent, true);
        Ok(())
    }
    key_from_display!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char);
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes as a mapping key".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error("an enum as a mapping key".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error("a sequence as a mapping key".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error("a tuple as a mapping key".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error("a tuple as a mapping key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("an enum as a mapping key".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("a mapping as a mapping key".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error("a struct as a mapping key".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("an enum as a mapping key".into()))
    }
}

macro_rules! integers_as_numbers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.number(v)
        })*
    };
}

impl<'a> serde::Serializer for Ser<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = serde::ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.raw(if v { "true" } else { "false" })
    }
    integers_as_numbers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64);
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match Number::from_f64(v) {
            Some(n) => self.number(n),
            None => self.raw(if v.is_nan() {
                ".nan"
            } else if v > 0.0 {
                ".inf"
            } else {
                "-.inf"
            }),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        if name == super::shared::NAME {
            return super::shared::write(v, self.at.place(), self.out, |out| {
                v.serialize(Ser { out, at: self.at })
            });
        }
        v.serialize(self)
    }
    /// `{variant: value}`, as serde_json writes it.
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        use serde::ser::SerializeMap;
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, v)?;
        map.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound {
            out: self.out,
            at: self.at,
            started: false,
            key_indent: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("tuple variants".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("struct variants".into()))
    }
}

impl serde::ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let dash = self.next_item();
        v.serialize(Ser {
            out: self.out,
            at: At::SeqItem(dash),
        })
    }
    fn end(self) -> Result<(), Error> {
        self.end_with("[]")
    }
}

impl serde::ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeSeq::end(self)
    }
}

impl serde::ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeSeq::end(self)
    }
}

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next_entry();
        key.serialize(KeySer {
            out: self.out,
            indent: self.key_indent,
        })?;
        self.out.push(':');
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(Ser {
            out: self.out,
            at: At::MapValue(self.key_indent),
        })
    }
    fn end(self) -> Result<(), Error> {
        self.end_with("{}")
    }
}

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.next_entry();
        write_field_name(self.out, key, self.key_indent);
        self.out.push(':');
        serde::ser::SerializeMap::serialize_value(self, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeMap::end(self)
    }
}
