//! Machine-applicable suggestions, applied.
//!
//! For every single-file fixture of `tests/fixtures/diagnostics/` whose
//! build gives a diagnostic with a [`Suggestion`], the suggestions are
//! applied to the source text and the result is built again. The fixture
//! names each replacement on a line `// suggests: TEXT` (so
//! a suggestion cannot appear, vanish or change unnoticed), and the rebuilt
//! source may give only errors and warnings of the first build that carried
//! no suggestion: nothing new, and nothing about the fixed problems (for a
//! fixture whose every problem has a suggestion, no error and no warning at
//! all). A problem that the fixed one hid, and that the fix lets the build
//! see, is named by a line `// reveals: CODE message`. Problems are
//! compared by code and message. Policy findings are left out: a fixed
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

/// A built source: its errors and warnings (`CODE message`, and whether it
/// carried a suggestion), the suggestions, and the root file's text as decoded.
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
        .map(|d| {
            let problem = format!("{} {}", d.code.as_str(), d.message);
            (problem, d.suggestion.is_some())
        })
        .collect();
    let suggestions = out
        .diagnostics
        .iter()
        .filter_map(|d| d.suggestion.clone())
        .collect();
    Ok(Built {
        problems,
        suggestions,
        text: out.sources.get(root).text.to_string(),
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

/// The `// reveals: CODE message` lines: problems a fix lets the build see that
/// the fixed problem hid (the pool of a worker that failed is compared with
/// the others only once the worker checks).
fn revealed(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("// reveals: "))
        .map(|c| c.trim().to_string())
        .collect()
}

/// Applies `suggestions` to the first build's text, rebuilds and compares.
fn verify(name: &str, first: &Built, suggestions: &[Suggestion]) -> Result<(), String> {
    let fixed = apply_suggestions(&first.text, first.root, suggestions)
        .ok_or("the suggestions overlap or fall outside the text")?;
    let again = build(name, fixed.clone().into_bytes())?;
    // What may remain: the problems without a suggestion (fixing one
    // problem may fix another too: a misspelt let was also unused).
    let mut left: Vec<&str> = first
        .problems
        .iter()
        .filter(|(_, suggested)| !suggested)
        .map(|(c, _)| c.as_str())
        .collect();
    let revealed = revealed(&first.text);
    left.extend(revealed.iter().map(String::as_str));
    let mut got: Vec<&str> = again.problems.iter().map(|(c, _)| c.as_str()).collect();
    got.sort_unstable();
    let extra: Vec<&str> = got
        .iter()
        .filter(|c| match left.iter().position(|l| l == *c) {
            Some(i) => {
                left.remove(i);
                false
            }
            None => true,
        })
        .copied()
        .collect();
    if !extra.is_empty() {
        return Err(format!(
            "after applying the suggestions the build gives {got:?}: {extra:?} are new or \
             were to be fixed\n--- the source with the suggestions applied:\n{fixed}"
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
const WRONG: &[(&str, &str)] = &[
    ("camel_case_field.pfk", "nodeselector"),
    ("camel_case_field.pfk", "node_selector"),
    ("camel_case_nested_field.pfk", "max_unavailable"),
    ("component_name_all_caps.pfk", "Etl"),
    ("component_name_camel_case.pfk", "my_Pool"),
    ("unquoted_version.pfk", "'3.4.25'"),
    ("yaml_list.pfk", " [\"etl\" \"reports\"]"),
    ("server_helm_release_name.pfk", "server"),
    ("pool_string_did_you_mean.pfk", "\"Jobs\""),
    ("quoted_bool.pfk", "no"),
    ("quoted_number_for_int.pfk", "2.5"),
];

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
    let replaced = Suggestion {
        span: s.span,
        replacement: wrong.to_string(),
    };
    match verify(fixture, &first, &[replaced]) {
        Ok(()) => Err(format!("the wrong replacement `{wrong}` passes the check").into()),
        Err(_) => Ok(()),
    }
}

/// The site of the upper-case trials: a worker with `entries` in its block.
fn worker_site(entries: &str) -> String {
    format!(
        "site demo {{\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}}\n\n\
         server prefect {{ database = sqlite {{}} }}\npool jobs {{ type = kubernetes }}\n\n\
         worker k8s {{\n  pool = jobs\n  api  = prefect\n  {entries}\n}}\n"
    )
}

/// Builds `text`; its YAML, or the errors and warnings.
fn build_yaml(text: &str) -> Result<String, Failed> {
    let out = prefectc::build(
        "site.pfk",
        text.to_string(),
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let problems: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.is_warning())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    match &out.objects {
        Some(objects) if problems.is_empty() => Ok(prefectc::emit::yaml(objects)),
        _ => Err(format!("{text}\ngives {problems:?}").into()),
    }
}

/// Environment variable names are upper-case: an upper-case map key is the
/// key as written, neither an error nor renamed (`aws-region`).
fn upper_case_env_names() -> Result<(), Failed> {
    let yaml = build_yaml(&worker_site(
        "env  = { AWS_REGION = \"eu-west-1\", awsProfile = \"etl\" }",
    ))?;
    for name in ["name: AWS_REGION", "name: awsProfile"] {
        if !yaml.contains(name) {
            return Err(format!("`{name}` is not in the output").into());
        }
    }
    Ok(())
}

/// The help of `secret/literal` shows the env map to write, with an
/// upper-case name: written as shown, it builds, and keeps its name.
fn secret_literal_help_builds() -> Result<(), Failed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy/secret_literal_fails.pfk");
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let out = prefectc::build(
        "site.pfk",
        text,
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let help = out
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "secret/literal")
        .and_then(|d| d.help.clone())
        .ok_or("the fixture gives no secret/literal finding with a help")?;
    let shown = help
        .split('`')
        .find(|part| part.starts_with("env = "))
        .ok_or_else(|| format!("the help shows no `env = …`: {help}"))?;
    let yaml = build_yaml(&worker_site(shown))?;
    if !yaml.contains("name: NAME") {
        return Err(format!("`{shown}` does not set the variable `NAME`").into());
    }
    Ok(())
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
    trials.push(Trial::test("upper_case_env_names", upper_case_env_names));
    trials.push(Trial::test(
        "secret_literal_help_builds",
        secret_literal_help_builds,
    ));
    libtest_mimic::run(&args, trials).exit_code()
}
