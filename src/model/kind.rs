//! The component kinds, and what each one is: one table that check, lower,
//! the NetworkPolicies and policy read, so that adding a kind is adding a
//! row here and a schema in the stdlib, and the compiler lists every match
//! that must learn it (matches over [`Kind`] and [`super::Spec`] have no
//! wildcard arm: `clippy::wildcard_enum_match_arm` is denied in lib.rs).

/// The component kinds of the language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Site,
    Server,
    Pool,
    Worker,
    Agent,
    Exporter,
}

/// Whether a kind's pods start flow-run pods of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartsJobs {
    Never,
    Always,
    /// A worker: when its type runs flow runs as Kubernetes Jobs.
    ByWorkerType,
}

/// What a component kind is.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// The keyword that declares one: `worker`.
    pub keyword: &'static str,
    /// Its schema in the stdlib: `Worker`.
    pub schema: &'static str,
    /// `app.kubernetes.io/name` of its pods, for a kind that runs pods.
    pub app: Option<&'static str>,
    /// Its pods talk to a Prefect API (its `api` field).
    pub api_client: bool,
    pub starts_jobs: StartsJobs,
}

const KINDS: [KindInfo; 6] = [
    KindInfo {
        kind: Kind::Site,
        keyword: "site",
        schema: "Site",
        app: None,
        api_client: false,
        starts_jobs: StartsJobs::Never,
    },
    KindInfo {
        kind: Kind::Server,
        keyword: "server",
        schema: "Server",
        app: Some("prefect-server"),
        api_client: false,
        starts_jobs: StartsJobs::Never,
    },
    KindInfo {
        kind: Kind::Pool,
        keyword: "pool",
        schema: "Pool",
        app: None,
        api_client: false,
        starts_jobs: StartsJobs::Never,
    },
    KindInfo {
        kind: Kind::Worker,
        keyword: "worker",
        schema: "Worker",
        app: Some("prefect-worker"),
        api_client: true,
        starts_jobs: StartsJobs::ByWorkerType,
    },
    KindInfo {
        kind: Kind::Agent,
        keyword: "agent",
        schema: "Agent",
        app: Some("prefect-agent"),
        api_client: true,
        starts_jobs: StartsJobs::Always,
    },
    KindInfo {
        kind: Kind::Exporter,
        keyword: "exporter",
        schema: "Exporter",
        app: Some("prometheus-prefect-exporter"),
        api_client: true,
        starts_jobs: StartsJobs::Never,
    },
];

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Site,
        Kind::Server,
        Kind::Pool,
        Kind::Worker,
        Kind::Agent,
        Kind::Exporter,
    ];

    /// The kind's row of the table.
    pub fn info(self) -> &'static KindInfo {
        let i = match self {
            Kind::Site => 0,
            Kind::Server => 1,
            Kind::Pool => 2,
            Kind::Worker => 3,
            Kind::Agent => 4,
            Kind::Exporter => 5,
        };
        &KINDS[i]
    }

    /// The kind a keyword declares.
    pub fn parse(keyword: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.keyword == keyword).map(|k| k.kind)
    }

    /// The kind whose stdlib schema is `schema`.
    pub fn of_schema(schema: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.schema == schema).map(|k| k.kind)
    }

    pub fn as_str(self) -> &'static str {
        self.info().keyword
    }

    /// `app.kubernetes.io/name` of the kind's pods; the keyword for a kind
    /// without pods.
    pub fn app(self) -> &'static str {
        self.info().app.unwrap_or(self.info().keyword)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_row() {
        for k in Kind::ALL {
            assert_eq!(k.info().kind, k);
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(Kind::of_schema(k.info().schema), Some(k));
        }
    }

    #[test]
    fn every_schema_of_a_kind_is_a_stdlib_component() {
        let types = &crate::stdlib().types;
        for k in Kind::ALL {
            assert_eq!(
                types.components.get(&k).copied(),
                Some(k.info().schema),
                "{k:?}"
            );
        }
    }
}
