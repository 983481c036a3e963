//! Every long explanation (`prefectc explain CODE`) that shows a failing
//! example and its fix is checked against the compiler: the failing example
//! must report its code, and the fixed one must not. An explanation whose
//! example drifted from the compiler teaches the wrong fix.
//!
//! Examples that need other files (imports) or bytes a Markdown block cannot
//! hold (E0105, not UTF-8) are listed in `NOT_BUILDABLE`, with the reason.

mod support;

use prefectc::diagnostics::{Code, explanation};
use support::build_text;

/// Codes whose examples cannot be built from one text.
const NOT_BUILDABLE: &[(&str, &str)] = &[
    (
        "E0105",
        "the failing input is not UTF-8, which Markdown cannot show",
    ),
    (
        "E0106",
        "the failing input is nested deeper than an example can show",
    ),
    (
        "E0204",
        "the example imports a file that is not there: it needs a directory",
    ),
    ("E0205", "the example is two files importing each other"),
];

/// The first ```pfk block after the heading `## {heading}`.
fn example(text: &str, heading: &str) -> Option<String> {
    let section = text.split(&format!("## {heading}")).nth(1)?;
    let section = section.split("\n## ").next()?;
    let start = section.find("```pfk\n")? + "```pfk\n".len();
    let end = section[start..].find("```")? + start;
    Some(section[start..end].to_string())
}

fn codes(text: &str) -> Vec<&'static str> {
    build_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn every_explained_example_fails_with_its_code_and_its_fix_does_not() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for code in Code::ALL {
        let id = code.as_str();
        if NOT_BUILDABLE.iter().any(|(c, _)| *c == id) {
            continue;
        }
        let text = explanation(id).expect("every code is explained");
        let Some(failing) = example(text, "Failing example") else {
            continue;
        };
        checked += 1;
        let got = codes(&failing);
        if !got.contains(&id) {
            failures.push(format!("{id}: its failing example reports {got:?}"));
        }
        if let Some(fixed) = example(text, "Fixed") {
            let got = codes(&fixed);
            if got.contains(&id) {
                failures.push(format!("{id}: its fixed example still reports it"));
            }
        }
    }
    assert!(checked >= 40, "only {checked} explanations have examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Negative control: an example taken from another code's explanation does
/// not report this one, so the check can fail.
#[test]
fn another_codes_example_does_not_pass_for_this_one() {
    let failing = example(explanation("E0411").expect("E0411"), "Failing example")
        .expect("E0411 has an example");
    assert!(!codes(&failing).contains(&"E0413"));
    assert!(codes(&failing).contains(&"E0411"));
}
