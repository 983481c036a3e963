//! Image references, after the OCI distribution reference grammar:
//! `[registry/]path[:tag][@digest]`.
//!
//! The first `/`-separated component is a registry host only if it contains
//! `.` or `:` or is `localhost` (as Docker reads `prefecthq/prefect`: a
//! repository on Docker Hub). Every component of the path is lower-case
//! letters and digits joined by `.`, `_`, `__` or dashes.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest, registry included.
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// What is wrong with a malformed reference, and the reference as it was
/// probably meant, when that can be guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub message: String,
    pub suggestion: Option<String>,
}

fn err(message: impl Into<String>) -> ImageError {
    ImageError {
        message: message.into(),
        suggestion: None,
    }
}

/// Parses an image reference, saying what is wrong with a malformed one.
pub fn parse(s: &str) -> Result<ImageRef<'_>, ImageError> {
    if s.is_empty() {
        return Err(err("an image reference cannot be empty"));
    }
    let whitespace = if s.is_ascii() {
        // `char::is_whitespace` of the ASCII characters, without decoding.
        s.bytes()
            .any(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
    } else {
        s.chars().any(char::is_whitespace)
    };
    if whitespace {
        return Err(err("an image reference has no spaces"));
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => {
            let ok = d.split_once(':').is_some_and(|(alg, hex)| {
                !alg.is_empty() && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
            });
            if !ok {
                return Err(err(format!("`{d}` is not a digest (`sha256:` and hex)")));
            }
            (r, Some(d))
        }
        None => (s, None),
    };
    // A colon after the last slash separates the tag; one before it is a registry port.
    let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repository, tag) = match rest[last_slash..].find(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag
        && t.contains(':')
    {
        // Tags are usually joined with `-`: `3.4.25-python3.12`.
        return Err(ImageError {
            suggestion: Some(format!("{repository}:{}", t.replace(':', "-"))),
            ..err("more than one `:tag`")
        });
    }
    // The path after the registry host, if the first component is one;
    // its components are `path.split('/')` (read again rather than kept).
    let (registry, path) = match repository.split_once('/') {
        Some((first, rest)) if names_registry(repository) => (Some(first), rest),
        _ => (None, repository),
    };
    let components = || path.split('/');
    if let Some(host) = registry {
        registry_host(host)?;
    }
    if components().any(str::is_empty) {
        return Err(err(
            "the repository name is missing or has an empty component",
        ));
    }
    if path.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = path.to_ascii_lowercase();
        let mut fixed = match registry {
            Some(host) => format!("{host}/{lower}"),
            None => lower,
        };
        if let Some(t) = tag {
            fixed = format!("{fixed}:{t}");
        }
        if let Some(d) = digest {
            fixed = format!("{fixed}@{d}");
        }
        let first = components().next().unwrap_or_default();
        let why = if registry.is_none()
            && path.contains('/')
            && first.bytes().any(|b| b.is_ascii_uppercase())
        {
            format!(
                "repository names are lower-case; `{first}` is not a registry host \
                 (no `.` or `:`)"
            )
        } else {
            "repository names are lower-case".to_string()
        };
        return Err(ImageError {
            suggestion: Some(fixed),
            ..err(why)
        });
    }
    if let Some(c) = components().find(|c| !path_component(c)) {
        return Err(err(format!(
            "`{c}` is not a repository name: letters and digits joined by `.`, `_`, `__` or `-`"
        )));
    }
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && !t.starts_with(['.', '-'])
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return Err(err(format!("`{t}` is not a valid tag")));
        }
    }
    Ok(ImageRef {
        repository,
        tag,
        digest,
    })
}

/// The reference as pulled through a mirror of Docker Hub (`registry` is
/// `mirror.example.com/`, with its slash): Docker Hub's official images live
/// under `library/` (`postgres:17.2` is `docker.io/library/postgres:17.2`),
/// so a pull-through mirror serves them as `mirror.example.com/library/postgres:17.2`.
/// A reference that names its own registry is not on Docker Hub and is
/// returned as it is.
pub fn mirrored(registry: &str, reference: &str) -> String {
    let Ok(image) = parse(reference) else {
        return reference.to_string();
    };
    if registry.is_empty() || names_registry(image.repository) {
        return reference.to_string();
    }
    let library = if image.repository.contains('/') {
        ""
    } else {
        "library/"
    };
    format!("{registry}{library}{reference}")
}

/// Whether the repository's first component is a registry host.
pub fn names_registry(repository: &str) -> bool {
    match repository.split_once('/') {
        Some((first, _)) => first.contains('.') || first.contains(':') || first == "localhost",
        None => false,
    }
}

/// `host[:port]`: DNS labels of letters, digits and `-`, and a numeric port.
fn registry_host(host: &str) -> Result<(), ImageError> {
    let (name, port) = match host.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let labels_ok = !name.is_empty()
        && name.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if labels_ok && port_ok {
        Ok(())
    } else {
        Err(err(format!("`{host}` is not a registry host")))
    }
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or one or more `-`.
fn path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    if !bytes.first().is_some_and(|b| alnum(*b)) || !bytes.last().is_some_and(|b| alnum(*b)) {
        return false;
    }
    let mut separator = String::new();
    for &b in bytes {
        if alnum(b) {
            let ok = matches!(separator.as_str(), "" | "." | "_" | "__")
                || separator.bytes().all(|s| s == b'-');
            if !ok {
                return false;
            }
            separator.clear();
        } else if b"._-".contains(&b) {
            separator.push(b as char);
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_digests_and_ports() {
        let i = parse("prefecthq/prefect:3.4.25-python3.12").unwrap();
        assert_eq!(
            (i.repository, i.tag),
            ("prefecthq/prefect", Some("3.4.25-python3.12"))
        );
        let i = parse("registry:5000/acme/etl").unwrap();
        assert_eq!((i.repository, i.tag), ("registry:5000/acme/etl", None));
        let i = parse("localhost/etl:1").unwrap();
        assert_eq!((i.repository, i.tag), ("localhost/etl", Some("1")));
        assert!(parse("ghcr.io/a/b:1@sha256:8f3c1b2a9e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b").is_ok());
        assert!(parse("Registry.Example.com/acme/etl").is_ok());
        assert!(parse("my_org/my__app/a-b--c.d").is_ok());
    }

    #[test]
    fn mirrors_docker_hub_references_only() {
        let m = "mirror.example.com/";
        assert_eq!(
            mirrored(m, "postgres:17.2"),
            "mirror.example.com/library/postgres:17.2"
        );
        assert_eq!(
            mirrored(m, "prefecthq/prometheus-prefect-exporter:1.1.0"),
            "mirror.example.com/prefecthq/prometheus-prefect-exporter:1.1.0"
        );
        assert_eq!(mirrored(m, "ghcr.io/acme/etl:1"), "ghcr.io/acme/etl:1");
        assert_eq!(mirrored(m, "localhost/etl:1"), "localhost/etl:1");
        assert_eq!(mirrored("", "postgres:17.2"), "postgres:17.2");
    }

    /// The ASCII fast path of the whitespace check answers as
    /// `char::is_whitespace` does, and the other characters still count.
    #[test]
    fn whitespace_is_refused_as_unicode_defines_it() {
        let spaced = |e: Result<ImageRef, ImageError>| {
            e.is_err_and(|e| e.message == "an image reference has no spaces")
        };
        for c in (0..=0x7F_u8)
            .map(char::from)
            .chain(['\u{85}', '\u{a0}', '\u{3000}', 'é'])
        {
            let text = format!("acme/etl{c}x:1");
            assert_eq!(spaced(parse(&text)), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn refuses_what_the_grammar_does() {
        assert!(parse("a b").is_err());
        assert!(parse("acme/X:1").is_err());
        // Without `.`, `:` or `localhost` the first component is part of the path.
        let e = parse("PrefectHQ/exporter:1.1.0").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("prefecthq/exporter:1.1.0"));
        assert!(parse("Prefect").is_err());
        let e = parse("a:1:2").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("a:1-2"));
        assert!(parse("ghcr.io/a:1:2").is_err());
        assert!(parse("acme/-etl").is_err());
        assert!(parse("acme/etl..x").is_err());
        assert!(parse("acme/etl___x").is_err());
        assert!(parse("reg:port/etl").is_err());
        assert!(parse("acme//etl").is_err());
        assert!(parse("acme/etl:.1").is_err());
    }
}
