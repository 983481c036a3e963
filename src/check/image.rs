//! Image references: `[registry/]repository[:tag][@digest]`.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest, registry included.
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// Parses an image reference, saying what is wrong with a malformed one.
pub fn parse(s: &str) -> Result<ImageRef<'_>, String> {
    if s.is_empty() {
        return Err("an image reference cannot be empty".into());
    }
    if s.chars().any(|c| c.is_whitespace()) {
        return Err("an image reference has no spaces".into());
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => {
            let ok = d.split_once(':').is_some_and(|(alg, hex)| {
                !alg.is_empty() && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
            });
            if !ok {
                return Err(format!("`{d}` is not a digest (`sha256:` and hex)"));
            }
            (r, Some(d))
        }
        None => (s, None),
    };
    // A colon after the last slash separates the tag; one before it is a registry port.
    let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repository, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if repository.is_empty() || repository.ends_with('/') || repository.starts_with('/') {
        return Err("the repository name is missing".into());
    }
    if repository[repository.find('/').map(|i| i + 1).unwrap_or(0)..]
        .bytes()
        .any(|b| b.is_ascii_uppercase())
    {
        return Err("repository names are lower-case".into());
    }
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return Err(format!("`{t}` is not a valid tag"));
        }
    }
    Ok(ImageRef {
        repository,
        tag,
        digest,
    })
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
        assert!(parse("ghcr.io/a/b:1@sha256:8f3c1b2a9e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b").is_ok());
        assert!(parse("a b").is_err());
        assert!(parse("acme/X:1").is_err());
    }
}
