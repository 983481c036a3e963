//! Types, and the table of schemas, enums and unions read from the standard
//! library (built by `table.rs`).

use crate::map::IndexMap;

use super::lazy::Lazy;
use super::model::Kind;
use crate::resolve::Value;
use crate::resolve::tree::Doc;
use crate::source::Span;
use crate::syntax::ast::Expr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Prim {
    String,
    Int,
    Bool,
    Cpu,
    Memory,
    Duration,
    Percent,
    Port,
    DnsName,
    /// A host a client connects to: a DNS name or an IP address.
    Host,
    /// A host an Ingress or a Gateway routes: a DNS name, `*.` allowed.
    RouteHost,
    /// The name of a Kubernetes object a field refers to: a DNS subdomain.
    ObjectName,
    /// A port name containers carry too (IANA_SVC_NAME).
    PortName,
    /// A registry images are pulled through: `host[:port][/path]`.
    Registry,
    /// An IP address.
    IpAddress,
    /// A label key (`[prefix/]name`) a field names, such as a taint's or a
    /// topology key.
    LabelKey,
    Image,
    Url,
    Version,
    Secret,
    SecretName,
    ConfigMap,
    ConfigMapName,
}

impl Prim {
    pub(super) fn parse(s: &str) -> Option<Prim> {
        Some(match s {
            "String" => Prim::String,
            "Int" => Prim::Int,
            "Bool" => Prim::Bool,
            "Cpu" => Prim::Cpu,
            "Memory" => Prim::Memory,
            "Duration" => Prim::Duration,
            "Percent" => Prim::Percent,
            "Port" => Prim::Port,
            "DnsName" => Prim::DnsName,
            "Host" => Prim::Host,
            "RouteHost" => Prim::RouteHost,
            "ObjectName" => Prim::ObjectName,
            "PortName" => Prim::PortName,
            "Registry" => Prim::Registry,
            "LabelKey" => Prim::LabelKey,
            "IpAddress" => Prim::IpAddress,
            "Image" => Prim::Image,
            "Url" => Prim::Url,
            "Version" => Prim::Version,
            "Secret" => Prim::Secret,
            "SecretName" => Prim::SecretName,
            "ConfigMap" => Prim::ConfigMap,
            "ConfigMapName" => Prim::ConfigMapName,
            _ => return None,
        })
    }

    /// A string whose text `check` judges by its format (`DnsName`,
    /// `Host`, `Url`, …).
    pub fn has_format(self) -> bool {
        matches!(
            self,
            Prim::DnsName
                | Prim::Host
                | Prim::RouteHost
                | Prim::ObjectName
                | Prim::PortName
                | Prim::Registry
                | Prim::IpAddress
                | Prim::Image
                | Prim::Url
                | Prim::Version
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Prim::String => "String",
            Prim::Int => "Int",
            Prim::Bool => "Bool",
            Prim::Cpu => "Cpu",
            Prim::Memory => "Memory",
            Prim::Duration => "Duration",
            Prim::Percent => "Percent",
            Prim::Port => "Port",
            Prim::DnsName => "DnsName",
            Prim::Host => "Host",
            Prim::RouteHost => "RouteHost",
            Prim::ObjectName => "ObjectName",
            Prim::PortName => "PortName",
            Prim::Registry => "Registry",
            Prim::LabelKey => "LabelKey",
            Prim::IpAddress => "IpAddress",
            Prim::Image => "Image",
            Prim::Url => "Url",
            Prim::Version => "Version",
            Prim::Secret => "Secret",
            Prim::SecretName => "SecretName",
            Prim::ConfigMap => "ConfigMap",
            Prim::ConfigMapName => "ConfigMapName",
        }
    }
}

pub use crate::check::model::Name;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Type {
    Prim(Prim),
    Enum(Name),
    Record(Name),
    Union(Name),
    Ref(Kind),
    List(Box<Type>),
    Map(Box<Type>),
    Optional(Box<Type>),
    /// An anonymous union, `Ref<Pool> | String`: the first alternative the value fits.
    Alt(Vec<Type>),
}

impl Type {
    /// How the type is written.
    pub fn display(&self) -> String {
        match self {
            Type::Prim(p) => p.name().to_string(),
            Type::Enum(n) | Type::Record(n) | Type::Union(n) => n.to_string(),
            Type::Ref(k) => format!("Ref<{}>", capitalise(k.as_str())),
            Type::List(t) => format!("[{}]", t.display()),
            Type::Map(t) => format!("{{String: {}}}", t.display()),
            Type::Optional(t) => format!("{}?", t.display()),
            Type::Alt(ts) => ts.iter().map(Type::display).collect::<Vec<_>>().join(" | "),
        }
    }

    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    pub fn strip_optional(&self) -> &Type {
        match self {
            Type::Optional(t) => t,
            t => t,
        }
    }
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FieldDef {
    pub name: Name,
    pub doc: Option<Doc>,
    pub ty: Type,
    /// Boxed, as few fields have a default or a constraint: inline, a
    /// `Value` (144 bytes) and an `Expr` (88) made every field of a decoded
    /// schema 328 bytes, and the schemas' field maps the largest part of a
    /// small build's heap (docs/performance.md, "Smaller schema fields").
    pub default: Option<Box<Value>>,
    pub constraint: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct SchemaDef {
    pub name: crate::check::model::FieldName,
    pub doc: Option<Doc>,
    pub fields: IndexMap<crate::check::model::FieldName, FieldDef>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct EnumDef {
    pub name: Name,
    pub doc: Option<Doc>,
    pub variants: Vec<(Name, Option<Doc>)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct UnionDef {
    pub name: Name,
    pub doc: Option<Doc>,
    pub variants: Vec<(Name, Option<Doc>, Type)>,
}

/// Every type the standard library declares.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Types {
    /// Decoded when first read (`super::lazy`).
    pub schemas: IndexMap<Name, Lazy<SchemaDef>>,
    pub enums: IndexMap<Name, EnumDef>,
    pub unions: IndexMap<Name, UnionDef>,
    /// Component kind → schema name.
    pub components: IndexMap<Kind, Name>,
}

impl Types {
    pub fn enum_has(&self, enum_name: &str, variant: &str) -> bool {
        self.enums
            .get(enum_name)
            .is_some_and(|e| e.variants.iter().any(|(v, _)| *v == variant))
    }
}
