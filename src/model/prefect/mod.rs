//! What prefectc knows of Prefect itself: release numbers, and the settings
//! each release line reads (the catalogue, dumped from the real packages).

pub mod catalogue;
pub mod job_template;
pub mod setting;
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

impl Site {
    /// The Prefect release the site pins. `site.prefect` is checked to be
    /// numbers joined by dots; a short one (`3`) reads as `3.0.0`.
    pub fn prefect(&self) -> Version {
        Version::lenient(&self.settings().prefect)
    }
}

impl Component {
    /// The Prefect release the component's image runs, and where that
    /// comes from: the release in a written image's tag
    /// (`prefecthq/prefect:2.20.14-python3.12`), else the site's pin. A
    /// written image without a release tag (a custom build) is taken to
    /// run the site's pin. `None` for kinds that run no Prefect (pools, the
    /// exporter).
    pub fn prefect(&self, site: &Site) -> Option<(Version, VersionSource)> {
        if matches!(self.kind, Kind::Pool | Kind::Exporter) {
            return None;
        }
        let tagged = self
            .workload()
            .and_then(|w| w.image)
            .and_then(|i| super::image::parse(&i.value).ok()?.tag)
            .and_then(Version::of_image_tag);
        Some(match tagged {
            Some(v) => (v, VersionSource::ImageTag),
            None => (site.prefect(), VersionSource::Site),
        })
    }
}
