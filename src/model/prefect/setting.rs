//! The Prefect settings prefectc writes, each with the environment names
//! Prefect has read it under. Which name a release reads, and whether it
//! reads one at all, comes from the catalogue of its line, never from
//! version numbers written here.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::catalogue::{Catalogue, Status};
use super::version::Version;
use crate::map::HashMap;

macro_rules! settings {
    ($($(#[$doc:meta])* $variant:ident => [$($name:literal),+ $(,)?],)*) => {
        /// A Prefect setting prefectc derives from the site.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Setting {
            $($(#[$doc])* $variant,)*
        }

        impl Setting {
            pub const ALL: &'static [Setting] = &[$(Setting::$variant,)*];

            /// Its environment names, in order of preference: the one the
            /// official charts write first, so output does not change
            /// between releases that read both.
            pub fn names(self) -> &'static [&'static str] {
                match self {
                    $(Setting::$variant => &[$($name),+],)*
                }
            }
        }
    };
}

settings! {
    /// The API a client talks to.
    ApiUrl => ["PREFECT_API_URL"],
    ApiEnableHttp2 => ["PREFECT_API_ENABLE_HTTP2"],
    /// A Prefect Cloud API key.
    ApiKey => ["PREFECT_API_KEY"],
    /// The client's `user:password` for a server with basic auth.
    ApiAuthString => ["PREFECT_API_AUTH_STRING"],
    /// The server's `user:password` (basic auth).
    ServerAuthString => ["PREFECT_SERVER_API_AUTH_STRING"],
    ServerHost => ["PREFECT_SERVER_API_HOST"],
    ServerPort => ["PREFECT_SERVER_API_PORT"],
    /// The path the API is served under.
    ServerBasePath => ["PREFECT_SERVER_API_BASE_PATH"],
    DatabaseConnectionUrl => [
        "PREFECT_SERVER_DATABASE_CONNECTION_URL",
        "PREFECT_API_DATABASE_CONNECTION_URL",
    ],
    DatabaseDriver => ["PREFECT_SERVER_DATABASE_DRIVER", "PREFECT_API_DATABASE_DRIVER"],
    DatabaseHost => ["PREFECT_SERVER_DATABASE_HOST", "PREFECT_API_DATABASE_HOST"],
    DatabasePort => ["PREFECT_SERVER_DATABASE_PORT", "PREFECT_API_DATABASE_PORT"],
    DatabaseName => ["PREFECT_SERVER_DATABASE_NAME", "PREFECT_API_DATABASE_NAME"],
    DatabaseUser => ["PREFECT_SERVER_DATABASE_USER", "PREFECT_API_DATABASE_USER"],
    DatabasePassword => ["PREFECT_SERVER_DATABASE_PASSWORD", "PREFECT_API_DATABASE_PASSWORD"],
    DatabaseMigrateOnStart => [
        "PREFECT_SERVER_DATABASE_MIGRATE_ON_START",
        "PREFECT_API_DATABASE_MIGRATE_ON_START",
    ],
    UiApiUrl => ["PREFECT_UI_API_URL"],
    UiStaticDirectory => ["PREFECT_UI_STATIC_DIRECTORY"],
    UiEnabled => ["PREFECT_UI_ENABLED", "PREFECT_SERVER_UI_ENABLED"],
    DebugMode => ["PREFECT_DEBUG_MODE"],
    ServerLogLevel => ["PREFECT_LOGGING_SERVER_LEVEL", "PREFECT_SERVER_LOGGING_LEVEL"],
    MessagingBroker => ["PREFECT_MESSAGING_BROKER"],
    MessagingCache => ["PREFECT_MESSAGING_CACHE"],
    EventsCausalOrdering => ["PREFECT_SERVER_EVENTS_CAUSAL_ORDERING"],
    ConcurrencyLeaseStorage => ["PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE"],
    /// The Redis URL background services coordinate through (Docket).
    DocketUrl => ["PREFECT_SERVER_DOCKET_URL"],
    CloudApiUrl => ["PREFECT_CLOUD_API_URL"],
    CloudUiUrl => ["PREFECT_CLOUD_UI_URL"],
    WorkerQuerySeconds => ["PREFECT_WORKER_QUERY_SECONDS"],
    WorkerPrefetchSeconds => ["PREFECT_WORKER_PREFETCH_SECONDS"],
    WorkerWebserverPort => ["PREFECT_WORKER_WEBSERVER_PORT"],
    AgentQueryInterval => ["PREFECT_AGENT_QUERY_INTERVAL"],
    AgentPrefetchSeconds => ["PREFECT_AGENT_PREFETCH_SECONDS"],
}

/// A setting the release does not read: the first release after it that
/// does (it is newer than the release), or else the last before it that
/// did (it was dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotRead {
    pub setting: Setting,
    pub first: Option<Version>,
    pub last: Option<Version>,
}

/// The name a release reads a setting under, or why it reads none.
pub type EnvName = Result<&'static str, NotRead>;

impl Setting {
    /// The setting one of whose names is `name`.
    pub fn of_name(name: &str) -> Option<Setting> {
        // Asked of every variable of every workload: a scan of every name
        // of every setting was most of a worker's settings work.
        static BY_NAME: OnceLock<HashMap<&'static str, Setting>> = OnceLock::new();
        BY_NAME
            .get_or_init(|| {
                let mut by_name = HashMap::default();
                for &setting in Setting::ALL {
                    for &n in setting.names() {
                        // The first setting that has the name, as a scan finds.
                        by_name.entry(n).or_insert(setting);
                    }
                }
                by_name
            })
            .get(name)
            .copied()
    }

    /// The name the release `at` reads the setting under: the first of
    /// [`Setting::names`] it reads and does not call deprecated, else the
    /// first it reads at all.
    pub fn env_name(self, at: Version) -> EnvName {
        // A pure function of the embedded catalogues, asked for every
        // variable of every workload of a site that pins one release.
        thread_local! {
            static KNOWN: RefCell<HashMap<(Setting, Version), EnvName>> = RefCell::default();
        }
        if let Some(known) = KNOWN.with_borrow(|k| k.get(&(self, at)).copied()) {
            return known;
        }
        let name = self.env_name_in_catalogue(at);
        KNOWN.with_borrow_mut(|k| k.insert((self, at), name));
        name
    }

    /// [`Setting::env_name`], read from the catalogue.
    fn env_name_in_catalogue(self, at: Version) -> EnvName {
        let catalogue = Catalogue::of(at);
        let rows = || {
            self.names()
                .iter()
                .filter_map(move |n| catalogue.lookup(n, at).map(|r| (*n, r.status)))
        };
        rows()
            .find(|(_, status)| *status != Status::Deprecated)
            .or_else(|| rows().next())
            .map(|(name, _)| name)
            .ok_or_else(|| {
                let first = self.first_release().filter(|f| *f > at);
                let last = first.is_none().then(|| self.last_release(at)).flatten();
                NotRead {
                    setting: self,
                    first,
                    last,
                }
            })
    }

    /// The last release before `at` that reads the setting under any of its
    /// names.
    pub fn last_release(self, at: Version) -> Option<Version> {
        self.names()
            .iter()
            .filter_map(|n| Catalogue::last_release_reading(n, at))
            .max()
    }

    /// The first release that reads the setting under any of its names.
    pub fn first_release(self) -> Option<Version> {
        self.names()
            .iter()
            .filter_map(|n| Catalogue::first_release_reading(n))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index finds what a scan of every setting's names finds, and the
    /// remembered names are the catalogue's, asked twice, for every setting
    /// at the first, a middle and the newest release of every line.
    #[test]
    fn remembered_answers_are_the_catalogues() {
        let scan = |name: &str| {
            Setting::ALL
                .iter()
                .copied()
                .find(|s| s.names().contains(&name))
        };
        for &setting in Setting::ALL {
            for &name in setting.names() {
                assert_eq!(Setting::of_name(name), scan(name), "{name}");
                assert_eq!(
                    Setting::of_name(name).map(|s| s.names().contains(&name)),
                    Some(true)
                );
            }
        }
        for name in ["", "PREFECT_", "PREFECT_API_UR", "prefect_api_url", "HOME"] {
            assert_eq!(Setting::of_name(name), None, "{name}");
        }
        let releases: Vec<Version> = Catalogue::lines()
            .flat_map(|l| [l.first(), Version::new(l.major, l.minor, 7)])
            .chain(Catalogue::lines().filter_map(|l| Catalogue::newest(l.major, Some(l.minor))))
            .collect();
        for &setting in Setting::ALL {
            for &at in &releases {
                let read = setting.env_name_in_catalogue(at);
                assert_eq!(setting.env_name(at), read, "{setting:?} at {at:?}");
                assert_eq!(setting.env_name(at), read, "{setting:?} at {at:?}, again");
            }
        }
    }

    /// A setting a release does not read names the release to move to: the
    /// first after it that reads the setting, or, when the setting was
    /// dropped, the last before it that did (never "raise to" an older one).
    #[test]
    fn a_setting_not_read_names_the_nearest_release_that_reads_it() {
        let dropped = Setting::AgentQueryInterval.env_name(Version::new(3, 4, 25));
        let last = Catalogue::newest(2, None);
        assert_eq!(
            dropped,
            Err(NotRead {
                setting: Setting::AgentQueryInterval,
                first: None,
                last,
            })
        );
        let newer = Setting::ServerBasePath.env_name(Version::new(2, 20, 14));
        let first = Setting::ServerBasePath.first_release();
        assert!(first.is_some_and(|f| f > Version::new(2, 20, 14)));
        assert_eq!(
            newer,
            Err(NotRead {
                setting: Setting::ServerBasePath,
                first,
                last: None,
            })
        );
    }

    /// Every name here is one some supported release reads: a typo in the
    /// table cannot hide behind another name of the same setting.
    #[test]
    fn every_name_is_read_by_some_release() {
        for s in Setting::ALL {
            for name in s.names() {
                assert!(
                    Catalogue::first_release_reading(name).is_some(),
                    "{s:?}: no supported Prefect reads `{name}`"
                );
            }
        }
    }

    #[test]
    fn each_release_gets_its_own_names() {
        let v2 = Version::new(2, 20, 14);
        let v3 = Version::new(3, 4, 25);
        assert_eq!(
            Setting::DatabaseConnectionUrl.env_name(v2),
            Ok("PREFECT_API_DATABASE_CONNECTION_URL")
        );
        assert_eq!(
            Setting::DatabaseConnectionUrl.env_name(v3),
            Ok("PREFECT_SERVER_DATABASE_CONNECTION_URL")
        );
        let auth = Setting::ServerAuthString.env_name(v2).unwrap_err();
        assert!(auth.first.is_some_and(|f| f.major == 3), "{auth:?}");
        assert!(Setting::DocketUrl.env_name(v3).is_err());
    }
}
