//! Policy reports as CI consumes them: SARIF for GitHub code scanning, JSON
//! Lines with waivers and suggested edits, `--deny warnings` and `--today`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports")
        .join(name)
}

fn prefectc(args: &[&str], file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(args)
        .arg(fixture(file))
        .output()
        .expect("prefectc runs")
}

fn sarif(today: &str) -> (Output, Value) {
    let out = prefectc(
        &["check", "--format", "sarif", "--today", today],
        "waivers.pfk",
    );
    let v = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    (out, v)
}

#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let (out, v) = sarif("2026-06-01");
    assert_eq!(out.status.code(), Some(1), "the floating tag is an error");
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "prefectc");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "pss/run-as-user",
        "image/floating-tag",
        "rbac/wildcard",
        "E0301",
    ] {
        assert!(ids.contains(&id), "{id} is listed");
    }
    for r in rules
        .iter()
        .filter(|r| r["id"].as_str().unwrap().contains('/'))
    {
        assert!(r["shortDescription"]["text"].is_string(), "{r}");
        assert!(r["fullDescription"]["text"].is_string(), "{r}");
        assert!(
            r["helpUri"].as_str().unwrap().starts_with("https://"),
            "{r}"
        );
        let severity: f64 = r["properties"]["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .expect("a number");
        assert!((0.0..=10.0).contains(&severity));
        assert!(!r["properties"]["tags"].as_array().unwrap().is_empty());
    }
    let results = run["results"].as_array().expect("results");
    let floating = results
        .iter()
        .find(|r| r["ruleId"] == "image/floating-tag")
        .expect("the floating tag is a result");
    assert_eq!(floating["level"], "error");
    assert!(
        floating["message"]["text"]
            .as_str()
            .unwrap()
            .contains("3-latest")
    );
    let index = floating["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "image/floating-tag");
    let loc = &floating["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "waivers.pfk");
    assert_eq!(loc["region"]["startLine"], 9);
    assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "prefect/exporter-replicas" && r["level"] == "warning")
    );
    // Waived findings are not results: GitHub ignores `suppressions`.
    assert!(!results.iter().any(|r| r["ruleId"] == "pss/run-as-user"));
    let waivers = run["properties"]["waivers"].as_array().expect("waivers");
    let w = waivers
        .iter()
        .find(|w| w["ruleId"] == "pss/run-as-user")
        .expect("the waived finding is listed");
    assert_eq!(w["waiver"]["reason"], "installs apt packages");
    assert_eq!(w["waiver"]["until"], "2026-12-31");
    assert_eq!(w["waiver"]["owner"], "platform");
    assert_eq!(w["waiver"]["line"], 15);
}

#[test]
fn an_expired_waiver_reports_the_finding_again() {
    let (_, v) = sarif("2027-01-01");
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    let root = results
        .iter()
        .find(|r| r["ruleId"] == "pss/run-as-user")
        .expect("reported again after expiry");
    assert_eq!(root["level"], "error");
    assert!(
        root["message"]["text"]
            .as_str()
            .unwrap()
            .contains("expired on 2026-12-31")
    );
    assert!(run["properties"]["waivers"].as_array().unwrap().is_empty());
}

#[test]
fn json_lines_carry_rule_profile_and_waiver() {
    let out = prefectc(
        &["check", "--format", "json", "--today", "2026-06-01"],
        "waivers.pfk",
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let floating = lines
        .iter()
        .find(|d| d["code"] == "image/floating-tag")
        .unwrap();
    assert_eq!(floating["rule"], "image/floating-tag");
    assert_eq!(floating["profile"], "restricted");
    assert_eq!(floating["severity"], "error");
    assert!(floating["waived_by"].is_null());
    let waived = lines
        .iter()
        .find(|d| d["code"] == "pss/run-as-user")
        .unwrap();
    assert_eq!(waived["severity"], "note");
    assert_eq!(waived["waived_by"]["reason"], "installs apt packages");
    assert_eq!(waived["waived_by"]["owner"], "platform");
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let plain = prefectc(&["build"], "warnings.pfk");
    assert_eq!(plain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("prefect/exporter-replicas"));
    let denied = prefectc(&["build", "--deny", "warnings"], "warnings.pfk");
    assert_eq!(denied.status.code(), Some(1));
    assert!(denied.stdout.is_empty(), "nothing is emitted");
}

#[test]
fn explain_knows_every_rule() {
    for id in ["pss/run-as-user", "secret/literal", "net/policy"] {
        let out = Command::new(env!("CARGO_BIN_EXE_prefectc"))
            .args(["explain", id])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{id}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("# {id}")), "{text}");
    }
}

/// The credentials written in `credentials.pfk`: none may appear in a report.
const CREDENTIALS: &[&str] = &[
    "AKIAQWERTYUIOPASDFGH",
    "correct-horse-battery",
    "QWERTYUIOPASDFGHJKLZXCVBNM0123456789",
    "tr0ub4dor",
];

#[test]
fn reports_name_credentials_without_quoting_them() {
    for format in ["json", "sarif", "human"] {
        let out = prefectc(
            &["build", "--format", format, "--today", "2026-06-01"],
            "credentials.pfk",
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("secret/known-format"), "{format}: {text}");
        assert!(text.contains("secret/literal"), "{format}: {text}");
        if format == "human" {
            // The human renderer quotes the user's own source line.
            continue;
        }
        for credential in CREDENTIALS {
            assert!(
                !text.contains(credential),
                "{format} prints a credential: {text}"
            );
        }
    }
}

/// Every document of a YAML stream is a Kubernetes object.
fn only_objects(stdout: &[u8]) -> usize {
    let text = std::str::from_utf8(stdout).expect("YAML is UTF-8");
    let mut n = 0;
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v: serde_yaml::Value = serde::Deserialize::deserialize(doc).expect("YAML");
        assert!(
            v.get("apiVersion").is_some() && v.get("kind").is_some(),
            "not an object on stdout: {v:?}"
        );
        n += 1;
    }
    n
}

#[test]
fn build_keeps_stdout_for_the_objects_whatever_the_format() {
    for format in ["human", "json", "sarif"] {
        let out = prefectc(
            &["build", "--format", format, "--today", "2026-06-01"],
            "warnings.pfk",
        );
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(only_objects(&out.stdout) > 0, "{format}: no objects");
        let report = String::from_utf8_lossy(&out.stderr);
        match format {
            "json" => {
                let first: Value = serde_json::from_str(report.lines().next().unwrap()).unwrap();
                assert_eq!(first["severity"], "warning");
            }
            "sarif" => {
                let v: Value = serde_json::from_str(&report).expect("SARIF on stderr");
                assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 1);
            }
            _ => assert!(report.contains('⚠'), "{report}"),
        }
    }
}

#[test]
fn report_writes_the_report_to_a_file_and_check_keeps_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let out = prefectc(
        &[
            "build",
            "--format",
            "sarif",
            "--today",
            "2026-06-01",
            "--report",
            file.to_str().unwrap(),
        ],
        "warnings.pfk",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(only_objects(&out.stdout) > 0);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    // `check` emits no objects: its report is its standard output.
    let out = prefectc(
        &["check", "--format", "json", "--today", "2026-06-01"],
        "warnings.pfk",
    );
    let first: Value = serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap())
        .expect("JSON on stdout");
    assert_eq!(first["severity"], "warning");
}

fn codes(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_waiver_warns_two_weeks_before_it_expires() {
    let at = |today: &str| {
        prefectc(
            &["check", "--format", "json", "--today", today],
            "expiring.pfk",
        )
    };
    // 15 days before: quiet; 14 days before up to the day itself: W0511.
    assert!(!codes(&at("2026-05-26")).contains(&"W0511".to_string()));
    for today in ["2026-05-27", "2026-06-09", "2026-06-10"] {
        let out = at(today);
        assert_eq!(out.status.code(), Some(0), "{today}");
        assert!(codes(&out).contains(&"W0511".to_string()), "{today}");
    }
    // The day after: the waiver has expired and the finding is back.
    let out = at("2026-06-11");
    assert_eq!(out.status.code(), Some(1));
    assert!(!codes(&out).contains(&"W0511".to_string()));
    // `--deny warnings` fails the build while there is time to act.
    let out = prefectc(
        &["check", "--deny", "warnings", "--today", "2026-06-01"],
        "expiring.pfk",
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn source_date_epoch_is_the_default_today() {
    let run = |epoch: &str, extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_prefectc"))
            .args(["check", "--format", "json"])
            .args(extra)
            .arg(fixture("expiring.pfk"))
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("prefectc runs")
    };
    // 1780617600 is 2026-06-05 00:00 UTC: five days before `until`.
    let out = run("1780617600", &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("expires in 5 days"));
    // 1781222400 is 2026-06-12: expired.
    assert_eq!(run("1781222400", &[]).status.code(), Some(1));
    // `--today` wins over the environment.
    assert_eq!(
        run("1781222400", &["--today", "2026-06-01"]).status.code(),
        Some(0)
    );
    let out = run("soon", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

/// Replaces the region `(line, column)..(end_line, end_column)` (1-based,
/// columns in characters, as both reports count them) of `text`.
fn replace_region(text: &str, region: [usize; 4], with: &str) -> String {
    let offset = |line: usize, column: usize| {
        let start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let rest = &text[start..];
        start
            + rest
                .char_indices()
                .nth(column - 1)
                .map_or(rest.len(), |(i, _)| i)
    };
    let (a, b) = (offset(region[0], region[1]), offset(region[2], region[3]));
    format!("{}{with}{}", &text[..a], &text[b..])
}

/// Whether `text` checks without an error.
fn checks(text: &str) -> bool {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("site.pfk");
    std::fs::write(&path, text).expect("written");
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("check")
        .arg(&path)
        .output()
        .expect("prefectc runs")
        .status
        .success()
}

/// The edit of a did-you-mean reaches both reports, and applying it the way
/// a CI tool would (GitHub's suggested change, a script reading the JSON)
/// fixes the file; the unchanged file does not check (negative control).
#[test]
fn suggestions_reach_json_and_sarif_and_applying_them_fixes_the_file() {
    let text = std::fs::read_to_string(fixture("typo.pfk")).expect("the fixture");
    assert!(!checks(&text), "the fixture has a typo");

    let out = prefectc(&["check", "--format", "json"], "typo.pfk");
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .find(|d| d["code"] == "E0301")
        .expect("the unknown field is reported");
    let s = &line["suggestion"];
    let region = ["line", "column", "end_line", "end_column"]
        .map(|k| s[k].as_u64().expect("a position") as usize);
    let fixed = replace_region(&text, region, s["replacement"].as_str().expect("text"));
    assert!(fixed.contains("  database = sqlite {}"), "{fixed}");
    assert!(checks(&fixed), "{fixed}");

    let out = prefectc(&["check", "--format", "sarif"], "typo.pfk");
    let v: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let result = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "E0301")
        .expect("the unknown field is reported");
    let change = &result["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "typo.pfk");
    let replacement = &change["replacements"][0];
    let r = &replacement["deletedRegion"];
    let region = ["startLine", "startColumn", "endLine", "endColumn"]
        .map(|k| r[k].as_u64().expect("a position") as usize);
    let text_in = replacement["insertedContent"]["text"]
        .as_str()
        .expect("text");
    assert_eq!(replace_region(&text, region, text_in), fixed);
    // A diagnostic without an edit has no fix.
    assert!(
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["ruleId"] != "E0301")
            .all(|r| r.get("fixes").is_none())
    );
}

/// No report repeats a credential it flags: for every credential finding
/// of every policy fixture, the characters it points at (as written in the
/// `.pfk` file) appear nowhere in the human output (whose snippets mask
/// them, on every diagnostic that shows the line), nor in the JSON or
/// SARIF reports. The line and column of each finding are unchanged.
#[test]
fn no_report_repeats_a_credential() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the policy fixtures")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pfk"))
        .collect();
    paths.sort();
    let mut checked = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        let out = built_as_site(text.clone());
        let credentials: Vec<(String, usize, usize)> = out
            .diagnostics
            .iter()
            .filter(|d| {
                d.code.as_str().starts_with("secret/")
                    && d.primary.span.anchor.file() == Some(prefectc::source::FileId(0))
            })
            .map(|d| {
                let s = d.primary.span;
                let written = text[s.start as usize..s.end as usize].trim_matches('"');
                let (line, col) = out.sources.get(s.anchor.file().unwrap()).line_col(s.start);
                (written.to_string(), line, col)
            })
            .collect();
        let human = prefectc::diagnostics::render::human(&out.diagnostics, &out.sources, false);
        let json = prefectc::diagnostics::json::lines(&out.diagnostics, &out.sources);
        // The results (the rules' help texts hold example values).
        let sarif: Value = serde_json::from_str(&prefectc::diagnostics::sarif::report(
            &out.diagnostics,
            &[],
            &out.sources,
        ))
        .expect("SARIF is JSON");
        let sarif = sarif["runs"][0]["results"].to_string();
        for (written, line, col) in &credentials {
            // Short values (`pw`) may be words of a message.
            if written.len() < 6 {
                continue;
            }
            checked += 1;
            for (format, report) in [("human", &human), ("json", &json), ("sarif", &sarif)] {
                assert!(
                    !report.contains(written.as_str()),
                    "{}: the {format} report repeats `{written}`",
                    path.display()
                );
            }
            assert!(
                human.contains(&format!("site.pfk:{line}:{col}]")),
                "{}: the finding at {line}:{col} moved",
                path.display()
            );
        }
    }
    // The fixtures hold credentials of every format: the check ran.
    assert!(checked >= 30, "{checked} credentials checked");
}

/// The text of the policy fixture `fixture`, and its build's diagnostics
/// as a person reads them.
fn policy_fixture_rendered(fixture: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy")
        .join(fixture);
    let text = std::fs::read_to_string(&path).expect("readable");
    let out = built_as_site(text.clone());
    let human = prefectc::diagnostics::render::human(&out.diagnostics, &out.sources, false);
    (text, human)
}

/// The build of `text` as `site.pfk`, with no imports.
fn built_as_site(text: String) -> prefectc::Output {
    prefectc::build(
        "site.pfk",
        text,
        &prefectc::MemoryLoader(Vec::new()),
        &prefectc::Options::default(),
    )
}

/// A private key is masked whole, not only its `BEGIN` line: the key's
/// body and its `END` line are not shown either.
#[test]
fn a_private_key_is_masked_whole() {
    for (fixture, body) in [
        ("secret_known_format_pem_private_key_fails.pfk", "MHcCAQEE"),
        ("secret_known_format_gcp_service_account_fails.pfk", "MIIE"),
    ] {
        let (text, human) = policy_fixture_rendered(fixture);
        assert!(text.contains(body) && text.contains("-----END"));
        assert!(human.contains("key written in source"), "{human}");
        assert!(!human.contains(body), "{fixture}: {human}");
        assert!(!human.contains("-----END"), "{fixture}: {human}");
    }
}

/// A reported credential is masked wherever the snippets show its text,
/// not only where the finding points: under a name no rule flags, on the
/// line above the finding's, it was shown as written.
#[test]
fn a_credential_is_masked_wherever_it_is_shown() {
    let (text, human) = policy_fixture_rendered("secret_literal_pointed_where_written_fails.pfk");
    assert!(text.contains("OTHER       = \"s3cr3tvalue\""));
    assert!(human.contains("OTHER       = \"***********\""), "{human}");
    assert!(!human.contains("s3cr3tvalue"), "{human}");
}
