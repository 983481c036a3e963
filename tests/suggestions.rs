//! Machine-applicable suggestions, applied.
//!
//! For every single-file fixture of `tests/fixtures/diagnostics/` whose
//! build gives a diagnostic with a [`Suggestion`], the suggestions are
//! applied to the source text and the result is built again. The fixture
//! names each replacement on a line `// suggests: TEXT` (so
//! a suggestion cannot appear, vanish or change unnoticed), and the rebuilt
//! source must give exactly the errors and warnings of the first build less
//! the ones that carried a suggestion: nothing new, and nothing about the
//! fixed problems (for a fixture whose every problem has a suggestion, no
//! error and no warning at all). Policy findings are left out: a fixed
//! value may well be one the site's policy has something to say about
//! (`image = "nightly"` is a floating tag), which is not the problem fixed.
//!
//! Negative controls: the same check with a wrong replacement (the text as
//! it was, or a plausible near miss) must fail, so a check that passes
//! anything is caught.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use prefectc::diagnostics::{Suggestion, apply_suggestions};
use prefectc::{MemoryLoader, Options};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics")
}

/// A built source: its errors and warnings (code, and whether it carried a
/// suggestion), the suggestions, and the root file's text as decoded.
struct Built {
    problems: Vec<(String, bool)>,
    suggestions: Vec<Suggestion>,
    text: String,
    root: prefectc::source::FileId,
}

fn build(name: &str, bytes: Vec<u8>) -> Result<Built, String> {
    let out = std::panic::catch_unwind(|| {
        prefectc::build_bytes(name, bytes, &MemoryLoader(Vec::new()), &Options::default())
    })
    .map_err(|_| "prefectc panicked".to_string())?;
    let root = out
        .sources
        .find(name)
        .ok_or_else(|| format!("no source named {name}"))?;
    let problems = out
        .diagnostics
        .iter()
        .filter(|d| (d.is_error() || d.is_warning()) && d.policy.is_none())
        .map(|d| (d.code.as_str().to_string(), d.suggestion.is_some()))
        .collect();
    let suggestions = out
        .diagnostics
        .iter()
        .filter_map(|d| d.suggestion.clone())
        .collect();
    Ok(Built {
        problems,
        suggestions,
        text: out.sources.get(root).text.clone(),
        root,
    })
}

/// The `// suggests: TEXT` lines (in the leading comments, or at the end
/// of a fixture whose lines are numbered by its snapshot already).
fn declared(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("// suggests: "))
        .map(str::to_string)
        .collect()
}

/// Applies `suggestions` to the first build's text, rebuilds and compares.
fn verify(name: &str, first: &Built, suggestions: &[Suggestion]) -> Result<(), String> {
    let fixed = apply_suggestions(&first.text, first.root, suggestions)
        .ok_or("the suggestions overlap or fall outside the text")?;
    let again = build(name, fixed.clone().into_bytes())?;
    let mut want: Vec<&str> = first
        .problems
        .iter()
        .filter(|(_, suggested)| !suggested)
        .map(|(c, _)| c.as_str())
        .collect();
    let mut got: Vec<&str> = again.problems.iter().map(|(c, _)| c.as_str()).collect();
    want.sort_unstable();
    got.sort_unstable();
    if want != got {
        return Err(format!(
            "after applying the suggestions the build gives {got:?}, expected {want:?}\n\
             --- the source with the suggestions applied:\n{fixed}"
        ));
    }
    Ok(())
}

fn check(path: &Path) -> Result<(), Failed> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("fixture names are UTF-8")?
        .to_string();
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let first = build(&name, bytes)?;
    let mut want = declared(&first.text);
    let mut got: Vec<String> = first
        .suggestions
        .iter()
        .map(|s| s.replacement.clone())
        .collect();
    want.sort();
    got.sort();
    if want != got {
        return Err(format!(
            "the build suggests {got:?}, the fixture's `// suggests:` lines say {want:?}"
        )
        .into());
    }
    if got.is_empty() {
        return Ok(());
    }
    verify(&name, &first, &first.suggestions)?;
    // Negative control: the text left as it was must fail the check.
    let unchanged: Vec<Suggestion> = first
        .suggestions
        .iter()
        .map(|s| Suggestion {
            span: s.span,
            replacement: first.text[s.span.start as usize..s.span.end as usize].to_string(),
        })
        .collect();
    if verify(&name, &first, &unchanged).is_ok() {
        return Err("leaving the text unchanged passes the check: it checks nothing".into());
    }
    Ok(())
}

/// Wrong replacements that must fail the check: `(fixture, wrong text)`,
/// replacing the fixture's (only) suggestion's text. Each is a plausible
/// near miss of the right fix.
const WRONG: &[(&str, &str)] = &[];

fn negative(fixture: &str, wrong: &str) -> Result<(), Failed> {
    let path = fixtures_dir().join(fixture);
    let bytes = fs::read(&path).map_err(|e| e.to_string())?;
    let first = build(fixture, bytes)?;
    let [s] = first.suggestions.as_slice() else {
        return Err(format!(
            "{fixture} gives {} suggestions, not one",
            first.suggestions.len()
        )
        .into());
    };
    let wrong = Suggestion {
        span: s.span,
        replacement: wrong.to_string(),
    };
    match verify(fixture, &first, &[wrong]) {
        Ok(()) => Err(format!("the wrong replacement `{}` passes the check", s.replacement).into()),
        Err(_) => Ok(()),
    }
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let mut paths: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("the fixtures directory exists")
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pfk"))
        .collect();
    paths.sort();
    let mut trials: Vec<Trial> = paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("?")
                .to_string();
            Trial::test(name, move || check(&p))
        })
        .collect();
    for (fixture, wrong) in WRONG {
        trials.push(Trial::test(
            format!("wrong_replacement_fails::{fixture}::{wrong}"),
            move || negative(fixture, wrong),
        ));
    }
    libtest_mimic::run(&args, trials).exit_code()
}
