//! What prefectc knows of Prefect itself: release numbers, and the settings
//! each release line reads (the catalogue, dumped from the real packages).

pub mod catalogue;
pub mod job_template;
pub mod setting;
/// The catalogue's rows; its reader serves build.rs and the tests.
#[cfg_attr(not(test), allow(dead_code))]
mod tsv;
pub mod version;

pub use catalogue::{Catalogue, Row, Status};
pub use setting::{NotRead, Setting};
pub use version::{Line, Version};

use super::{Component, Kind, Site};

/// Where a component's Prefect version comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    /// `site.prefect`: the image is derived from it.
    Site,
    /// The release number in the tag of the image written on the component.
    ImageTag,
}

/// What a Prefect image's tag says of the release it runs. Only images of
/// the `prefecthq/prefect` repository (from any registry: a mirror keeps
/// the path) are read: a custom build's tag (`ghcr.io/acme/flows:1.4.0`)
/// is its own version, not Prefect's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagRelease {
    /// `3.4.25-python3.12`.
    Release(Version),
    /// `2-latest`, `3.3-python3.12`: a major version, and the line's minor
    /// when given.
    Floating { major: u32, minor: Option<u32> },
}

impl TagRelease {
    /// What the tag of `image` says, if it is a Prefect image whose tag
    /// names a version.
    pub fn of_image(image: &str) -> Option<TagRelease> {
        TagRelease::of_parsed(&super::image::parse(image).ok()?)
    }

    /// [`TagRelease::of_image`] of a reference already parsed.
    pub fn of_parsed(parsed: &super::image::ImageRef) -> Option<TagRelease> {
        if !is_prefect_repository(parsed.repository) {
            return None;
        }
        let tag = parsed.tag?;
        if let Some(v) = Version::of_image_tag(tag) {
            return Some(TagRelease::Release(v));
        }
        let (major, minor) = Version::floating_of_image_tag(tag)?;
        Some(TagRelease::Floating { major, minor })
    }

    /// The release `image` runs in a site pinned to `pinned`, when its tag
    /// says one other than the pin ([`TagRelease::of_image`], then
    /// [`TagRelease::runs`]); `None` for the pin itself or a custom build.
    pub fn of_image_in(image: &str, pinned: Version) -> Option<Version> {
        TagRelease::of_image(image).and_then(|t| t.runs(pinned))
    }

    /// The release an image with this tag runs in a site pinned to
    /// `pinned`: the tag's release; for a floating tag of another major or
    /// line than the pin's, that major's or line's newest release prefectc
    /// knows (for a line it has no file of, the major's); else `None` (the
    /// pin itself).
    pub fn runs(self, pinned: Version) -> Option<Version> {
        match self {
            TagRelease::Release(v) => Some(v),
            TagRelease::Floating { major, minor } => {
                let in_it = pinned.major == major && minor.is_none_or(|m| pinned.minor == m);
                if in_it {
                    return None;
                }
                Catalogue::newest(major, minor).or_else(|| Catalogue::newest(major, None))
            }
        }
    }

    /// The major version the tag names.
    pub fn major(self) -> u32 {
        match self {
            TagRelease::Release(v) => v.major,
            TagRelease::Floating { major, .. } => major,
        }
    }
}

/// `prefecthq/prefect`, from Docker Hub or a mirror (`mirror.io/prefecthq/prefect`).
pub fn is_prefect_repository(repository: &str) -> bool {
    repository == "prefecthq/prefect" || repository.ends_with("/prefecthq/prefect")
}

impl Site {
    /// The Prefect release the site pins. `site.prefect` is checked to be
    /// numbers joined by dots; a short one (`3`) reads as `3.0.0`.
    pub fn prefect(&self) -> Version {
        Version::lenient(&self.settings().prefect)
    }
}

impl Component {
    /// The Prefect release the component's image runs, and where that
    /// comes from: the release in the tag of a written Prefect image
    /// (`prefecthq/prefect:2.20.14-python3.12`, see [`TagRelease`]), else
    /// the site's pin. A floating tag that names a major version
    /// (`2-latest`) or a line (`3.3-python3.12`) the site's pin is not in
    /// runs that major's or line's newest release prefectc knows
    /// ([`Catalogue::newest`]; for a line it has no file of, the major's).
    /// Any other written image (a custom build) is taken to run the site's
    /// pin. `None` for kinds that run no Prefect (pools, the exporter).
    pub fn prefect(&self, site: &Site) -> Option<(Version, VersionSource)> {
        if matches!(self.kind, Kind::Pool | Kind::Exporter) {
            return None;
        }
        let pinned = site.prefect();
        let tagged = self
            .workload()
            .and_then(|w| w.image)
            .and_then(|i| TagRelease::of_image_in(&i.value, pinned));
        Some(match tagged {
            Some(v) => (v, VersionSource::ImageTag),
            None => (pinned, VersionSource::Site),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release_of_worker(site: &str, image: &str) -> (Version, VersionSource) {
        let text = format!(
            r#"site demo {{ namespace = "prefect", prefect = "{site}" }}
server prefect {{ database = sqlite {{}} }}
worker w {{ pool = "p", type = process, api = prefect, image = "{image}" }}
"#
        );
        let out = crate::build(
            "site.pfk",
            text,
            &crate::MemoryLoader(Vec::new()),
            &crate::Options::default(),
        );
        let site = out
            .site
            .unwrap_or_else(|| panic!("{image}: {:?}", out.diagnostics));
        let worker = site.find(Kind::Worker, "w").expect("the worker");
        worker.prefect(&site).expect("a worker runs Prefect")
    }

    /// A floating tag of another major or line than the site's pin runs
    /// that major's or line's newest release; one the pin is in, or a
    /// custom build's tag, runs the pin.
    #[test]
    fn floating_tags_run_the_newest_release_of_what_they_name() {
        let newest_2 = Catalogue::newest(2, None).unwrap();
        let three_three = Catalogue::newest(3, Some(3)).unwrap();
        let pin = Version::new(3, 4, 25);
        for (image, want) in [
            (
                "prefecthq/prefect:2-latest",
                (newest_2, VersionSource::ImageTag),
            ),
            (
                "prefecthq/prefect:2.19-python3.11",
                (newest_2, VersionSource::ImageTag),
            ),
            (
                "prefecthq/prefect:3.3-python3.12",
                (three_three, VersionSource::ImageTag),
            ),
            ("prefecthq/prefect:3-latest", (pin, VersionSource::Site)),
            (
                "prefecthq/prefect:3.4-python3.12",
                (pin, VersionSource::Site),
            ),
            ("ghcr.io/acme/worker:main", (pin, VersionSource::Site)),
            // A custom build's own version is not Prefect's.
            ("ghcr.io/acme/worker:1.4.0", (pin, VersionSource::Site)),
            ("ghcr.io/acme/worker:2-latest", (pin, VersionSource::Site)),
            (
                "mirror.io/prefecthq/prefect:3.3.7-python3.12",
                (Version::new(3, 3, 7), VersionSource::ImageTag),
            ),
            (
                "prefecthq/prefect:2.20.14-python3.12",
                (Version::new(2, 20, 14), VersionSource::ImageTag),
            ),
        ] {
            assert_eq!(release_of_worker("3.4.25", image), want, "{image}");
        }
    }
}
