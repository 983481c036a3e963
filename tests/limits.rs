//! Depth, size and time: generated inputs far past every limit of
//! `prefectc::limits` end in E0106 (nesting too deep) or E0313 (evaluation
//! budget exceeded), never in a stack overflow, a panic or a build without
//! end; inputs just inside the limits still work. The tests run on the
//! default test thread (2 MiB of stack, in a debug build): the limits, not
//! the size of the stack, keep every stage safe.
//!
//! `cargo test --release --test limits -- --ignored` runs the full-size
//! inputs of docs/reliability.md with their time.

use std::time::{Duration, Instant};

use prefectc::limits::{Limits, MAX_COMPONENTS, MAX_DEPTH, MAX_STRING_BYTES, MAX_VALUE_ELEMENTS};
use prefectc::{FormatError, MemoryLoader, Options, build, format};

const SITE: &str = "site s { namespace = \"p\", prefect = \"3.4.25\" }\n";

/// The codes of the build's diagnostics.
fn codes(text: &str) -> Vec<String> {
    messages_within(text, Limits::default())
        .into_iter()
        .map(|(code, _)| code)
        .collect()
}

/// The codes and messages of the build's diagnostics within `limits`.
fn messages_within(text: &str, limits: Limits) -> Vec<(String, String)> {
    let options = Options {
        limits,
        ..Options::default()
    };
    let out = build(
        "limits.pfk",
        text.to_string(),
        &MemoryLoader(Vec::new()),
        &options,
    );
    out.diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

fn format_codes(text: &str) -> Vec<String> {
    match format(text) {
        Ok(_) => Vec::new(),
        Err(FormatError::Syntax(d)) => d.iter().map(|d| d.code.as_str().to_string()).collect(),
        Err(e) => panic!("the formatter failed: {e:?}"),
    }
}

/// Nesting of every kind, `n` levels deep, as a let that a field reads.
fn nested(kind: &str, n: usize) -> String {
    let value = match kind {
        "lists" => format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        "blocks" => format!("{}1{}", "{ a = ".repeat(n), " }".repeat(n)),
        "parens" => format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        "interpolations" => format!("{}x{}", "\"${".repeat(n), "}\"".repeat(n)),
        "nots" => format!("{}true", "!".repeat(n)),
        "else-ifs" => format!(
            "if false {{ 1 }}{} else {{ 3 }}",
            " else if false { 2 }".repeat(n)
        ),
        "calls" => format!("{}\"k\"{}", "secret(".repeat(n), ")".repeat(n)),
        other => panic!("no nesting {other}"),
    };
    format!("{SITE}let deep = {value}\npool p {{ type = kubernetes, concurrency = deep }}\n")
}

const KINDS: &[&str] = &[
    "lists",
    "blocks",
    "parens",
    "interpolations",
    "nots",
    "else-ifs",
    "calls",
];

/// The rules of `grammar/prefectc.pest` that can reach themselves, and so
/// nest: each is entered through an open `[`, `{`, `(`, `${`, `!` or an
/// `else if`, which `syntax::depth` counts before pest runs. That count is
/// all that keeps the parser's recursion off the end of the stack (pest
/// runs without its own stack probe, see Cargo.toml), so a new recursive
/// rule must be counted there and get a kind in [`KINDS`] before this list
/// may grow.
const RECURSIVE_RULES: &[&str] = &[
    "attr_arg",
    "attribute",
    "block",
    "call",
    "cond",
    "cond_operand",
    "decl",
    "dq_str",
    "entry",
    "expr",
    "field_key",
    "for_decl",
    "if_expr",
    "interp",
    "list",
    "list_type",
    "literal",
    "map_type",
    "named_arg",
    "operand",
    "paren",
    "string",
    "tagged",
    "triple_str",
    "type_atom",
    "type_expr",
];

/// Each rule of the grammar with the rules its body names (one rule a line,
/// quoted text and comments skipped).
fn grammar_rules() -> Vec<(String, Vec<String>)> {
    let text = include_str!("../grammar/prefectc.pest");
    let mut rules = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("//") || line.is_empty() {
            continue;
        }
        let (name, body) = line.split_once('=').expect("a rule is `name = body`");
        let mut names = Vec::new();
        let (mut word, mut quoted, mut escaped) = (String::new(), None, false);
        for c in body.chars() {
            if let Some(q) = quoted {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quoted = None;
                }
            } else if c == '"' || c == '\'' {
                quoted = Some(c);
            } else if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                names.push(std::mem::take(&mut word));
            }
        }
        names.push(word);
        names.retain(|w| w.starts_with(|c: char| c.is_ascii_lowercase()));
        rules.push((name.trim().to_string(), names));
    }
    rules
}

#[test]
fn every_recursive_rule_of_the_grammar_is_a_counted_nesting() {
    let rules = grammar_rules();
    let calls = |name: &str| -> &[String] {
        rules
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, c)| c.as_slice())
    };
    let mut recursive: Vec<&str> = rules
        .iter()
        .filter(|(name, _)| {
            let mut seen: Vec<&str> = Vec::new();
            let mut todo: Vec<&str> = calls(name).iter().map(String::as_str).collect();
            while let Some(next) = todo.pop() {
                if next == name.as_str() {
                    return true;
                }
                if !seen.contains(&next) {
                    seen.push(next);
                    todo.extend(calls(next).iter().map(String::as_str));
                }
            }
            false
        })
        .map(|(name, _)| name.as_str())
        .collect();
    recursive.sort_unstable();
    assert!(
        rules.len() > 60,
        "the grammar was read: {} rules",
        rules.len()
    );
    assert_eq!(recursive, RECURSIVE_RULES);
}

#[test]
fn nesting_past_the_limit_is_e0106_in_build_and_fmt() {
    for kind in KINDS {
        let text = nested(kind, 10_000);
        let build = codes(&text);
        assert!(build.contains(&"E0106".to_string()), "{kind}: {build:?}");
        let fmt = format_codes(&text);
        assert_eq!(fmt, ["E0106"], "{kind}");
    }
}

#[test]
fn nesting_just_inside_the_limit_builds_and_formats() {
    // The limit counts the let's own level and the value's; a few levels
    // below it every stage runs to its end on a 2 MiB debug stack.
    for kind in KINDS {
        let text = nested(kind, MAX_DEPTH - 2);
        let build = codes(&text);
        assert!(
            !build.iter().any(|c| c == "E0106" || c == "E0313"),
            "{kind}: {build:?}"
        );
        assert!(format_codes(&text).is_empty(), "{kind}");
    }
}

#[test]
fn nested_blocks_inside_a_component_are_e0106() {
    let n = 10_000;
    let text = format!(
        "{SITE}worker w {{ pool = \"x\", type = process, resources {}{} }}\n",
        "{ limits ".repeat(n),
        "}".repeat(n)
    );
    assert!(codes(&text).contains(&"E0106".to_string()));
}

#[test]
fn values_nested_through_lets_are_e0106() {
    // Each let is shallow; the value grows one level per let.
    let mut text = String::from(SITE);
    text.push_str("let v0 = [1]\n");
    for i in 1..1_000 {
        text.push_str(&format!("let v{i} = [v{}]\n", i - 1));
    }
    text.push_str("worker w { pool = \"x\", type = process, queues = v999 }\n");
    assert!(codes(&text).contains(&"E0106".to_string()));
}

#[test]
fn lets_defined_through_long_chains_of_lets_are_e0106() {
    let mut text = String::from(SITE);
    text.push_str("let n0 = 1\n");
    for i in 1..10_000 {
        text.push_str(&format!("let n{i} = n{} + 1\n", i - 1));
    }
    text.push_str("pool p { type = kubernetes, concurrency = n9999 }\n");
    assert!(codes(&text).contains(&"E0106".to_string()));
}

#[test]
fn long_extends_chains_are_e0106() {
    let mut text = String::from(SITE);
    text.push_str("template worker t0 { type = process }\n");
    for i in 1..10_000 {
        text.push_str(&format!("template worker t{i} extends t{} {{}}\n", i - 1));
    }
    text.push_str("worker w extends t9999 { pool = \"x\" }\n");
    assert!(codes(&text).contains(&"E0106".to_string()));
}

#[test]
fn long_chains_of_member_accesses_are_e0106() {
    // w1.replicas reads w0's, w2's reads w1's, …: each read is a check of
    // another component's field (found by the fmt fuzz target, as a field
    // that read itself).
    let mut text = String::from(SITE);
    text.push_str("server api { database = sqlite {} }\npool p { type = process }\n");
    text.push_str("worker w0 { pool = p, api = api, replicas = 1 }\n");
    for i in 1..2_000 {
        text.push_str(&format!(
            "worker w{i} {{ pool = p, api = api, replicas = w{}.replicas }}\n",
            i - 1
        ));
    }
    let codes = codes(&text);
    assert!(codes.contains(&"E0106".to_string()), "{codes:?}");
    // One report per component whose field goes too deep, none for the rest.
    let deep = codes.iter().filter(|c| *c == "E0106").count();
    assert_eq!(deep, 2_000 - MAX_DEPTH - 1, "{codes:?}");
}

/// `a OP a OP … OP a` with 100,000 operands, read by a field.
fn chain(op: &str, operand: &str, field: &str) -> String {
    let operands = vec![operand; 100_000].join(&format!(" {op} "));
    format!("{SITE}let c = {operands}\nworker w {{ pool = \"x\", type = process, {field} = c }}\n")
}

#[test]
fn chains_of_100k_operands_build_and_format() {
    let cases = [
        chain("+", "1", "replicas"),
        chain("+", "\"a\"", "name"),
        chain("+", "[\"q\"]", "queues"),
        chain("||", "false", "healthcheck"),
        chain("==", "true", "healthcheck"),
        // Mixed precedences: `1 + 1 == 2 && …`
        chain("&&", "1 + 1 == 2", "healthcheck"),
    ];
    for text in &cases {
        let build = codes(text);
        assert!(
            !build.iter().any(|c| c == "E0106" || c == "E0313"),
            "{build:?}"
        );
    }
    // The formatter walks a chain like the parser: one case is enough.
    assert!(format_codes(&cases[5]).is_empty());
}

#[test]
fn a_chain_keeps_the_meaning_of_precedence() {
    let text = format!(
        "{SITE}server prefect {{ database = sqlite {{}} }}\n\
         pool p {{ type = kubernetes, concurrency = if 1 + 2 == 3 && !false || false {{ 7 }} else {{ 8 }} }}\n\
         worker w {{ pool = p, api = prefect, replicas = 1 + 2 + 3 }}\n"
    );
    let out = build(
        "limits.pfk",
        text,
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let objects = out.objects.expect("the site builds");
    let yaml = prefectc::emit::yaml(&objects);
    assert!(yaml.contains("replicas: 6"), "{yaml}");
    assert!(yaml.contains("set-concurrency-limit \"$POOL\" 7"), "{yaml}");
}

#[test]
fn lets_in_a_loop_are_evaluated_when_read() {
    // 40 doublings inside a loop body, read by nothing: free, like a
    // top-level let nothing reads, and so is an error in one.
    let mut body = String::from("  let d0 = \"x\"\n");
    for i in 1..=40 {
        body.push_str(&format!("  let d{i} = d{} + d{}\n", i - 1, i - 1));
    }
    let site = format!("{SITE}server api {{ database = sqlite {{}} }}\n");
    let text = format!(
        "{site}for team in [\"a\", \"b\"] {{\n{body}  let broken = 1 + \"x\"\n           pool \"p-${{team}}\" {{ type = process }}\n}}\n"
    );
    let started = Instant::now();
    assert_eq!(codes(&text), Vec::<String>::new());
    assert!(started.elapsed() < Duration::from_secs(10));
    // Read, a loop let has the value of its iteration, and sees the loop
    // variable and the lets before it.
    let text = format!(
        "{site}for n in [2, 3] {{\n  let twice = n + n\n  let more = twice + 1\n           pool \"p${{n}}\" {{ type = process, concurrency = more }}\n}}\n         worker w {{ pool = p2, api = api }}\n"
    );
    let out = build(
        "limits.pfk",
        text,
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let yaml = prefectc::emit::yaml(out.objects.as_deref().expect("builds"));
    assert!(yaml.contains("set-concurrency-limit \"$POOL\" 5"), "{yaml}");
    // A used loop let that fails is reported, once.
    let text = format!(
        "{site}for team in [\"a\"] {{\n  let broken = 1 + \"x\"\n           pool \"p-${{team}}\" {{ type = process, concurrency = broken }}\n}}\n"
    );
    assert_eq!(codes(&text), vec!["E0312".to_string()]);
}

/// `let a = SEED; let b = a + a; …` doubled `n` times.
fn doublings(seed: &str, join: &str, n: usize, read: bool) -> String {
    let mut text = String::from(SITE);
    text.push_str(&format!("let d0 = {seed}\n"));
    for i in 1..=n {
        let p = i - 1;
        let value = join.replace("X", &format!("d{p}"));
        text.push_str(&format!("let d{i} = {value}\n"));
    }
    if read {
        text.push_str(&format!(
            "worker w {{ pool = \"x\", type = process, queues = [\"${{d{n}}}\"] }}\n"
        ));
    }
    text
}

#[test]
fn doublings_are_e0313_and_stop_early() {
    let started = Instant::now();
    for (seed, join) in [("\"x\"", "X + X"), ("[1]", "X + X"), ("[1]", "[X, X]")] {
        let text = doublings(seed, join, 40, true);
        let build = codes(&text);
        assert!(
            build.contains(&"E0313".to_string()),
            "{seed} {join}: {build:?}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn unused_lets_cost_nothing() {
    // Forty doublings nothing reads: not evaluated, only W0502 for the last
    // (each of the others is read by the next).
    for (seed, join) in [("\"x\"", "X + X"), ("[1]", "[X, X]"), ("1", "X + \"a\"")] {
        let text = doublings(seed, join, 40, false);
        let build = codes(&text);
        assert!(
            !build.iter().any(|c| c.starts_with('E')),
            "{seed} {join}: {build:?}"
        );
    }
}

#[test]
fn generated_components_past_the_limit_are_e0313() {
    // 100 × 100 × 100 = 10^6 workers.
    let items: Vec<String> = (0..100).map(|i| format!("\"{i}\"")).collect();
    let list = format!("[{}]", items.join(", "));
    let text = format!(
        "{SITE}let l = {list}\nfor a in l {{ for b in l {{ for c in l {{\n  \
         worker \"w-${{a}}-${{b}}-${{c}}\" {{ pool = \"x\", type = process }}\n}} }} }}\n"
    );
    let started = Instant::now();
    let build = codes(&text);
    assert!(build.contains(&"E0313".to_string()), "{build:?}");
    assert!(started.elapsed() < Duration::from_secs(120));
    const { assert!(MAX_COMPONENTS > 10_000) };
}

/// [`doublings`] of `seed` by `+`, read by a pool's field through
/// `condition` (a number, whatever the lets hold).
fn doublings_read_by(seed: &str, n: usize, condition: &str) -> String {
    let mut text = doublings(seed, "X + X", n, false);
    text.push_str(&format!(
        "pool p {{ type = kubernetes, concurrency = if {condition} {{ 1 }} else {{ 2 }} }}\n"
    ));
    text
}

/// The E0313 messages of a build of `text` within `limits`.
fn budget_messages(text: &str, limits: Limits) -> Vec<String> {
    messages_within(text, limits)
        .into_iter()
        .filter(|(code, _)| code == "E0313")
        .map(|(_, message)| message)
        .collect()
}

#[test]
fn a_larger_component_cap_raises_the_budgets_that_grow_with_a_site() {
    // Twice the default cap doubles the budgets of one value and of the
    // build; each site below is just past a default and within its double.
    let twice = Limits::with_components(2 * MAX_COMPONENTS);
    assert_eq!(twice.components, 2 * MAX_COMPONENTS);
    // 2^17 elements of a list, and 2^21 bytes of text.
    let elements = doublings_read_by("[1]", 17, "d17 == d0");
    let text = doublings_read_by("\"abcdefgh\"", 18, "d18 == d0");
    const {
        assert!(1 << 17 > MAX_VALUE_ELEMENTS && 1 << 17 <= 2 * MAX_VALUE_ELEMENTS);
        assert!(1 << 21 > MAX_STRING_BYTES && 1 << 21 <= 2 * MAX_STRING_BYTES);
    };
    // 1 MiB of text read 170 times: 170 × 2^16 steps, past 10,000,000.
    let steps = doublings_read_by("\"abcdefgh\"", 17, &vec!["d17 == d17"; 85].join(" && "));
    for (site, message) in [
        (&elements, "this value has more than 100000 elements"),
        (&text, "the text of this value is longer than 1048576 bytes"),
        (&steps, "evaluating the site takes more than 10000000 steps"),
    ] {
        let by_default = budget_messages(site, Limits::default());
        assert!(
            by_default.iter().any(|m| m.ends_with(message)),
            "{message}: {by_default:?}"
        );
        let raised = budget_messages(site, twice);
        assert!(raised.is_empty(), "{message}: {raised:?}");
    }
}

#[test]
fn a_smaller_component_cap_refuses_a_larger_site() {
    let pools: String = (0..6)
        .map(|i| format!("pool p{i} {{ type = kubernetes }}\n"))
        .collect();
    // The site is a component too: six pools and the site are seven.
    let text = format!("{SITE}{pools}");
    assert!(budget_messages(&text, Limits::default()).is_empty());
    let seven = Limits::with_components(7);
    assert!(budget_messages(&text, seven).is_empty());
    assert_eq!(
        budget_messages(&text, Limits::with_components(6)),
        ["evaluation budget exceeded: the site declares more than 6 components"],
    );
    assert_eq!(
        Limits {
            components: MAX_COMPONENTS,
            ..seven
        },
        Limits::default(),
        "a smaller cap lowers nothing else"
    );
}

#[test]
fn diagnostics_past_column_65535_render_in_a_window() {
    let padding = " ".repeat(70_000);
    let text =
        format!("{SITE}let x = {padding}nope\npool p {{ type = kubernetes, concurrency = x }}\n");
    let (out, human) = built_and_rendered("long.pfk", text);
    assert!(human.contains("[long.pfk:2:70009]"), "{human}");
    assert!(human.contains("…"), "{human}");
    assert!(human.lines().all(|l| l.chars().count() < 300), "{human}");
    let json = prefectc::diagnostics::json::lines(&out.diagnostics, &out.sources);
    assert!(json.contains("\"column\":70009"), "{json}");
    let sarif = prefectc::diagnostics::sarif::report(&out.diagnostics, &[], &out.sources);
    assert!(sarif.contains("70009"));
}

/// The build of `text` as `name`, and its diagnostics as a person reads
/// them.
fn built_and_rendered(name: &str, text: String) -> (prefectc::Output, String) {
    let out = build(name, text, &MemoryLoader(Vec::new()), &Options::default());
    let human = prefectc::diagnostics::render::human(&out.diagnostics, &out.sources, false);
    (out, human)
}

/// A `for` loop over `n` items declaring a worker from `body` (the worker's
/// fields after `pool` and `api`).
fn looped_workers(n: usize, name: &str, body: &str) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("\"{i}\"")).collect();
    format!(
        "site s {{\n  namespace = \"prefect\"\n  prefect = \"3.4.25\"\n}}\n\
         server prefect {{ database = sqlite {{}} }}\npool k8s {{ type = kubernetes }}\n\
         for t in [{}] {{\n  worker \"{name}\" {{\n    pool = k8s\n    api = prefect\n    {body}\n  }}\n}}\n",
        items.join(", ")
    )
}

/// A diagnostic below or above a very long line (a `for` loop's list of
/// items) shows its own lines, not that one: the snippets of a loop's
/// thousands of problems were each as long as the list.
#[test]
fn a_long_line_is_no_context_of_a_snippet() {
    let text = looped_workers(2_000, "Team_${t}", "replicas = 1");
    let list_line = text.lines().find(|l| l.starts_with("for t in")).unwrap();
    assert!(list_line.len() > 10_000, "the list is one long line");
    let (out, human) = built_and_rendered("loop.pfk", text);
    let names = out
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0310");
    assert_eq!(names.count(), 2_000, "{:?}", out.diagnostics.first());
    assert!(
        human.contains("worker \"Team_${t}\""),
        "the label's line is shown"
    );
    assert!(!human.contains("\"1999\""), "the list is not shown");
    assert!(human.lines().all(|l| l.chars().count() < 300));
    assert!(human.len() < 2_000 * 1_000, "{} bytes", human.len());
}

/// A `for` loop's workers, each with problems of its own at the same
/// places, cost about what the workers do: finding where each credential
/// was written read every component's strings for every component (cubic:
/// 1,000 workers took 44 s), and problems at one place were compared with
/// each other (quadratic).
#[test]
fn a_loop_of_problems_costs_what_its_components_do() {
    // Each body, and what the last worker's problem says.
    let bodies = [
        (
            "env = { DB_PASSWORD = \"hunter2-${t}\", TOKEN = \"pnu_0123456789abcdefghijABCDEFGHIJ01${t}\" }",
            "Deployment/team-999",
        ),
        (
            "pod-labels = { team = \"bad value ${t}!\" }",
            "bad-value-999",
        ),
        (
            "image = \"prefecthq/prefect:3-${t}\"",
            "prefecthq/prefect:3-999",
        ),
    ];
    for (body, last) in bodies {
        let text = looped_workers(1_000, "team-${t}", body);
        let started = Instant::now();
        let (out, human) = built_and_rendered("loop.pfk", text);
        // Each worker's problem is reported (those of one rule and place
        // with the same message together, found in every worker).
        assert!(out.objects.is_none(), "{body}: refused");
        assert!(human.contains(last), "{body}: the last worker's problem");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(30), "{body}: {took:?}");
    }
}

/// The language server over the binary's stdio: frames it cannot serve
/// (a `Content-Length` of 10^12, a body that is not JSON, JSON without a
/// header) are answered with JSON-RPC errors of id `null`, and the requests
/// after them are served, also on a document nested 10,000 levels deep.
#[test]
fn the_language_server_survives_bad_frames_and_deep_documents() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};

    fn frame(body: &serde_json::Value) -> Vec<u8> {
        let text = body.to_string();
        format!("Content-Length: {}\r\n\r\n{text}", text.len()).into_bytes()
    }
    fn read(out: &mut impl BufRead) -> serde_json::Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).expect("reads") > 0,
                "the server ended"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        out.read_exact(&mut body).expect("a body");
        serde_json::from_slice(&body).expect("JSON")
    }

    let cache = tempfile::tempdir().expect("a temporary directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("lsp")
        .env("XDG_CACHE_HOME", cache.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let garbage = [
        b"Content-Length: 1000000000000\r\n\r\n{".to_vec(),
        b"Content-Length: 9\r\n\r\n{not json".to_vec(),
        b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"x\"}\r\n".to_vec(),
    ];
    for g in &garbage {
        stdin.write_all(g).expect("writes");
    }
    let init = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} }
    });
    stdin.write_all(&frame(&init)).expect("writes");
    let mut errors = 0;
    loop {
        let m = read(&mut stdout);
        if m["id"] == 1 {
            assert_eq!(m["result"]["serverInfo"]["name"], "prefectc");
            break;
        }
        assert!(m["id"].is_null(), "{m}");
        assert!(m["error"]["code"].is_i64(), "{m}");
        errors += 1;
    }
    assert_eq!(errors, 3);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let uri = prefectc::lsp::path_to_uri(&dir.path().join("deep.pfk")).expect("a URI");
    let text = nested("lists", 10_000) + &nested("interpolations", 10_000);
    let messages = [
        serde_json::json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        serde_json::json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "pfk", "version": 1, "text": text } } }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol",
            "params": { "textDocument": { "uri": uri } } }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
            "params": { "textDocument": { "uri": uri }, "position": { "line": 1, "character": 5000 } } }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 4, "method": "textDocument/completion",
            "params": { "textDocument": { "uri": uri }, "position": { "line": 1, "character": 5000 } } }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 5, "method": "textDocument/formatting",
            "params": { "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } } }),
        serde_json::json!({ "jsonrpc": "2.0", "id": 6, "method": "shutdown" }),
    ];
    for m in &messages {
        stdin.write_all(&frame(m)).expect("writes");
    }
    let mut published = None;
    let mut answered = Vec::new();
    while answered.last() != Some(&6) {
        let m = read(&mut stdout);
        if m["method"] == "textDocument/publishDiagnostics" {
            published = Some(m["params"]["diagnostics"].clone());
        } else if let Some(id) = m["id"].as_i64() {
            assert!(m.get("error").is_none() || id == 5, "{m}");
            answered.push(id);
        }
    }
    assert_eq!(answered, [2, 3, 4, 5, 6]);
    let diags = published.expect("diagnostics are published");
    assert!(diags.to_string().contains("E0106"), "{diags}");
    stdin
        .write_all(&frame(
            &serde_json::json!({ "jsonrpc": "2.0", "method": "exit" }),
        ))
        .expect("writes");
    drop(stdin);
    assert!(child.wait().expect("exits").success());
}

/// The binary runs a command on the main thread when `ulimit -s` allows
/// 8 MiB (Linux's default), and on a thread of its own stack when it is
/// smaller: under both limits `build` and `fmt` of input nested just inside
/// and far past the limit end with a status, not a stack overflow (a debug
/// build, whose frames are the largest). Run always on the main thread,
/// the binary overflows under 1 MiB.
#[cfg(unix)]
#[test]
fn the_binary_survives_deep_input_under_small_and_default_stack_limits() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    for limit_kib in [8192, 1024] {
        for kind in KINDS {
            for depth in [MAX_DEPTH - 2, 10_000] {
                for command in ["build", "fmt"] {
                    let mut child = Command::new("sh")
                        .arg("-c")
                        .arg(format!("ulimit -s {limit_kib} && exec \"$0\" {command} -"))
                        .arg(env!("CARGO_BIN_EXE_prefectc"))
                        .stdin(Stdio::piped())
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("starts");
                    let mut stdin = child.stdin.take().expect("stdin");
                    stdin
                        .write_all(nested(kind, depth).as_bytes())
                        .expect("writes");
                    drop(stdin);
                    let out = child.wait_with_output().expect("ends");
                    assert!(
                        matches!(out.status.code(), Some(0 | 1)),
                        "{command} of {kind} nested {depth} deep under ulimit -s {limit_kib}: \
                         {:?}\n{}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            }
        }
    }
}
