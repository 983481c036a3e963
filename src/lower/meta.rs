//! Names, labels and images: what identifies every object a component emits.

use crate::map::IndexMap;

use super::Ctx;
use super::k8s::{Labels, ObjectMeta, SharedLabels, Tracked, Word};
use crate::model::labels as label;
use crate::model::schema::PullPolicy;
use crate::model::{Located, Prov};
use crate::source::Span;

/// An emitted value that remembers the `.pfk` value it came from.
pub fn tracked<T, U>(value: T, from: &Located<U>) -> Tracked<T> {
    Tracked {
        value,
        prov: from.prov.clone(),
    }
}

/// A map of strings as labels or annotations.
pub fn strings(map: &IndexMap<String, Located<String>>) -> Labels {
    map.iter()
        .map(|(k, v)| (k.clone().into(), v.value.clone()))
        .collect()
}

/// Owned copies of a list of strings.
pub fn owned(list: &[Located<String>]) -> Vec<String> {
    list.iter().map(|s| s.value.clone()).collect()
}

/// [`owned`], as a command's words.
pub fn owned_words(list: &[Located<String>]) -> Vec<Word> {
    list.iter().map(|s| Word::Owned(s.value.clone())).collect()
}

/// The labels of every object of a component.
pub fn labels(ctx: &Ctx, app: &str, instance: &str, component: &str, version: &str) -> Labels {
    let mut l = selector_labels(app, instance, component);
    l.insert(label::PART_OF.into(), ctx.site_name.clone());
    l.insert(label::MANAGED_BY.into(), "prefectc".into());
    l.insert(label::VERSION.into(), version_label(version));
    for (k, v) in &ctx.labels {
        l.entry(k.clone()).or_insert_with(|| v.clone());
    }
    l
}

fn selector_labels(app: &str, instance: &str, component: &str) -> Labels {
    let mut l = IndexMap::with_capacity_and_hasher(3, Default::default());
    l.insert(label::NAME.into(), app.into());
    l.insert(label::INSTANCE.into(), instance.into());
    l.insert(label::COMPONENT.into(), component.into());
    l
}

/// The labels that select a component's pods. One map, shared: a worker's
/// Deployment, its NetworkPolicy and the peer in its API server's policy
/// select its pods alike, and each held a copy (three strings, an entry
/// vector and a hash table) in every object, for each of thousands of
/// workers. The last few made are kept ([`RECENT_SELECTORS`]): a
/// component's objects are lowered together, and its API server's
/// selector comes back for every client.
pub fn selector(ctx: &Ctx, app: &str, instance: &str, component: &str) -> SharedLabels {
    let mut recent = ctx.recent_selectors.borrow_mut();
    let same = |s: &&SharedLabels| {
        s.get(label::NAME).is_some_and(|v| v == app)
            && s.get(label::INSTANCE).is_some_and(|v| v == instance)
            && s.get(label::COMPONENT).is_some_and(|v| v == component)
    };
    if let Some(shared) = recent.iter().find(same) {
        return shared.clone();
    }
    let shared = SharedLabels::from(selector_labels(app, instance, component));
    if recent.len() == RECENT_SELECTORS {
        recent.remove(0);
    }
    recent.push(shared.clone());
    shared
}

/// How many selectors [`selector`] keeps for reuse.
const RECENT_SELECTORS: usize = 4;

/// The selector labels among a component's labels.
pub fn selector_of(ctx: &Ctx, labels: &Labels) -> SharedLabels {
    selector(
        ctx,
        &labels[label::NAME],
        &labels[label::INSTANCE],
        &labels[label::COMPONENT],
    )
}

/// A label value from an image tag: at most 63 characters, alphanumeric at both ends.
fn version_label(tag: &str) -> String {
    let v: String = tag.chars().take(63).collect();
    v.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

/// An object's metadata. Its labels are shared with the last object made
/// with the same ones (a component's objects take one set), and its
/// annotations, the site's, with every object.
pub fn meta(ctx: &Ctx, name: &str, namespace: &str, labels: &Labels) -> ObjectMeta {
    let mut last = ctx.last_labels.borrow_mut();
    let shared = match &*last {
        // In order: an `IndexMap`'s `==` ignores it, the output does not.
        Some(shared) if std::ptr::eq::<Labels>(&**shared, labels) => shared.clone(),
        Some(shared) if shared.iter().eq(labels.iter()) => shared.clone(),
        _ => {
            let shared = SharedLabels::from(labels.clone());
            *last = Some(shared.clone());
            shared
        }
    };
    meta_shared(ctx, name, namespace, shared)
}

/// `labels`, shared by the objects [`meta`] makes with them next: a
/// component's labels made this way are not copied for its first object.
pub fn share(ctx: &Ctx, labels: Labels) -> SharedLabels {
    let shared = SharedLabels::from(labels);
    *ctx.last_labels.borrow_mut() = Some(shared.clone());
    shared
}

/// An object's metadata with labels made once for many objects (every
/// NetworkPolicy's), shared as they are.
pub fn meta_shared(ctx: &Ctx, name: &str, namespace: &str, labels: SharedLabels) -> ObjectMeta {
    ObjectMeta {
        name: name.to_string(),
        namespace: Some(if namespace == &*ctx.namespace {
            std::sync::Arc::clone(&ctx.namespace)
        } else {
            namespace.into()
        }),
        labels,
        annotations: ctx.annotations.clone(),
    }
}

/// The image of a component: `image` when written, else the Prefect image
/// of the site's version, in `variant` (`-kubernetes`) when given.
pub fn image(
    ctx: &Ctx,
    written: Option<&Located<String>>,
    variant: Option<&str>,
    header: Span,
) -> Tracked<String> {
    if let Some(image) = written {
        return tracked(image.value.clone(), image);
    }
    let suffix = variant.map(|v| format!("-{v}")).unwrap_or_default();
    Tracked {
        value: format!(
            "{}prefecthq/prefect:{}-python{}{suffix}",
            ctx.registry, ctx.prefect, ctx.python
        ),
        prov: Prov::default_of(header, "image"),
    }
}

/// An image the stdlib gives a default (the exporter's, PostgreSQL's,
/// Redis'): the default is pulled through `site.registry` when one is set,
/// as the derived Prefect images are; an image written in the site is used
/// as written.
pub fn image_or_mirrored_default(ctx: &Ctx, image: &Located<String>) -> Tracked<String> {
    let value = if image.prov.is_default() {
        crate::model::image::mirrored(&ctx.registry, &image.value)
    } else {
        image.value.clone()
    };
    tracked(value, image)
}

#[cfg(test)]
thread_local! {
    /// How many image references [`image_version`] read: what it
    /// remembers saves, seen by the tests.
    static READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The tag of an image reference, for the version label. The last image
/// asked about is remembered: the workers of a site mostly run the same
/// image, and reading a reference (its every part checked) cost more than
/// the rest of their labels.
pub fn image_version(image: &str) -> String {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, String)>> =
            const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((i, version)) if i == image => version.clone(),
        _ => {
            #[cfg(test)]
            READ.with(|n| n.set(n.get() + 1));
            let version = crate::model::image::parse(image)
                .ok()
                .and_then(|i| i.tag.map(str::to_string))
                .unwrap_or_else(|| "unversioned".to_string());
            *last = Some((image.to_string(), version.clone()));
            version
        }
    })
}

/// `imagePullPolicy`
pub fn pull_policy(policy: &Located<PullPolicy>) -> Tracked<&'static str> {
    let value = match policy.value {
        PullPolicy::Always => "Always",
        PullPolicy::Never => "Never",
        PullPolicy::IfNotPresent => "IfNotPresent",
    };
    tracked(value, policy)
}

pub fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

pub fn strings_of(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A command or its arguments, prefectc's own words: borrowed, not copied.
pub fn words(items: &[&'static str]) -> Vec<Word> {
    items.iter().map(|&s| Word::Borrowed(s)).collect()
}

/// FNV-1a, 64 bits: a checksum that is the same in every build and every
/// Rust version, for the annotation that rolls pods when data changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered version is the one of the image asked about, not
    /// of the one before; the same image asked again is not read again.
    #[test]
    fn an_images_version_is_its_own() {
        READ.with(|n| n.set(0));
        // First an image no other test asks about: what this thread asked
        // before is forgotten.
        let prefect = "prefecthq/prefect:3.4.25-python3.12";
        for (image, version, read) in [
            ("example.test/first:0.1", "0.1", 1),
            (prefect, "3.4.25-python3.12", 2),
            (prefect, "3.4.25-python3.12", 2),
            ("registry:5000/prefect", "unversioned", 3),
            (prefect, "3.4.25-python3.12", 4),
            ("redis:7", "7", 5),
            ("redis:7", "7", 5),
        ] {
            assert_eq!(image_version(image), version, "{image}");
            assert_eq!(READ.with(std::cell::Cell::get), read, "{image}");
        }
    }

    #[test]
    fn fnv1a_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
