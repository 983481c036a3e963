//! The stable diagnostic codes and their long explanations
//! (`prefectc explain CODE`), one Markdown file per code.

use super::Severity;
use super::rules::{self, Rule};

macro_rules! codes {
    ($($variant:ident = $code:literal, $title:literal;)*) => {
        /// A stable diagnostic code. Once released, a code never changes meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
            /// A finding of a policy rule: its id is the code.
            Rule(&'static Rule),
        }

        impl Code {
            /// The compiler's own codes (policy rules are in [`rules::CATALOGUE`]).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* Code::Rule(r) => r.id }
            }

            /// A few words naming the problem, for lists and SARIF rule names.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* Code::Rule(r) => r.summary }
            }

            fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explain/", $code, ".md")),)*
                    Code::Rule(r) => rules::explanation(r),
                }
            }
        }
    };
}

codes! {
    // E01xx syntax
    SyntaxError = "E0101", "syntax error";
    UnclosedDelimiter = "E0102", "unclosed or unmatched delimiter";
    InvalidEscape = "E0103", "invalid string escape";
    InvalidNumber = "E0104", "invalid number";
    NotUtf8 = "E0105", "file is not UTF-8";
    NestingTooDeep = "E0106", "nesting too deep";
    // E02xx names and imports
    UnresolvedName = "E0201", "unresolved name";
    DuplicateComponent = "E0202", "duplicate declaration";
    ImportOutsideRoot = "E0203", "import outside the project root";
    ImportNotFound = "E0204", "imported file cannot be read";
    ImportCycle = "E0205", "import cycle";
    UnknownKind = "E0206", "unknown component kind";
    UnknownTemplate = "E0207", "unknown or mismatched template";
    ExtendsCycle = "E0208", "template inheritance cycle";
    AmbiguousName = "E0209", "ambiguous name";
    SiteCount = "E0210", "not exactly one site";
    MissingParam = "E0211", "parameter has no value";
    MisplacedDeclaration = "E0212", "declaration not allowed here";
    // E03xx types and units
    UnknownField = "E0301", "unknown field";
    TypeMismatch = "E0302", "mismatched types";
    MissingField = "E0303", "missing required field";
    BadUnit = "E0304", "unit does not fit the field";
    ConstraintViolated = "E0305", "value out of range";
    LiteralSecret = "E0306", "credential written in source";
    UnknownVariant = "E0307", "unknown enum variant";
    InvalidAttribute = "E0308", "invalid attribute";
    DuplicateField = "E0309", "field set twice";
    InvalidFormat = "E0310", "malformed value";
    InvalidAppend = "E0311", "`+=` without a list to append to";
    InvalidOperation = "E0312", "operator not defined for these values";
    EvaluationBudget = "E0313", "evaluation budget exceeded";
    InvalidLabel = "E0314", "invalid label or annotation";
    // E04xx cross-component semantics
    PoolTypeMismatch = "E0401", "worker type differs from its pool";
    WorkerTypeRequired = "E0402", "worker type cannot be inferred";
    SqliteScaling = "E0403", "SQLite server cannot scale";
    ExposureConflict = "E0404", "mutually exclusive settings";
    SplitWithoutRedis = "E0405", "separate background services without Redis";
    AgentNeedsPrefect2 = "E0406", "agent in a Prefect 3 site";
    RootContradiction = "E0407", "runAsUser 0 with runAsNonRoot true";
    ObjectNameClash = "E0408", "two components emit the same object";
    UnsupportedVersion = "E0409", "version cannot be served";
    InvalidJobTemplate = "E0410", "base job template does not fit the worker";
    NotReadByRelease = "E0411", "setting not read by the pinned Prefect";
    UnknownPrefectSetting = "E0412", "unknown Prefect setting";
    DerivedVariable = "E0413", "variable set by prefectc";
    TemplateNamespaceOutside = "E0414", "flow-run Jobs outside the job namespaces";
    PoolTemplateConflict = "E0415", "workers write one pool different templates";
    FlowRunsNotKubernetes = "E0416", "flow-run settings on a pool that starts no Jobs";
    FlowRunsReplaced = "E0417", "a worker's template replaces the pool's flow-run settings";
    ExtendedResource = "E0418", "extended resource Kubernetes refuses";
    UnknownPlaceholder = "E0419", "template placeholder names no variable";
    NeedsSetting = "E0420", "setting without the setting it needs";
    // E06xx the manifests `prefectc diff` reads
    InvalidManifest = "E0601", "manifest cannot be read";
    DuplicateObject = "E0602", "object listed twice";
    // E07xx `prefectc import`: the Helm values it reads
    ValuesSyntax = "E0701", "values file or --set cannot be read";
    ValuesType = "E0702", "values key of the wrong type";
    FloatingTag = "E0703", "floating image tag without --prefect";
    ValuesRefused = "E0704", "values prefectc cannot import";
    IntoConflict = "E0705", "release does not fit the --into site";
    // E09xx the compiler itself
    InternalError = "E0901", "internal compiler error";
    // W05xx warnings
    AgentDeprecated = "W0501", "agents are deprecated";
    UnusedDeclaration = "W0502", "unused declaration";
    KubernetesVersionWindow = "W0503", "Kubernetes version outside the supported window";
    DeadWaiver = "W0504", "waiver matches no finding";
    IgnoredOnPlatform = "W0505", "setting ignored on this platform";
    BlockedEvictions = "W0506", "disruption budget allows no eviction";
    UnscopedKeySecret = "W0507", "API-key Secrets of an unnamed worker cannot be scoped";
    IgnoredForWorkerType = "W0508", "setting has no effect for this worker type";
    ServicesInEveryReplica = "W0510", "background services run in every server replica";
    WaiverExpiresSoon = "W0511", "waiver expires soon";
    LeftOutForRelease = "W0512", "setting left out for the pinned Prefect";
    DeprecatedPrefectSetting = "W0513", "deprecated Prefect setting";
    ExternalPoolTemplate = "W0514", "the pool's own template decides the job namespace";
    PrefectOutsideCatalogue = "W0515", "Prefect release outside the known lines";
    JobNamespaceNotCreated = "W0516", "a job namespace prefectc does not create";
    // W07xx `prefectc import`
    ValuesNotImported = "W0701", "values key not imported";
    ValuesNoEffect = "W0702", "values key has no effect in prefectc";
    ValuesCredential = "W0703", "credential in values not copied";
    ValuesPlaceholder = "W0704", "placeholder written for a value the site cannot hold";
    ValuesCompleted = "W0705", "value completed with what prefectc requires";
    ValuesWaived = "W0706", "policy rule waived to keep the chart's behaviour";
}

impl Code {
    /// The severity of the compiler's codes; a policy finding's severity
    /// depends on the profile and is set by the policy stage.
    pub fn severity(self) -> Severity {
        if matches!(self, Code::Rule(_)) || self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// A compiler code (`E0301`, any case) or a policy rule id (`pss/run-as-user`).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .or_else(|| rules::find(s).map(Code::Rule))
    }
}

/// The long explanation of a code, as Markdown.
pub fn explanation(code: &str) -> Option<&'static str> {
    Code::parse(code).map(Code::explanation)
}
