//! The problems `check` finds, as data: one variant per problem, carrying
//! what its message needs (spans, names, types, numbers), never a sentence.
//! All the wording of the stage — message, labels, help and notes — is in
//! the submodules' [`IntoDiagnostic`](crate::diagnostics::IntoDiagnostic)
//! impls: `values.rs` (values, names, the type table, the conversion),
//! `waivers.rs` (`@allow`), `rules.rs` (the cross-component rules) and
//! `constraint.rs` (the help of a violated constraint).

pub(super) mod constraint;
mod rules;
mod settings;
mod values;
mod waivers;

pub use values::used_here;

use crate::calendar::DateError;
use crate::check::dns::NameSyntax;
use crate::check::labels::MapKind;
use crate::check::model::Kind;
use crate::check::types::{FieldDef, Prim, Type};
use crate::check::units::UnitError;
use crate::resolve::{Value, ValueKind};
use crate::source::Span;

/// What was found where another type was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A bare name: said with the name.
    Name(String),
    /// Any other value: its description ("a string", "a list" …).
    Other(&'static str),
}

impl Found {
    pub fn of(v: &Value) -> Found {
        if let ValueKind::Name(n) = &v.kind {
            Found::Name(n.clone())
        } else {
            Found::Other(v.kind.describe())
        }
    }
}

/// What a type mismatch expected, with what its help needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A block of the schema `schema`.
    Block { schema: String },
    /// A list of `item`; `written` is the value as written, for the help
    /// that wraps it in a list.
    List { item: Type, written: String },
    /// A map.
    Map,
    /// A value of `ty`, said as the type is written.
    Type(Type),
    /// One key of a Secret, given the whole Secret `secret`.
    SecretKey { secret: String },
    /// A whole Secret, given one key of the Secret `secret`.
    WholeSecret { secret: String },
    /// A whole ConfigMap, given one key of the ConfigMap `config_map`.
    WholeConfigMap { config_map: String },
    /// A whole number, given a decimal; `whole` is its integer part.
    WholeNumber { whole: String },
    /// A primitive, with a fix when one can be guessed.
    Prim { prim: Prim, fix: Option<PrimFix> },
    /// A variant of the enum `name`, one of `variants`.
    Enum { name: String, variants: Vec<String> },
    /// A value of the union `name`, one of `alternatives`.
    Union {
        name: String,
        alternatives: Vec<UnionAlternative>,
    },
    /// The name of a component of `kind`.
    Reference(Kind),
}

/// How a primitive mismatch is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrimFix {
    /// A name where text is expected: quote it to use it as text.
    QuoteName(String),
    /// A number where text is expected: quote it.
    QuoteNumber(String),
    /// A quoted Int, Port, Bool or quantity whose text is a valid value
    /// of the type written unquoted: unquote it.
    Unquote(String),
}

/// One alternative of a union, as a mismatch lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnionAlternative {
    /// A reference to a component of this kind.
    Ref(Kind),
    /// A tagged block.
    Tagged(String),
}

/// Why a text is not a valid DnsName, Host, RouteHost, ObjectName,
/// PortName, Url, Version or Image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatProblem {
    /// A DNS label that is empty or longer than 63 characters.
    DnsLength,
    /// A DNS label with other characters; `fixed` is it made valid.
    DnsChars { fixed: String },
    /// A host, object name or port name that is not one.
    Name(NameSyntax),
    /// A URL whose scheme is not HTTP; `rest` is what follows `://`.
    UrlScheme { scheme: String, rest: String },
    /// A URL without a scheme.
    UrlNoScheme { text: String },
    /// A version that is not numbers separated by dots.
    Version,
    /// An image reference that does not parse: the image parser's message
    /// and its corrected reference, if it has one.
    Image {
        message: String,
        suggestion: Option<String>,
    },
}

/// Why a component's name cannot name Kubernetes objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Empty, or more than 63 characters.
    Length,
    /// Other characters than lower-case letters, digits and `-`.
    Characters,
    /// Starts with `-` or a digit, or ends with `-`.
    Edges,
}

/// Problems with the values of components: fields, types, names, member
/// accesses, labels and constraints; and the component's own name.
#[derive(Debug, Clone)]
pub enum ValueError {
    /// A component's name is no DNS label, so it cannot name its objects.
    InvalidComponentName {
        span: Span,
        name: String,
        problem: NameProblem,
    },
    /// A key of a labels or annotations map that Kubernetes refuses.
    InvalidLabelKey {
        span: Span,
        map: MapKind,
        key: String,
        why: String,
        fixed: Option<String>,
    },
    /// A label value that Kubernetes refuses.
    InvalidLabelValue {
        span: Span,
        key: String,
        why: String,
        fixed: Option<String>,
    },
    /// A label prefectc sets (`app.kubernetes.io/name`, …) written in the
    /// site's `labels` or a `pod-labels`.
    ReservedLabel {
        span: Span,
        key: String,
        use_: crate::model::labels::Reserved,
    },
    /// The annotations of one object hold more than 256 KiB.
    AnnotationsTooLarge { span: Span, bytes: usize },
    /// A field the block's schema does not have; `suggestion` is a close
    /// field name (or the kebab form of a camelCase one), `fields` all of
    /// them. `written`: the suggested field is set in the block too, so
    /// renaming the key would set it twice.
    UnknownField {
        span: Span,
        field: String,
        schema: String,
        suggestion: Option<String>,
        written: bool,
        fields: Vec<String>,
    },
    /// `none` given for a field that is not optional.
    CannotUnset { span: Span, field: String, ty: Type },
    /// `+=` on a field that is not a list.
    AppendToNonList { span: Span, field: String, ty: Type },
    /// `+=` on a field with nothing inherited and no default; `written` is
    /// the value appended, as written.
    NothingToAppendTo {
        span: Span,
        field: String,
        written: String,
    },
    /// A required field without a default is not written; `doc` is the
    /// first line of the field's doc comment.
    MissingField {
        span: Span,
        field: String,
        schema: String,
        ty: Type,
        doc: String,
    },
    /// A member access that leads back to itself; `round` lists the
    /// accesses of the cycle, the first one again last.
    MemberCycle {
        span: Span,
        access: String,
        round: Vec<String>,
    },
    /// A chain of member accesses longer than the limit.
    MemberChainTooDeep {
        span: Span,
        access: String,
        limit: usize,
    },
    /// A value of another type than the field's.
    TypeMismatch {
        span: Span,
        expected: Expected,
        found: Found,
    },
    /// A literal string where a Secret reference is expected.
    LiteralSecret { span: Span },
    /// A port outside 1–65535.
    PortOutOfRange { span: Span, port: i64 },
    /// An integer that does not fit in 64 bits.
    IntegerTooLarge { span: Span, number: String },
    /// A DnsName, Url, Version or Image whose text is not one.
    InvalidFormat {
        span: Span,
        prim: Prim,
        problem: FormatProblem,
    },
    /// A bare name, naming a component of `kind`, where a primitive is
    /// expected.
    ComponentForPrim {
        span: Span,
        prim: Prim,
        name: String,
        kind: String,
    },
    /// A number or quantity whose unit does not fit the primitive.
    BadUnit {
        span: Span,
        prim: Prim,
        error: UnitError,
    },
    /// A name that is no variant of the enum.
    UnknownEnumVariant {
        span: Span,
        variant: String,
        enum_name: String,
        variants: Vec<String>,
        suggestion: Option<String>,
    },
    /// A bare name that is both a variant of the enum and a component of
    /// `kind`, declared at `declared`.
    AmbiguousEnumName {
        span: Span,
        name: String,
        enum_name: String,
        kind: String,
        declared: Span,
    },
    /// A tag that is no variant of the union.
    UnknownUnionTag {
        span: Span,
        tag: String,
        union_name: String,
        tags: Vec<String>,
        suggestion: Option<String>,
    },
    /// A name of a component of `kind` (declared at `declared`), where a
    /// component of `wanted` is expected; `candidates` are the first
    /// components of the wanted kinds, and `more` the number of the others.
    WrongKind {
        span: Span,
        name: String,
        kind: String,
        declared: Span,
        wanted: Vec<Kind>,
        candidates: Vec<String>,
        more: usize,
    },
    /// A name that is no component of `kinds` (any, if empty), let or param.
    CannotFind {
        span: Span,
        name: String,
        kinds: Vec<Kind>,
        suggestion: Option<String>,
    },
    /// A member access to a field the component does not write.
    NoSuchMember {
        span: Span,
        component: String,
        member: String,
        kind: String,
        declared: Span,
    },
    /// An integer that does not satisfy its field's constraint; `nearest`
    /// is the closest value it allows.
    ConstraintViolated {
        span: Span,
        field: Box<FieldDef>,
        /// The constraint as written.
        constraint: String,
        value: i64,
        nearest: Option<i64>,
    },
}

/// The two kinds of profile that may be a file on the node.
/// What is wrong with an extended resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtendedProblem {
    /// Not `<domain>/<name>`, or in a domain Kubernetes keeps for itself.
    Name,
    /// A negative amount.
    Negative,
    /// A request without an equal limit (extended resources are not
    /// overcommitted); `limit` is the limit when there is one.
    RequestWithoutLimit { request: i64, limit: Option<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    Seccomp,
    AppArmor,
}

/// Problems of the type table read from the standard library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    /// A component schema of a kind the compiler cannot lower.
    NoLowering { span: Span, kind: String },
    /// A type name that names no schema, enum, union or built-in.
    UnknownType { span: Span, name: String },
    /// `Ref<X>` where `X` is no component kind.
    RefNamesNoKind { span: Span, name: String },
}

/// A checked value that does not fit its Rust type in the typed model: a
/// compiler bug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalMismatch {
    pub span: Span,
    pub kind: Kind,
    pub component: String,
    pub field: String,
    pub expected: &'static str,
    pub found: String,
}

/// Problems with `@…` attributes: `@allow` waivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverError {
    /// An attribute other than `@allow`.
    UnknownAttribute { span: Span, name: String },
    /// An argument of `@allow` that is not a string; `found` describes it.
    NotAString { span: Span, found: &'static str },
    /// A rule id of a rule that cannot be waived; `unconditional` when no
    /// profile turns it off either.
    NotWaivable {
        span: Span,
        rule: String,
        unconditional: bool,
    },
    /// A rule id that names no policy rule.
    UnknownRule {
        span: Span,
        rule: String,
        suggestion: Option<&'static str>,
    },
    /// `reason = ""`.
    EmptyReason { span: Span },
    /// `until` not written `YYYY-MM-DD`.
    UntilNotDate { span: Span, text: String },
    /// `until` written `YYYY-MM-DD`, naming a day the calendar does not have.
    UntilNoSuchDay {
        span: Span,
        text: String,
        error: DateError,
    },
    /// A named argument other than `reason`, `until` and `owner`.
    UnknownArgument { span: Span, name: String },
    /// A waiver without rule ids.
    NoRules { span: Span },
    /// A waiver without `reason`.
    NoReason { span: Span },
}

/// Why a disruption budget blocks every eviction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocking {
    /// `max-unavailable = 0`.
    NoneUnavailable,
    /// `min-available` covers the only pod.
    OnlyPod,
    /// `min-available` covers all of these pods.
    AllPods(i64),
}

/// The API of an agent, as the worker replacing it writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentApi {
    /// A reference to a component.
    Ref(String),
    /// An inline block with this tag.
    Inline(String),
    /// Not given.
    Unknown,
}

/// The worker that replaces an agent: what the help writes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentReplacement {
    pub name: String,
    pub api: AgentApi,
    pub pool: String,
    pub queues: Vec<String>,
    pub limit: Option<i64>,
}

/// Settings that need another setting, or that another turns off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    /// `migrations.enabled = false` on a server without separate background
    /// services, whose API pod migrates on start: there is no Job.
    MigrationsOffInServerPod { span: Span },
    /// `field` is written, but `what` is turned off at `off`.
    SettingOfDisabled {
        span: Span,
        field: String,
        off: Span,
        what: &'static str,
    },
    /// A negative group ID in `supplemental-groups`.
    NegativeGroup { span: Span, value: i64 },
    /// A setting of the background services' own pods on a server whose
    /// services run in its API pods.
    NeedsSeparateServices { span: Span, field: &'static str },
    /// A setting of a Gateway prefectc creates, on a gateway without `class`.
    NeedsGatewayClass { span: Span, field: &'static str },
    /// `namespace` (at `span`) on a gateway with `class`: the created
    /// Gateway is in the site's namespace.
    NamespaceOfCreatedGateway { span: Span, class: Span },
    /// `route = false` on a gateway without `class`: nothing is emitted.
    NothingToEmit { span: Span },
    /// `redirect-to-https = true` on a created Gateway without HTTPS.
    RedirectWithoutHttps { span: Span },
    /// A `postgres` block's `keys` without a `secret` to read them from.
    KeysWithoutSecret { span: Span },
    /// A `postgres` block with both a `url` and a `secret` of parts.
    PostgresUrlAndSecret { span: Span, url: Span },
    /// A part of a `postgres` connection written and also read from the
    /// Secret's `key`.
    PostgresPartTwice {
        span: Span,
        part: &'static str,
        key: String,
        secret: Span,
    },
}

/// Problems the cross-component rules find: what no single field's type
/// can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// No `site` in the build.
    NoSite,
    /// A second `site`; `first` is the first one's header.
    SecondSite { span: Span, first: Span },
    /// A Kubernetes version older than the API versions emitted;
    /// `supported` are the versions targeted.
    KubernetesTooOld {
        span: Span,
        version: String,
        supported: &'static [&'static str],
    },
    /// A Kubernetes version outside the supported window.
    KubernetesOutsideWindow {
        span: Span,
        version: String,
        supported: &'static [&'static str],
    },
    /// A worker whose type is not its pool's; `joins` is its `pool`,
    /// `pool_type_at` the pool's `type`.
    PoolTypeMismatch {
        span: Span,
        worker_type: String,
        pool_type: String,
        pool: String,
        joins: Span,
        pool_type_at: Span,
    },
    /// A worker without `type` joining a pool not declared in the site.
    UnknownPoolType {
        span: Span,
        pool: String,
        worker: Span,
        /// A declared pool whose name is close to `pool`.
        suggestion: Option<String>,
    },
    /// A SQLite server with more than one replica.
    SqliteReplicas { span: Span, database: Span },
    /// A SQLite server with a rolling update strategy.
    SqliteRollingUpdate { span: Span, database: Span },
    /// A SQLite server with autoscaling.
    SqliteAutoscaling { span: Span, database: Span },
    /// A server with both an Ingress (`ingress`) and a Gateway (at `span`).
    IngressAndGateway { span: Span, ingress: Span },
    /// A gateway with neither `class` nor `name`.
    GatewayTarget { span: Span },
    /// PostgreSQL with both `host` (at `span`) and `url`.
    PostgresUrlAndHost { span: Span, url: Span },
    /// PostgreSQL with neither `url` nor `host`.
    PostgresNoConnection { span: Span },
    /// PostgreSQL by parts without `password`.
    PostgresNoPassword { span: Span },
    /// Separate background services without Redis messaging.
    SplitWithoutRedis { span: Span },
    /// Separate background services on a Prefect older than 3.4.16.
    SplitNeedsNewerPrefect { span: Span },
    /// A startup or liveness probe with a success threshold other than 1.
    ProbeSuccessThreshold { span: Span, probe: &'static str },
    /// A server with several API pods running their own background services.
    ServicesInEveryReplica { span: Span },
    /// Separate background services (and their migrations Job) on SQLite,
    /// whose file lives in the API pod's volume.
    SqliteSplit { span: Span, database: Span },
    /// Several background-services replicas without Docket coordination.
    UncoordinatedServiceReplicas { span: Span, docket_since: String },
    /// A setting of a ClusterIP Service that only NodePort and LoadBalancer
    /// Services read; `type_at` is the Service's `type`, if written.
    ClusterIpSetting {
        span: Span,
        field: &'static str,
        type_at: Option<Span>,
    },
    /// An agent that would run Prefect 3; `site_prefect` is the site's
    /// `prefect`, if written.
    AgentOnPrefect3 {
        span: Span,
        replacement: AgentReplacement,
        site_prefect: Option<Span>,
    },
    /// A Prefect 2 agent: deprecated.
    AgentDeprecated {
        span: Span,
        replacement: AgentReplacement,
    },
    /// A base job template that is not JSON; `error` is the JSON parser's.
    TemplateNotJson { span: Span, error: String },
    /// A base job template that is JSON, but no object.
    TemplateNotObject { span: Span },
    /// A base job template without the `missing` objects.
    TemplateMissing {
        span: Span,
        missing: Vec<&'static str>,
        worker_type: Option<String>,
    },
    /// A kubernetes worker's template without a job manifest.
    TemplateNoJobManifest {
        span: Span,
        worker_type: String,
        type_at: Option<Span>,
    },
    /// A kubernetes worker's job manifest of another kind than Job.
    TemplateManifestNotJob {
        span: Span,
        kind: String,
        worker_type: String,
        type_at: Option<Span>,
    },
    /// A kubernetes template whose rendered Job manifest the worker's own
    /// validation refuses (paths missing, values it requires otherwise).
    TemplateRefusedByWorker {
        span: Span,
        missing: Vec<String>,
        incompatible: Vec<(String, String)>,
    },
    /// A container of a kubernetes template's rendered Job, other than the
    /// first (which the worker fills in), without an image.
    TemplateContainerWithoutImage {
        span: Span,
        /// Its JSON pointer in the manifest.
        path: String,
        /// Its name.
        container: String,
    },
    /// A job manifest in the template of a worker of another type.
    TemplateUnexpectedManifest {
        span: Span,
        worker_type: String,
        type_at: Option<Span>,
    },
    /// A kubernetes worker's template that creates Jobs in `namespace`
    /// (decided at `path` of the template), outside the namespaces where
    /// the worker may create Jobs (`allowed`).
    TemplateNamespaceOutside {
        span: Span,
        path: String,
        namespace: String,
        allowed: Vec<String>,
        /// `job-namespaces` when written (else the site's namespace is all).
        job_namespaces_at: Option<Span>,
    },
    /// A kubernetes worker of a pool declared outside the site, without a
    /// template of its own: the pool's template decides where Jobs run.
    ExternalPoolTemplate {
        span: Span,
        pool: String,
        namespace: String,
    },
    /// Two workers of one declared pool that would write it different base
    /// job templates.
    PoolTemplateConflict {
        span: Span,
        pool: String,
        worker: String,
        first_worker: String,
        first: Span,
    },
    /// With `create-namespace`, a job namespace the cluster creates itself:
    /// prefectc does not label it, so its Pod Security enforcement is the
    /// cluster's.
    JobNamespaceNotCreated {
        span: Span,
        namespace: String,
        create_namespace: Span,
    },
    /// A placeholder of a base job template's `job_configuration` that names
    /// no variable: Prefect's server refuses the template.
    UnknownPlaceholder {
        span: Span,
        placeholder: String,
        variables: Vec<String>,
        suggestion: Option<String>,
    },
    /// `flow-runs` on a pool whose type starts no Kubernetes Jobs.
    FlowRunsNotKubernetes {
        span: Span,
        pool: String,
        pool_type: String,
    },
    /// A worker's `base-job-template` for a pool whose `flow-runs` prefectc
    /// would write into the template.
    FlowRunsReplaced {
        span: Span,
        worker: String,
        pool: String,
        flow_runs: Span,
    },
    /// An extended resource (`"nvidia.com/gpu" = 1`) the API server refuses.
    ExtendedResource {
        span: Span,
        name: String,
        problem: ExtendedProblem,
    },
    /// A Prefect pin outside the release lines prefectc knows the settings
    /// of; `nearest` is the line it is checked as.
    PrefectOutsideCatalogue {
        span: Span,
        version: String,
        known: String,
        nearest: String,
    },
    /// A setting of the Kubernetes integration on a worker of another type.
    IgnoredForWorkerType {
        span: Span,
        field: &'static str,
        worker_type: String,
        type_at: Option<Span>,
    },
    /// `dns-policy = config-only` without name servers.
    DnsConfigOnlyWithoutServers { span: Span },
    /// A worker creating its API key Secret without a `name`.
    UnscopedKeySecret {
        span: Span,
        worker: Span,
        name: String,
    },
    /// A PrometheusRule with no alerts.
    PrometheusRuleNoAlerts { span: Span },
    /// An empty Cloud account or workspace ID.
    EmptyCloudId {
        span: Span,
        field: &'static str,
        api: String,
    },
    /// A Cloud account or workspace ID that is not a UUID.
    CloudIdNotUuid {
        span: Span,
        field: &'static str,
        value: String,
    },
    /// A customer-managed Cloud `api-url` that already names an account:
    /// the workspace URL, not the installation's API URL.
    CloudApiUrlWithWorkspace {
        span: Span,
        /// The URL before `/accounts/`.
        installation: String,
    },
    /// A self-hosted API URL with no path: the server's UI address.
    SelfHostedUrlWithoutPath { span: Span, url: String },
    /// Autoscaling `max` (at `span`) below `min`.
    AutoscalingMaxBelowMin {
        span: Span,
        min_at: Span,
        min: i64,
        max: i64,
    },
    /// A disruption budget that blocks every eviction.
    BlockingDisruptionBudget { span: Span, why: Blocking },
    /// A seccomp Localhost profile path that is absolute or leaves the
    /// kubelet's seccomp directory.
    SeccompPathNotRelative { span: Span, path: String },
    /// `seccomp = localhost` or `apparmor = localhost` (at `span`) without
    /// the pod's localhost profile; `container` when written in an extra
    /// container's `security`.
    LocalhostProfileMissing {
        span: Span,
        kind: ProfileKind,
        container: bool,
    },
    /// A localhost profile (at `span`) that no container of the pod uses:
    /// the type is not `localhost` (written at `type_at`, if it is).
    LocalhostProfileUnused {
        span: Span,
        kind: ProfileKind,
        type_at: Option<Span>,
    },
    /// A volume of the site named like one prefectc adds to the pods.
    VolumeNameTaken { span: Span, name: String },
    /// A volume mount naming no volume of the component; `volumes` are
    /// the names it has.
    UnknownVolume {
        span: Span,
        name: String,
        volumes: Vec<String>,
        suggestion: Option<String>,
    },
    /// A Pod Security admission label (at its value, `span`) in the site's
    /// `labels` with `create-namespace`; `policy` is where the site's policy
    /// is written, if it is.
    PodSecurityLabel {
        span: Span,
        key: String,
        policy: Option<Span>,
    },
    /// A wildcard host (`*.<domain>`) the UI's API URL would be derived from.
    WildcardUiHost { span: Span, domain: String },
    /// `run-as-non-root = true` (at `span`) with `run-as-user = 0`;
    /// `default_field` is the path of `run-as-non-root` when it is a default.
    RootContradiction {
        span: Span,
        user: Span,
        default_field: Option<String>,
    },
    /// A user or group ID written for OpenShift, which assigns them.
    IgnoredOnOpenShift { span: Span, field: &'static str },
    /// Two components of different kinds that would emit objects of one
    /// name; `first` is the other's name.
    ObjectNameClash {
        span: Span,
        name: String,
        kind: Kind,
        first_kind: Kind,
        first: Span,
    },
}
