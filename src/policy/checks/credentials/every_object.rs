//! The screen judged by the walk: every site of the repository and the
//! shared specification built twice, once as a build does (objects the
//! screen clears, and values no one wrote, are not walked) and once with
//! every object walked; and once more as a large site is, its objects
//! screened beside lowering ([`crate::cores::screen_beside`]) and in three
//! runs at once. The findings, and everything else a build reports, must
//! be the same: the screen may only save work.

use super::walk::{NOT_PRESCREENED, PRESCREENED, WALKED};
use crate::Options;
use crate::cores::PARTS;
use std::path::Path;

/// What a build of `path` reports, every object walked or not.
fn report(path: &Path, every_object: bool) -> String {
    let options = Options {
        walk_every_object: every_object,
        ..Options::default()
    };
    let out = crate::test_sites::build_at(path, options);
    format!("{:#?}\n{:#?}", out.diagnostics, out.waived)
}

/// The sites that hold credentials or that the screen reads differently:
/// the examples, the policy and lowering fixtures, the specification's.
#[test]
fn the_screen_changes_no_report() {
    let all = crate::test_sites::under(&[
        "examples",
        "tests/fixtures/policy",
        "tests/fixtures/lowering",
        "tests/fixtures/reports",
        "../shared/spec/examples",
    ]);
    assert!(all.len() > 200, "the sites are where they were");
    let mut secrets = 0;
    crate::SCREENED_BESIDE.set(0);
    PRESCREENED.set(0);
    NOT_PRESCREENED.take();
    for path in &all {
        let before = crate::SCREENED_BESIDE.get();
        let screened = report(path, false);
        assert_eq!(
            crate::SCREENED_BESIDE.get(),
            before,
            "{}: a small site screened beside lowering",
            path.display()
        );
        assert_eq!(
            screened,
            report(path, true),
            "{}: the screen changed what the build reports",
            path.display()
        );
        PARTS.set(Some(3));
        let in_parts = report(path, false);
        PARTS.set(None);
        assert_eq!(
            screened,
            in_parts,
            "{}: screened beside lowering and in three runs, the build reports something else",
            path.display()
        );
        secrets += usize::from(screened.contains("secret/"));
    }
    // The sites include findings of both credential rules.
    assert!(secrets >= 40, "{secrets} sites with credential findings");
    // Those that lowered were screened beside lowering, as a large site,
    // and the policy stage took what that screen said.
    let (beside, taken) = (crate::SCREENED_BESIDE.get(), PRESCREENED.get());
    assert!(beside >= 200, "{beside} sites screened beside lowering");
    assert!(taken >= 1_500, "{taken} verdicts taken");
    assert_eq!(
        NOT_PRESCREENED.take(),
        Vec::<String>::new(),
        "objects lowering did not send"
    );
}

/// The production example's worker gets the key of its API's Secret in
/// an env var whose name says credential (`…_AUTH_STRING_SECRET_KEY`):
/// prefectc's own value, written nowhere in the site, so no object is
/// walked. Every object is walked when asked.
#[test]
fn the_production_example_walks_no_object() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("auth = basic"), "the example has basic auth");
    WALKED.set(0);
    let screened = report(&path, false);
    assert_eq!(WALKED.get(), 0, "{screened}");
    report(&path, true);
    assert!(WALKED.get() > 20, "{} objects walked", WALKED.get());
}

/// A build that walks every object does not screen beside lowering, even
/// as a large site: no screen is read.
#[test]
fn a_walk_of_every_object_screens_nothing_beside_lowering() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
    crate::SCREENED_BESIDE.set(0);
    PARTS.set(Some(3));
    report(&path, true);
    let every = crate::SCREENED_BESIDE.get();
    report(&path, false);
    PARTS.set(None);
    assert_eq!((every, crate::SCREENED_BESIDE.get()), (0, 1));
}
