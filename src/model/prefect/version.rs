//! Prefect release numbers: the version a site pins (`site.prefect`), or the
//! one an image tag names (`prefecthq/prefect:3.4.25-python3.12`).

use std::fmt;

/// `major.minor.patch`. Ordered as releases are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// `3.4.25`, or `3.4` (patch 0). Anything else, `3.4-latest` or
    /// `3.4.25rc1` included, is not a release number.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.');
        let number = |p: Option<&str>| -> Option<u32> {
            let p = p?;
            if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        let patch = match parts.next() {
            Some(p) => number(Some(p))?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version::new(major, minor, patch))
    }

    /// A version field checked to be numbers joined by dots (`site.prefect`,
    /// `site.kubernetes`): missing parts are 0, parts past the third are
    /// ignored, so `3` reads as `3.0.0`.
    pub fn lenient(text: &str) -> Version {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        Version::new(
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        )
    }

    /// The Prefect version an image tag names: the release number before the
    /// first `-` (`3.4.25-python3.12-kubernetes`). Floating tags (`3-latest`,
    /// `3.4-python3.12`) name no patch release: `None`.
    pub fn of_image_tag(tag: &str) -> Option<Version> {
        let release = tag.split('-').next()?;
        if release.split('.').count() != 3 {
            return None;
        }
        Version::parse(release)
    }

    /// The major version, and the minor when given, of a floating image tag
    /// that names no patch release: `(2, None)` for `2-latest` or
    /// `2-python3.11`, `(3, Some(3))` for `3.3-python3.12`. `None` for a
    /// release tag (see [`Version::of_image_tag`]) and for tags that name
    /// no version (`latest`, `main`).
    pub fn floating_of_image_tag(tag: &str) -> Option<(u32, Option<u32>)> {
        let release = tag.split('-').next()?;
        let release = release.strip_prefix('v').unwrap_or(release);
        let number = |p: &str| -> Option<u32> {
            if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let mut parts = release.split('.');
        let major = number(parts.next()?)?;
        let minor = match parts.next() {
            Some(p) => Some(number(p)?),
            None => None,
        };
        parts.next().is_none().then_some((major, minor))
    }

    /// The release line: `3.4` for `3.4.25`.
    pub fn line(self) -> Line {
        Line {
            major: self.major,
            minor: self.minor,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A release line, `major.minor`: the unit the settings catalogue has a file for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Line {
    pub major: u32,
    pub minor: u32,
}

impl Line {
    pub fn parse(text: &str) -> Option<Line> {
        let (major, minor) = text.split_once('.')?;
        Some(Line {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        })
    }

    /// The line's first release, `3.6.0`.
    pub fn first(self) -> Version {
        Version::new(self.major, self.minor, 0)
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_numbers_and_image_tags() {
        assert_eq!(Version::parse("3.4.25"), Some(Version::new(3, 4, 25)));
        assert_eq!(Version::parse("2.20"), Some(Version::new(2, 20, 0)));
        for not in [
            "3",
            "3.4-latest",
            "3.4.25rc1",
            "3.4.25.1",
            "",
            "3..1",
            "+3.4.1",
        ] {
            assert_eq!(Version::parse(not), None, "{not}");
        }
        assert_eq!(
            Version::of_image_tag("3.4.25-python3.12-kubernetes"),
            Some(Version::new(3, 4, 25))
        );
        assert_eq!(
            Version::of_image_tag("2.20.14"),
            Some(Version::new(2, 20, 14))
        );
        assert_eq!(Version::of_image_tag("3-latest"), None);
        assert_eq!(Version::of_image_tag("3.4-python3.12"), None);
        assert_eq!(Version::floating_of_image_tag("2-latest"), Some((2, None)));
        assert_eq!(
            Version::floating_of_image_tag("v3-python3.11-kubernetes"),
            Some((3, None))
        );
        assert_eq!(
            Version::floating_of_image_tag("3.3-python3.12"),
            Some((3, Some(3)))
        );
        for not in ["3.4.25-python3.12", "latest", "main", "", "3.x", "-3"] {
            assert_eq!(Version::floating_of_image_tag(not), None, "{not}");
        }
        assert!(Version::new(2, 20, 16) < Version::new(3, 0, 0));
        assert!(Version::new(3, 6, 7) > Version::new(3, 6, 0));
        assert_eq!(Version::new(3, 9, 1).line().to_string(), "3.9");
    }
}
