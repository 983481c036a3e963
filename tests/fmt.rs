//! The formatter: idempotent on every input that parses, never changes what a
//! file builds to, pinned by snapshots on deliberately ugly fixtures
//! (`tests/fixtures/fmt/`), and the `fmt` command line (in place, `--check`,
//! standard input). The bundled examples are kept canonically formatted.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use prefectc::{FormatError, MemoryLoader, Options, build, format};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pfk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pfk_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "pfk") && is_utf8(&p) {
            // A fixture that is not UTF-8 on purpose (E0105) has no layout.
            out.push(p);
        }
    }
}

fn is_utf8(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| String::from_utf8(b).is_ok())
}

fn files_under(dirs: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for d in dirs {
        pfk_files(&root().join(d), &mut files);
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Formats `text`; `None` for a syntax error; a formatter bug fails the test.
fn formatted(path: &Path, text: &str) -> Option<String> {
    match format(text) {
        Ok(out) => Some(out),
        Err(FormatError::Syntax(_)) => None,
        Err(FormatError::Internal(why)) => panic!("{}: {why}", path.display()),
    }
}

#[test]
fn formatting_twice_changes_nothing() {
    let files = files_under(&["examples", "tests/fixtures", "stdlib"]);
    let mut formatted_files = 0;
    for path in &files {
        let Some(once) = formatted(path, &read(path)) else {
            continue;
        };
        let twice = formatted(path, &once).expect("formatted text parses");
        assert_eq!(
            once,
            twice,
            "{} is not formatted idempotently",
            path.display()
        );
        formatted_files += 1;
    }
    assert!(
        formatted_files > 100,
        "only {formatted_files} files formatted"
    );
}

#[test]
fn the_standard_library_is_formatted() {
    for path in files_under(&["stdlib"]) {
        let text = read(&path);
        assert_eq!(formatted(&path, &text).as_deref(), Some(text.as_str()));
    }
}

/// What a build says: the YAML, and every diagnostic without its position
/// (formatting moves lines).
fn build_summary(name: &str, text: &str, siblings: Vec<(String, String)>) -> String {
    let out = build(
        name,
        text.to_string(),
        &MemoryLoader(siblings),
        &Options::default(),
    );
    let mut summary = String::new();
    for d in &out.diagnostics {
        summary.push_str(&format!(
            "{} {} {}\n",
            d.code.as_str(),
            d.severity.as_str(),
            d.message
        ));
    }
    if let Some(objects) = &out.objects {
        summary.push_str(&prefectc::emit::yaml(objects));
    }
    summary
}

/// The `.pfk` files of a directory (what a file there may import), as they
/// are and formatted.
struct Dir {
    plain: Vec<(String, String)>,
    pretty: Vec<(String, String)>,
}

fn read_dir(dir: &Path) -> Dir {
    let mut plain = Vec::new();
    let mut pretty = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("a readable directory")
        .flatten()
    {
        let sibling = entry.path();
        if sibling.extension().is_none_or(|x| x != "pfk") || !is_utf8(&sibling) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = read(&sibling);
        let nice = formatted(&sibling, &text).unwrap_or_else(|| text.clone());
        plain.push((name.clone(), text));
        pretty.push((name, nice));
    }
    Dir { plain, pretty }
}

/// Builds `path` before and after formatting it and everything beside it;
/// `None` when it does not parse.
fn assert_same_build(path: &Path, dirs: &mut HashMap<PathBuf, Dir>) -> Option<String> {
    let text = read(path);
    let nice = formatted(path, &text)?;
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let dir = path.parent().expect("a file has a parent");
    let dir = dirs
        .entry(dir.to_path_buf())
        .or_insert_with(|| read_dir(dir));
    let before = build_summary(&name, &text, dir.plain.clone());
    let after = build_summary(&name, &nice, dir.pretty.clone());
    assert_eq!(before, after, "{} builds differently", path.display());
    Some(after)
}

#[test]
fn formatting_does_not_change_what_an_example_builds() {
    let mut examples = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/ exists") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            examples.push(path.join("site.pfk"));
        } else if path.extension().is_some_and(|e| e == "pfk") {
            examples.push(path);
        }
    }
    assert!(examples.len() >= 5);
    let mut dirs = HashMap::new();
    for path in examples {
        let summary = assert_same_build(&path, &mut dirs).expect("an example parses");
        assert!(summary.contains("kind: Deployment"), "{}", path.display());
    }
}

#[test]
fn formatting_does_not_change_the_diagnostics_of_a_fixture() {
    let mut checked = 0;
    let mut dirs = HashMap::new();
    for path in files_under(&["tests/fixtures/diagnostics"]) {
        if assert_same_build(&path, &mut dirs).is_some() {
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} fixtures checked");
}

/// The language contract's examples, when `../shared/spec` is checked out
/// beside the project; skipped otherwise.
#[test]
fn the_contract_examples_format_without_changing_their_build() {
    let dir = root().join("../shared/spec/examples");
    let mut files = Vec::new();
    pfk_files(&dir, &mut files);
    if files.is_empty() {
        eprintln!("{} is absent: skipped", dir.display());
        return;
    }
    let mut dirs = HashMap::new();
    for path in files {
        let once = formatted(&path, &read(&path)).expect("a contract example parses");
        assert_eq!(formatted(&path, &once).as_deref(), Some(once.as_str()));
        assert!(assert_same_build(&path, &mut dirs).is_some());
    }
}

#[test]
fn every_prefix_formats_or_is_refused() {
    for path in files_under(&["examples", "tests/fixtures/fmt"]) {
        let text = read(&path);
        for (i, _) in text.char_indices() {
            if let Some(once) = formatted(&path, &text[..i]) {
                let twice = formatted(&path, &once).expect("formatted text parses");
                assert_eq!(once, twice, "{} cut at {i}", path.display());
            }
        }
    }
}

#[test]
fn ugly_fixtures_match_their_snapshots() {
    let files = files_under(&["tests/fixtures/fmt"]);
    assert!(files.len() >= 4);
    for path in files {
        let text = read(&path);
        let out = formatted(&path, &text).expect("the fixture parses");
        let name = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let description = text.lines().next().unwrap_or("").trim_start_matches("// ");
        insta::with_settings!({
            snapshot_path => "fixtures/fmt/snapshots",
            prepend_module_to_snapshot => false,
            description => description,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, out);
        });
    }
}

// ---- the command line ----

fn prefectc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
}

const UGLY: &str =
    "site s{namespace=\"p\",prefect=\"3.4.25\"}\nworker w {\n    pool=p\n api = prefect }\n";

#[test]
fn the_examples_are_canonically_formatted() {
    let files = files_under(&["examples"]);
    let out = prefectc()
        .arg("fmt")
        .arg("--check")
        .args(&files)
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "these examples are not formatted (run `prefectc fmt` on them)"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_reports_files_that_would_change_and_rewrites_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ugly = dir.path().join("ugly.pfk");
    let tidy = dir.path().join("tidy.pfk");
    std::fs::write(&ugly, UGLY).expect("writes");
    std::fs::write(&tidy, format(UGLY).expect("formats")).expect("writes");

    let out = prefectc()
        .args(["fmt", "--check"])
        .args([&ugly, &tidy])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        ugly.display().to_string()
    );
    assert_eq!(read(&ugly), UGLY);

    let out = prefectc()
        .args(["fmt", "--check"])
        .arg(&tidy)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn fmt_rewrites_in_place_and_leaves_formatted_files_alone() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ugly = dir.path().join("ugly.pfk");
    let tidy = dir.path().join("tidy.pfk");
    let expected = format(UGLY).expect("formats");
    std::fs::write(&ugly, UGLY).expect("writes");
    std::fs::write(&tidy, &expected).expect("writes");
    #[cfg(unix)]
    let (tidy_inode, ugly_mode) = {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        std::fs::set_permissions(&ugly, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        (
            std::fs::metadata(&tidy).expect("stat").ino(),
            std::fs::metadata(&ugly).expect("stat").mode(),
        )
    };

    let out = prefectc()
        .arg("fmt")
        .args([&ugly, &tidy])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    assert_eq!(read(&ugly), expected);
    assert_eq!(read(&tidy), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&tidy).expect("stat").ino(), tidy_inode);
        assert_eq!(std::fs::metadata(&ugly).expect("stat").mode(), ugly_mode);
    }
    // Only the files and nothing else: no temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 2);
}

#[test]
fn a_syntax_error_is_reported_as_build_reports_it_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let broken = "site s {\n  namespace = \"p\"\n";
    std::fs::write(dir.path().join("broken.pfk"), broken).expect("writes");
    let run = |args: &[&str]| {
        prefectc()
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("runs")
    };
    let fmt = run(&["fmt", "broken.pfk"]);
    let check = run(&["fmt", "--check", "broken.pfk"]);
    let build = run(&["build", "broken.pfk"]);
    assert_eq!(fmt.status.code(), Some(1));
    assert_eq!(check.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&fmt.stderr);
    assert!(shown.contains("E0102"), "{shown}");
    assert!(String::from_utf8_lossy(&build.stderr).contains(shown.as_ref()));
    assert_eq!(read(&dir.path().join("broken.pfk")), broken);
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let run = |args: &[&str], input: &str| {
        let mut child = prefectc()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writes");
        child.wait_with_output().expect("finishes")
    };
    let expected = format(UGLY).expect("formats");
    let out = run(&["fmt", "-"], UGLY);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);

    let out = run(&["fmt", "-"], &expected);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);

    let out = run(&["fmt", "--check", "-"], UGLY);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "<stdin>\n");

    let out = run(&["fmt", "-"], "site s {");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>"));
}

#[test]
fn an_unreadable_file_is_an_io_error() {
    let out = prefectc()
        .args(["fmt", "/nonexistent/site.pfk"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn fmt_keeps_hard_links_together() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("site.pfk");
    let link = dir.path().join("linked.pfk");
    std::fs::write(&file, UGLY).expect("writes");
    std::fs::hard_link(&file, &link).expect("links");
    let out = prefectc().arg("fmt").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let expected = format(UGLY).expect("formats");
    assert_eq!(read(&file), expected);
    assert_eq!(read(&link), expected, "the other name sees the new text");
    let (a, b) = (
        std::fs::metadata(&file).expect("stat"),
        std::fs::metadata(&link).expect("stat"),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 2);
}

/// Only root can give a file to another user, so only root can check that
/// formatting keeps the owner.
#[cfg(unix)]
#[test]
fn fmt_keeps_the_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("site.pfk");
    std::fs::write(&file, UGLY).expect("writes");
    if std::os::unix::fs::chown(&file, Some(4242), Some(4343)).is_err() {
        eprintln!("not root: the owner cannot be changed, nothing to check");
        return;
    }
    let out = prefectc().arg("fmt").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(read(&file), format(UGLY).expect("formats"));
    let meta = std::fs::metadata(&file).expect("stat");
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
}

#[test]
fn fmt_keeps_a_byte_order_mark() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("site.pfk");
    std::fs::write(&file, format!("\u{FEFF}{UGLY}")).expect("writes");
    let out = prefectc().arg("fmt").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let expected = format!("\u{FEFF}{}", format(UGLY).expect("formats"));
    assert_eq!(read(&file), expected);
    let again = prefectc()
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(0), "{again:?}");
}

#[test]
fn fmt_reports_a_file_that_is_not_utf8_and_leaves_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("site.pfk");
    let bytes = b"site s {\n  namespace =   \"caf\xE9\"\n}\n";
    std::fs::write(&file, bytes).expect("writes");
    let out = prefectc()
        .arg("fmt")
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0105") && err.contains("site.pfk:2:21"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).expect("reads"), bytes);
}

#[cfg(unix)]
#[test]
fn fmt_refuses_a_named_pipe_without_blocking() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fifo = dir.path().join("pipe.pfk");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Nothing ever writes to the pipe: a blocking open would hang, so the
    // run is killed (and the test fails) after two minutes.
    let mut child = prefectc()
        .arg("fmt")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let start = std::time::Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("prefectc fmt blocked on a named pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}
