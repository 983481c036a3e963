//! Kubernetes' DNS-based syntaxes for the strings that name something:
//! hosts (`Host`, `RouteHost`), names of objects a field refers to
//! (`ObjectName`) and port names (`PortName`), as `k8s.io/apimachinery`
//! `validation` has them (`IsDNS1123Subdomain`,
//! `IsWildcardDNS1123Subdomain`, `IsValidPortName`). Each check returns the
//! problem and, when one can be guessed, the value made valid.

use super::labels::subdomain_ok;

/// The most characters of a DNS subdomain.
pub use super::labels::SUBDOMAIN_MAX;
/// The most characters of a port name (IANA_SVC_NAME).
pub const PORT_NAME_MAX: usize = 15;

/// What is wrong with a host, object name or port name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSyntax {
    /// The empty string.
    Empty,
    /// A URL where a host is expected; `host` is its host part, made valid
    /// when it can be.
    Url { host: Option<String> },
    /// `*.` where no wildcard is allowed; `host` is the name without it.
    Wildcard { host: String },
    /// An IP address where Kubernetes wants a DNS name.
    IpAddress,
    /// More characters than `max`.
    TooLong { max: usize, fixed: Option<String> },
    /// Characters or edges the syntax refuses.
    Characters { fixed: Option<String> },
    /// A port name without a letter.
    NoLetter,
    /// Not an IP address; `ip` is the address in it, if a port or scheme
    /// surrounds one.
    NotIp { ip: Option<String> },
    /// A registry written with a scheme; `rest` is what follows `://`.
    Scheme { rest: String },
    /// A registry whose first part an image reference does not read as a
    /// registry host (no `.` or `:`, not `localhost`).
    NotRegistry,
}

/// `s` lower-cased, every run of characters a DNS label may not have
/// replaced by one `-`, each dot-separated label trimmed of `-`, empty
/// labels dropped.
fn fixed_subdomain(s: &str) -> Option<String> {
    let labels: Vec<String> = s
        .to_ascii_lowercase()
        .split('.')
        .filter_map(|label| {
            let mut out = String::new();
            for c in label.chars() {
                let c = if c.is_ascii_alphanumeric() { c } else { '-' };
                if !(c == '-' && out.ends_with('-')) {
                    out.push(c);
                }
            }
            let out = out.trim_matches('-');
            (!out.is_empty()).then(|| out.to_string())
        })
        .collect();
    let joined = labels.join(".");
    // `subdomain_ok` refuses the empty name and one over 253 characters.
    subdomain_ok(&joined).then_some(joined)
}

/// The host part of a URL: what follows `scheme://`, without user
/// information, path, query, fragment and port.
fn host_of_url(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(bracketed) = host.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or(bracketed);
    }
    host.split(':').next().unwrap_or(host)
}

/// `host` when it is an IP address.
fn ip_in(host: &str) -> Option<String> {
    (is_ipv4(host) || is_ipv6(host)).then(|| host.to_string())
}

fn looks_like_url(s: &str) -> bool {
    s.contains("://") || s.contains('/') || s.contains(':') && !is_ipv6(s)
}

fn is_ipv6(s: &str) -> bool {
    s.parse::<std::net::Ipv6Addr>().is_ok()
}

fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

fn subdomain(s: &str) -> Result<(), NameSyntax> {
    if s.is_empty() {
        return Err(NameSyntax::Empty);
    }
    if s.len() > SUBDOMAIN_MAX {
        return Err(NameSyntax::TooLong {
            max: SUBDOMAIN_MAX,
            fixed: None,
        });
    }
    if !subdomain_ok(s) {
        return Err(NameSyntax::Characters {
            fixed: fixed_subdomain(s),
        });
    }
    Ok(())
}

/// A host a client connects to (a probe's, a database's): a DNS name or an
/// IP address, without scheme, path or port.
pub fn host(s: &str) -> Result<(), NameSyntax> {
    if is_ipv6(s) || is_ipv4(s) {
        return Ok(());
    }
    if looks_like_url(s) {
        let host = host_of_url(s);
        let host = ip_in(host).or_else(|| fixed_subdomain(host));
        return Err(NameSyntax::Url { host });
    }
    if let Some(rest) = s.strip_prefix("*.") {
        return Err(NameSyntax::Wildcard {
            host: rest.to_string(),
        });
    }
    // A fully qualified name may end with the root's `.`.
    subdomain(s.strip_suffix('.').unwrap_or(s))
}

/// An IP address (a name server of a pod's resolver).
pub fn ip_address(s: &str) -> Result<(), NameSyntax> {
    if is_ipv4(s) || is_ipv6(s) {
        return Ok(());
    }
    Err(NameSyntax::NotIp {
        ip: ip_in(host_of_url(s)),
    })
}

/// A host an Ingress or a Gateway routes: a DNS name, optionally with a
/// leading `*.` (one label of wildcard), never an IP address.
pub fn route_host(s: &str) -> Result<(), NameSyntax> {
    if looks_like_url(s) {
        let host = host_of_url(s);
        let host = if ip_in(host).is_some() {
            None
        } else {
            fixed_wildcard(host)
        };
        return Err(NameSyntax::Url { host });
    }
    if is_ipv4(s) || is_ipv6(s) {
        return Err(NameSyntax::IpAddress);
    }
    let (wild, name) = match s.strip_prefix("*.") {
        Some(rest) => ("*.", rest),
        None => ("", s),
    };
    match subdomain(name) {
        Ok(()) if s.len() <= SUBDOMAIN_MAX => Ok(()),
        Ok(()) => Err(NameSyntax::TooLong {
            max: SUBDOMAIN_MAX,
            fixed: None,
        }),
        Err(NameSyntax::Characters { fixed }) => Err(NameSyntax::Characters {
            fixed: fixed.map(|f| format!("{wild}{f}")),
        }),
        Err(e) => Err(e),
    }
}

fn fixed_wildcard(host: &str) -> Option<String> {
    match host.strip_prefix("*.") {
        Some(rest) => fixed_subdomain(rest).map(|f| format!("*.{f}")),
        None => fixed_subdomain(host),
    }
}

/// The name of an object a field refers to (a Secret, a ConfigMap, a
/// PriorityClass, a Gateway): a DNS subdomain.
pub fn object_name(s: &str) -> Result<(), NameSyntax> {
    subdomain(s)
}

/// A registry the images are pulled through (`registry.example.com`,
/// `registry.example.com:5000/mirror`): what an image reference starts
/// with, without a scheme.
pub fn registry(s: &str) -> Result<(), NameSyntax> {
    if let Some((_, rest)) = s.split_once("://") {
        return Err(NameSyntax::Scheme {
            rest: rest.trim_end_matches('/').to_string(),
        });
    }
    let trimmed = s.trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(NameSyntax::Empty);
    }
    let reference = format!("{trimmed}/prefecthq/prefect:3");
    match crate::model::image::parse(&reference) {
        Ok(image) if crate::model::image::names_registry(image.repository) => Ok(()),
        Ok(_) => Err(NameSyntax::NotRegistry),
        Err(_) => Err(NameSyntax::Characters { fixed: None }),
    }
}

/// A container or Service port name that containers name too: Kubernetes'
/// IANA_SVC_NAME, at most 15 lower-case letters, digits and `-`, with at
/// least one letter, no `-` at either end and no `--`.
pub fn port_name(s: &str) -> Result<(), NameSyntax> {
    if s.is_empty() {
        return Err(NameSyntax::Empty);
    }
    let fixed = || fixed_port_name(s);
    if s.chars().count() > PORT_NAME_MAX {
        return Err(NameSyntax::TooLong {
            max: PORT_NAME_MAX,
            fixed: fixed(),
        });
    }
    let chars_ok = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !chars_ok || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err(NameSyntax::Characters { fixed: fixed() });
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(NameSyntax::NoLetter);
    }
    Ok(())
}

/// `s` lower-cased, other characters as single `-`, trimmed and cut to 15.
fn fixed_port_name(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.to_ascii_lowercase().chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let mut cut: String = out.chars().take(PORT_NAME_MAX).collect();
    // Cut in the middle of a word: end at the word before it, if there is one.
    // (`out` is ASCII, so `cut.len()` is a character boundary; nothing
    // follows a name that was not cut.)
    let mid_word = out[cut.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        && cut.ends_with(|c: char| c.is_ascii_alphanumeric());
    if mid_word && let Some(dash) = cut.rfind('-') {
        cut.truncate(dash);
    }
    let cut = cut.trim_end_matches('-');
    (cut.bytes().any(|b| b.is_ascii_lowercase())).then(|| cut.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for ok in [
            "prefect.example.com",
            "localhost",
            "db",
            "10.0.0.5",
            "::1",
            "fd00::5",
            "a-b.c",
            &"a".repeat(63),
        ] {
            assert_eq!(host(ok), Ok(()), "{ok}");
        }
        let url = |h: &str| NameSyntax::Url {
            host: Some(h.to_string()),
        };
        assert_eq!(
            host("https://prefect.example.com"),
            Err(url("prefect.example.com"))
        );
        assert_eq!(
            host("https://user@Prefect.Example.com:8443/api?x#y"),
            Err(url("prefect.example.com"))
        );
        assert_eq!(host("db.internal:5432"), Err(url("db.internal")));
        assert_eq!(host("10.0.0.5:5432"), Err(url("10.0.0.5")));
        assert_eq!(
            host("prefect.example.com/api"),
            Err(url("prefect.example.com"))
        );
        assert_eq!(
            host("*.example.com"),
            Err(NameSyntax::Wildcard {
                host: "example.com".into()
            })
        );
        assert_eq!(host(""), Err(NameSyntax::Empty));
        assert_eq!(
            host("Prefect.Example.com"),
            Err(NameSyntax::Characters {
                fixed: Some("prefect.example.com".into())
            })
        );
        assert_eq!(
            host("-a.b-"),
            Err(NameSyntax::Characters {
                fixed: Some("a.b".into())
            })
        );
        assert_eq!(
            host("a..b"),
            Err(NameSyntax::Characters {
                fixed: Some("a.b".into())
            })
        );
        assert_eq!(host(&"a.".repeat(126)), Ok(()));
        assert!(host("a..").is_err());
        assert_eq!(
            host("postgres://[fd00::5]:5432/prefect"),
            Err(url("fd00::5"))
        );
        assert_eq!(host(&format!("{}.b", "a".repeat(251))), Ok(()));
        assert_eq!(
            host(&format!("{}.b", "a".repeat(252))),
            Err(NameSyntax::TooLong {
                max: 253,
                fixed: None
            })
        );
    }

    #[test]
    fn route_hosts() {
        for ok in ["prefect.example.com", "*.example.com", "x"] {
            assert_eq!(route_host(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            route_host("https://*.Example.com/"),
            Err(NameSyntax::Url {
                host: Some("*.example.com".into())
            })
        );
        assert_eq!(
            route_host("http://10.1.2.3/"),
            Err(NameSyntax::Url { host: None })
        );
        assert_eq!(route_host("10.1.2.3"), Err(NameSyntax::IpAddress));
        assert_eq!(route_host("::1"), Err(NameSyntax::IpAddress));
        assert_eq!(route_host(""), Err(NameSyntax::Empty));
        assert_eq!(route_host("*."), Err(NameSyntax::Empty));
        assert_eq!(
            route_host("*.A_b.com"),
            Err(NameSyntax::Characters {
                fixed: Some("*.a-b.com".into())
            })
        );
        assert_eq!(
            route_host("a.*.com"),
            Err(NameSyntax::Characters {
                fixed: Some("a.com".into())
            })
        );
        assert_eq!(route_host(&format!("*.{}.b", "a".repeat(249))), Ok(()));
        assert_eq!(
            route_host(&format!("*.{}.b", "a".repeat(250))),
            Err(NameSyntax::TooLong {
                max: 253,
                fixed: None
            })
        );
    }

    #[test]
    fn object_names() {
        for ok in ["shared", "tls.example-com", "a", &"a".repeat(253)] {
            assert_eq!(object_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(object_name(""), Err(NameSyntax::Empty));
        assert_eq!(
            object_name(&"a".repeat(254)),
            Err(NameSyntax::TooLong {
                max: 253,
                fixed: None
            })
        );
        assert_eq!(
            object_name("My_Secret"),
            Err(NameSyntax::Characters {
                fixed: Some("my-secret".into())
            })
        );
        assert_eq!(
            object_name("-"),
            Err(NameSyntax::Characters { fixed: None })
        );
    }

    #[test]
    fn ip_addresses() {
        for ok in ["10.0.0.10", "::1", "fd00::10"] {
            assert_eq!(ip_address(ok), Ok(()), "{ok}");
        }
        let not = |ip: Option<&str>| {
            Err(NameSyntax::NotIp {
                ip: ip.map(str::to_string),
            })
        };
        assert_eq!(ip_address("10.0.0.10:53"), not(Some("10.0.0.10")));
        assert_eq!(ip_address("udp://[fd00::10]:53"), not(Some("fd00::10")));
        assert_eq!(ip_address("dns.internal"), not(None));
        assert_eq!(ip_address("10.0.0.256"), not(None));
        assert_eq!(ip_address(""), not(None));
    }

    #[test]
    fn fully_qualified_hosts() {
        assert_eq!(host("cluster.local."), Ok(()));
        assert_eq!(host("."), Err(NameSyntax::Empty));
        assert!(host("cluster.local..").is_err());
    }

    #[test]
    fn registries() {
        for ok in [
            "registry.example.com",
            "registry.example.com/",
            "registry.example.com:5000/mirror/hub",
            "localhost:5000",
            "localhost",
        ] {
            assert_eq!(registry(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            registry("https://registry.example.com/mirror/"),
            Err(NameSyntax::Scheme {
                rest: "registry.example.com/mirror".into()
            })
        );
        assert_eq!(registry("mirror"), Err(NameSyntax::NotRegistry));
        assert_eq!(registry("/"), Err(NameSyntax::Empty));
        assert_eq!(
            registry("registry.example.com/Mirror"),
            Err(NameSyntax::Characters { fixed: None })
        );
    }

    #[test]
    fn port_names() {
        for ok in [
            "http",
            "a",
            "h2c",
            "tcp-postgresql",
            "a-b-c",
            "9a",
            &"p".repeat(15),
        ] {
            assert_eq!(port_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(port_name(""), Err(NameSyntax::Empty));
        assert_eq!(
            port_name(&"p".repeat(16)),
            Err(NameSyntax::TooLong {
                max: 15,
                fixed: Some("p".repeat(15))
            })
        );
        assert_eq!(
            port_name("prefect-api-http-port"),
            Err(NameSyntax::TooLong {
                max: 15,
                fixed: Some("prefect-api".into())
            })
        );
        assert_eq!(
            port_name("prefect-api-hx-port"),
            Err(NameSyntax::TooLong {
                max: 15,
                fixed: Some("prefect-api-hx".into())
            })
        );
        for (bad, fixed) in [
            ("-http", "http"),
            ("http-", "http"),
            ("a--b", "a-b"),
            ("HTTP", "http"),
            ("my_port", "my-port"),
        ] {
            assert_eq!(
                port_name(bad),
                Err(NameSyntax::Characters {
                    fixed: Some(fixed.into())
                }),
                "{bad}"
            );
        }
        assert_eq!(port_name("8080"), Err(NameSyntax::NoLetter));
        assert_eq!(port_name("1-2"), Err(NameSyntax::NoLetter));
        assert_eq!(port_name("--"), Err(NameSyntax::Characters { fixed: None }));
    }
}
